package io.keel.store;

import java.nio.file.Path;
import java.util.Objects;

/**
 * Configuration of a {@link MessageStore}. Plain setters with the defaults in one place; the store
 * checks the combination when it opens.
 */
public final class StoreConfig {

    public static final int DEFAULT_SEGMENT_SIZE = 1 << 30;
    public static final int DEFAULT_MAX_RECORD_SIZE = 4 << 20;
    /**
     * 16,384 entries (327,680-byte files). Small on purpose: the first write into a mapped file makes
     * the kernel read ahead up to its read-ahead window (often several MiB) into the page cache, so
     * with tens of thousands of queues large ConsumeQueue files cost gigabytes of memory.
     */
    public static final int DEFAULT_CONSUME_QUEUE_ENTRIES_PER_SEGMENT = 16_384;

    private Path dataDirectory;
    private int segmentSize = DEFAULT_SEGMENT_SIZE;
    private int maxRecordSize = DEFAULT_MAX_RECORD_SIZE;
    private FlushMode flushMode = FlushMode.SYNC_FLUSH;
    private WriteMode writeMode = WriteMode.MMAP;
    private long asyncFlushIntervalMillis = 500;
    private long syncFlushTimeoutMillis = 5_000;
    private long checkpointIntervalMillis = 1_000;
    private long consumeQueueFlushIntervalMillis = 60_000;
    private int consumeQueueEntriesPerSegment = DEFAULT_CONSUME_QUEUE_ENTRIES_PER_SEGMENT;
    private double diskUsageLimit = 0.90;
    private long diskCheckIntervalMillis = 1_000;
    private boolean zeroFillSegments = false;

    public StoreConfig(Path dataDirectory) {
        this.dataDirectory = Objects.requireNonNull(dataDirectory, "dataDirectory");
    }

    /** Directory holding the CommitLog, ConsumeQueues, checkpoint, lock and abort marker. */
    public Path dataDirectory() {
        return dataDirectory;
    }

    /** Size of each CommitLog segment file in bytes (default 1 GiB). */
    public int segmentSize() {
        return segmentSize;
    }

    public StoreConfig segmentSize(int bytes) {
        this.segmentSize = bytes;
        return this;
    }

    /** Largest record (header, destination and payload) in bytes (default 4 MiB). */
    public int maxRecordSize() {
        return maxRecordSize;
    }

    public StoreConfig maxRecordSize(int bytes) {
        this.maxRecordSize = bytes;
        return this;
    }

    public FlushMode flushMode() {
        return flushMode;
    }

    public StoreConfig flushMode(FlushMode mode) {
        this.flushMode = Objects.requireNonNull(mode, "flushMode");
        return this;
    }

    public WriteMode writeMode() {
        return writeMode;
    }

    public StoreConfig writeMode(WriteMode mode) {
        this.writeMode = Objects.requireNonNull(mode, "writeMode");
        return this;
    }

    /** Under ASYNC_FLUSH, how often the flusher forces written data to disk (default 500 ms). */
    public long asyncFlushIntervalMillis() {
        return asyncFlushIntervalMillis;
    }

    public StoreConfig asyncFlushIntervalMillis(long millis) {
        this.asyncFlushIntervalMillis = millis;
        return this;
    }

    /** Under SYNC_FLUSH, how long an append waits for its force before its future fails (default 5 s). */
    public long syncFlushTimeoutMillis() {
        return syncFlushTimeoutMillis;
    }

    public StoreConfig syncFlushTimeoutMillis(long millis) {
        this.syncFlushTimeoutMillis = millis;
        return this;
    }

    /** How often flushed positions are written to the checkpoint file (default 1 s). */
    public long checkpointIntervalMillis() {
        return checkpointIntervalMillis;
    }

    public StoreConfig checkpointIntervalMillis(long millis) {
        this.checkpointIntervalMillis = millis;
        return this;
    }

    /**
     * How often the ConsumeQueues are forced (default 60 s). They can be rebuilt from the CommitLog, and
     * after a process crash the page cache still holds every entry written (the checkpoint records
     * how far, see {@code Checkpoint}), so only a machine crash or restart makes recovery re-dispatch up
     * to this much log. Forcing is costly with many queues: one fsync, with its disk cache flush, per
     * ConsumeQueue file (10,000 of them take seconds and slow the CommitLog's own forces meanwhile).
     */
    public long consumeQueueFlushIntervalMillis() {
        return consumeQueueFlushIntervalMillis;
    }

    public StoreConfig consumeQueueFlushIntervalMillis(long millis) {
        this.consumeQueueFlushIntervalMillis = millis;
        return this;
    }

    /** Entries per ConsumeQueue segment file (default 16,384, i.e. 327,680-byte files). */
    public int consumeQueueEntriesPerSegment() {
        return consumeQueueEntriesPerSegment;
    }

    public StoreConfig consumeQueueEntriesPerSegment(int entries) {
        this.consumeQueueEntriesPerSegment = entries;
        return this;
    }

    /** Fraction of the file system above which appends fail fast with "store full" (default 0.90). */
    public double diskUsageLimit() {
        return diskUsageLimit;
    }

    public StoreConfig diskUsageLimit(double ratio) {
        this.diskUsageLimit = ratio;
        return this;
    }

    /** How often the disk usage is sampled (default 1 s). */
    public long diskCheckIntervalMillis() {
        return diskCheckIntervalMillis;
    }

    public StoreConfig diskCheckIntervalMillis(long millis) {
        this.diskCheckIntervalMillis = millis;
        return this;
    }

    /**
     * Whether new CommitLog segments are written full of zeros before use (default false: sparse
     * files). Zero-filling reserves every block up front but writes each segment twice and makes the
     * first writes through the mapping read the zeros back from disk. Without it, the store checks
     * before preparing a segment that the file system has room for all of it, so running out of space
     * is still a clean "store full" error.
     */
    public boolean zeroFillSegments() {
        return zeroFillSegments;
    }

    public StoreConfig zeroFillSegments(boolean zeroFill) {
        this.zeroFillSegments = zeroFill;
        return this;
    }

    /** Checks the combination; throws IllegalArgumentException naming the setting and the rule. */
    void validate() {
        require(segmentSize >= 64 * 1024, "segmentSize must be at least 64 KiB, got " + segmentSize);
        require(maxRecordSize >= 256, "maxRecordSize must be at least 256 bytes, got " + maxRecordSize);
        require(maxRecordSize <= segmentSize - 8,
                "maxRecordSize (" + maxRecordSize + ") must leave 8 bytes of a segment (" + segmentSize + ") free");
        require(asyncFlushIntervalMillis > 0, "asyncFlushIntervalMillis must be positive");
        require(syncFlushTimeoutMillis > 0, "syncFlushTimeoutMillis must be positive");
        require(checkpointIntervalMillis > 0, "checkpointIntervalMillis must be positive");
        require(consumeQueueFlushIntervalMillis > 0, "consumeQueueFlushIntervalMillis must be positive");
        require(consumeQueueEntriesPerSegment >= 16, "consumeQueueEntriesPerSegment must be at least 16");
        require(consumeQueueEntriesPerSegment <= Integer.MAX_VALUE / 20,
                "consumeQueueEntriesPerSegment is too large for one mapped file");
        require(diskUsageLimit >= 0 && diskUsageLimit <= 1, "diskUsageLimit must be within [0, 1]");
        require(diskCheckIntervalMillis > 0, "diskCheckIntervalMillis must be positive");
    }

    private static void require(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException("store config: " + message);
        }
    }
}
