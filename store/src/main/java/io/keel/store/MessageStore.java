package io.keel.store;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.LongUnaryOperator;
import java.util.stream.Stream;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.keel.store.commitlog.CommitLog;
import io.keel.store.commitlog.CommitLogRecovery;
import io.keel.store.commitlog.CommitLogSegment;
import io.keel.store.commitlog.Flusher;
import io.keel.store.commitlog.RecordLayout;
import io.keel.store.commitlog.StoreMetricsRecorder;
import io.keel.store.queue.ConsumeQueue;
import io.keel.store.queue.ConsumeQueueTable;
import io.keel.store.queue.Dispatcher;
import io.keel.store.recovery.BootId;
import io.keel.store.recovery.Checkpoint;
import io.keel.store.recovery.StoreLock;

/**
 * The storage engine: one CommitLog for every record of every queue, a ConsumeQueue per queue built
 * from it by the dispatcher, recovery from the log after a crash, and retention below a watermark
 * the owner supplies. Thread-safe; open it with {@link #open(StoreConfig)} and close it once.
 */
public final class MessageStore implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(MessageStore.class);

    private final StoreConfig config;
    private final StoreLayout layout;
    private final StoreLock lock;
    private final CommitLog log;
    private final ConsumeQueueTable queues;
    private final Dispatcher dispatcher;
    private final Flusher flusher;
    private final StoreMetricsRecorder metrics;
    private final Housekeeping housekeeping;
    private final RecoveryReport recoveryReport;
    private volatile LongUnaryOperator watermarkHook = LongUnaryOperator.identity();
    private volatile boolean closed;
    /** The operating system's boot, recorded in checkpoints (see {@link Checkpoint#dispatchedOffsetFor}). */
    private final long bootId;
    /** Every record below this has its ConsumeQueue entry forced (see {@link #flushConsumeQueues}). */
    private volatile long durablyDispatched;

    /** What {@link #open} found: whether it scanned the log, where the data ends, why it stopped. */
    public record RecoveryReport(boolean crashed, boolean scanned, long scanStart, long endOffset, String stopReason,
            boolean consumeQueuesRebuilt, long dispatchedFrom) {
    }

    private MessageStore(StoreConfig config, StoreLayout layout, StoreLock lock) throws IOException {
        this.config = config;
        this.layout = layout;
        this.lock = lock;
        this.metrics = new StoreMetricsRecorder();
        this.bootId = BootId.current();
        boolean crashed = Files.exists(layout.abortMarker);
        Checkpoint checkpoint = readCheckpoint(layout.checkpoint);
        boolean withChannel = config.writeMode() == WriteMode.FILE_CHANNEL;
        CommitLogRecovery.Result recovered = CommitLogRecovery.recover(layout.commitLog, config, checkpoint,
                crashed, withChannel);
        long end = recovered.endOffset();
        this.log = new CommitLog(config, layout.commitLog, recovered.segments(), end, metrics);
        this.queues = new ConsumeQueueTable(layout.consumeQueues, config.consumeQueueEntriesPerSegment());
        long min = log.minOffset();
        queues.removeDeletedLeftovers();
        boolean rebuild = needsRebuild(checkpoint, end > min);
        if (rebuild) {
            LOG.warn("store {}: rebuilding every consume queue from the commit log", layout.root);
            deleteTree(layout.consumeQueues);
            queues.createDirectory();
        } else {
            queues.createDirectory();
            queues.load(min);
            queues.truncateTo(end);
        }
        long dispatchFrom = rebuild || checkpoint == null ? min
                : Math.max(min, Math.min(checkpoint.dispatchedOffsetFor(bootId), end));
        this.dispatcher = new Dispatcher(log, queues, this::dispatchWatermark, dispatchFrom);
        dispatcher.dispatchUpTo(end);
        queues.resetAssignedOffsets();
        queues.flushAll();
        new Checkpoint(end, end, queues.size(), System.currentTimeMillis()).write(layout.checkpoint);
        this.durablyDispatched = end;
        this.recoveryReport = new RecoveryReport(crashed, recovered.scanned(), recovered.scanStart(), end,
                recovered.stopReason(), rebuild, dispatchFrom);
        Files.write(layout.abortMarker, new byte[0]);
        log.setWriteListener(config.flushMode() == FlushMode.ASYNC_FLUSH ? dispatcher.wakeup() : null);
        Runnable afterFlush = dispatcher.wakeup()::signal;
        if (config.flushMode() == FlushMode.SYNC_FLUSH) {
            // When nothing more waits to be forced, the flusher dispatches what it forced itself: one
            // thread hand-off fewer for a lone synchronous sender (see Dispatcher.tryDispatchHere).
            // When more does, it goes on forcing and the dispatcher thread dispatches meanwhile.
            Dispatcher d = dispatcher;
            CommitLog l = log;
            afterFlush = () -> {
                if (l.writtenOffset() > l.flushedOffset() || !d.tryDispatchHere()) {
                    d.wakeup().signal();
                }
            };
        }
        this.flusher = new Flusher(log, config.flushMode(), config.asyncFlushIntervalMillis(), afterFlush);
        this.housekeeping = new Housekeeping(this);
        housekeeping.checkDisk();
        flusher.start();
        dispatcher.start();
        housekeeping.start();
    }

    /**
     * Opens (creating if needed) the store in {@code config.dataDirectory()}, recovering after a
     * crash. Fails with {@link StoreException.Locked} if another store holds the directory.
     */
    public static MessageStore open(StoreConfig config) throws IOException {
        config.validate();
        StoreLayout layout = new StoreLayout(config.dataDirectory());
        Files.createDirectories(layout.commitLog);
        StoreLock lock = StoreLock.acquire(layout.root);
        try {
            layout.checkFixedSettings(config);
            return new MessageStore(config, layout, lock);
        } catch (IOException | RuntimeException | Error e) {
            lock.close();
            throw e;
        }
    }

    private static Checkpoint readCheckpoint(Path file) {
        try {
            return Checkpoint.read(file);
        } catch (IOException e) {
            LOG.warn("store: ignoring the checkpoint ({}); the whole commit log is validated instead", e.getMessage());
            return null;
        }
    }

    private boolean needsRebuild(Checkpoint checkpoint, boolean logHasData) throws IOException {
        if (ConsumeQueueTable.hasNestedLayout(layout.consumeQueues)) {
            LOG.info("store {}: the consume queues use the earlier layout (a directory per queue)", layout.root);
            return true;
        }
        if (!logHasData) {
            return false;
        }
        if (!Files.isDirectory(layout.consumeQueues)) {
            return true;
        }
        java.util.Set<String> found = new java.util.HashSet<>();
        for (Path p : ConsumeQueueTable.segmentFiles(layout.consumeQueues)) {
            String name = p.getFileName().toString();
            found.add(name.substring(0, name.length() - 20)); // the queue's prefix
        }
        return found.isEmpty() || (checkpoint != null && found.size() < checkpoint.queueCount());
    }

    private static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> s = Files.walk(root)) {
            for (Path p : (Iterable<Path>) s.sorted(Comparator.reverseOrder())::iterator) {
                Files.delete(p);
            }
        }
    }

    private long dispatchWatermark() {
        long confirmed = config.flushMode() == FlushMode.SYNC_FLUSH ? log.flushedOffset() : log.writtenOffset();
        return Math.min(confirmed, watermarkHook.applyAsLong(confirmed));
    }

    /**
     * Lowers the dispatch watermark: records become visible to readers only below
     * {@code hook(confirmed)} (replication passes min(confirmed, replicated)). Never raises it.
     */
    public void setDispatchWatermarkHook(LongUnaryOperator hook) {
        this.watermarkHook = hook;
        dispatcher.wakeup().signal();
    }

    /** Wakes the dispatcher, e.g. after the watermark hook's input moved. */
    public void watermarkChanged() {
        dispatcher.wakeup().signal();
    }

    public StoreConfig config() {
        return config;
    }

    public RecoveryReport recoveryReport() {
        return recoveryReport;
    }

    // ---- appends -------------------------------------------------------------------------------

    /** Appends one record; {@code cb} completes per the flush mode. Never blocks on the disk. */
    public void append(AppendRecord record, AppendCallback cb) {
        if (closed) {
            cb.failed(new StoreException.Closed("store " + layout.root + " is closed"));
            return;
        }
        log.append(record, queues, cb);
    }

    /**
     * Forces, on the calling thread, the records it appended with {@link AppendRecord#callerFlushes}
     * (and whatever else is written), then dispatches them, which completes their callbacks here; or,
     * when recent forces gathered several appends or a force is under way, wakes the flusher to do it.
     */
    public void flushHere() {
        if (closed || config.flushMode() != FlushMode.SYNC_FLUSH) {
            return;
        }
        if (log.forceHereIfSolitary() && !dispatcher.tryDispatchHere()) {
            dispatcher.wakeup().signal();
        }
    }

    /**
     * Calls {@code cb} once every record appended so far is durable per the flush mode (at once under
     * ASYNC_FLUSH): the answer to a duplicate send whose first copy may still await the group commit.
     */
    public void whenWritten(AppendCallback cb) {
        if (closed) {
            cb.failed(new StoreException.Closed("store " + layout.root + " is closed"));
            return;
        }
        log.whenWritten(cb);
    }

    /** Appends one record and returns a future of where it landed. */
    public CompletableFuture<AppendResult> append(AppendRecord record) {
        AppendFuture f = new AppendFuture();
        append(record, f);
        return f;
    }

    /** Appends records under one lock hold; each succeeds or fails on its own, in order. */
    public CompletableFuture<List<AppendResult>> appendBatch(List<AppendRecord> records) {
        List<AppendFuture> futures = new ArrayList<>(records.size());
        for (int i = 0; i < records.size(); i++) {
            futures.add(new AppendFuture());
        }
        if (closed) {
            futures.forEach(f -> f.failed(new StoreException.Closed("store " + layout.root + " is closed")));
        } else {
            log.appendBatch(records, queues, futures);
        }
        return CompletableFuture.allOf(futures.toArray(new CompletableFuture[0]))
                .thenApply(v -> futures.stream().map(CompletableFuture::join).toList());
    }

    // ---- reads ---------------------------------------------------------------------------------

    /**
     * The record at {@code physicalOffset} as a read-only slice of the mapped log (no copy). Close
     * the slice when done with it.
     */
    public RecordSlice read(long physicalOffset) {
        return read(physicalOffset, null);
    }

    /** As {@link #read(long)}, into {@code into} (a {@link RecordSlice#reusable()} one) when not null. */
    private RecordSlice read(long physicalOffset, RecordSlice into) {
        long min = log.minOffset();
        long end = log.writtenOffset();
        if (physicalOffset < min) {
            throw new StoreException.OffsetOutOfRange("commit log offset " + physicalOffset
                    + " is below the oldest stored offset " + min + " (deleted by retention)");
        }
        if (physicalOffset >= end) {
            throw new StoreException.OffsetOutOfRange("commit log offset " + physicalOffset
                    + " is beyond the end of the commit log (" + end + ")");
        }
        CommitLogSegment segment = log.segmentFor(physicalOffset);
        if (segment == null || !segment.retain()) {
            throw new StoreException.OffsetOutOfRange("commit log offset " + physicalOffset
                    + " is no longer stored (deleted by retention)");
        }
        ByteBuffer view = into == null ? segment.readView() : into.viewOf(segment);
        int rel = (int) (physicalOffset - segment.startOffset());
        int total = view.getInt(rel + RecordLayout.TOTAL_SIZE);
        if (view.getInt(rel + RecordLayout.MAGIC) != RecordLayout.MAGIC_V1 || total < RecordLayout.HEADER_SIZE
                || total > segment.size() - rel || view.getLong(rel + RecordLayout.PHYSICAL_OFFSET) != physicalOffset) {
            segment.release();
            throw new StoreException("commit log offset " + physicalOffset + " is not the start of a record");
        }
        return into == null ? new RecordSlice(segment, view.slice(rel, total)) : into.open(segment, rel, total);
    }

    /**
     * The message a ConsumeQueue entry makes visible: the record at {@code physicalOffset}, or, if it
     * is a forwarding record, the body it points at (one hop). Close the slice when done.
     */
    public RecordSlice readMessage(long physicalOffset) {
        return readMessage(physicalOffset, null);
    }

    /**
     * As {@link #readMessage(long)}, into a {@link RecordSlice#reusable()} slice (closing what it held):
     * no allocation once the slice has seen the segment. Returns {@code into}.
     */
    public RecordSlice readMessage(long physicalOffset, RecordSlice into) {
        if (into != null && !into.isReusable()) {
            throw new IllegalArgumentException("readMessage: the slice to read into was not made by RecordSlice.reusable()");
        }
        RecordSlice slice = read(physicalOffset, into);
        RecordView r = slice.record();
        if (!r.isForward()) {
            return slice;
        }
        long target;
        try {
            target = io.keel.store.commitlog.ForwardRecord.targetOffset(r.buffer(), r.payloadPosition());
        } finally {
            slice.close();
        }
        return read(target, into);
    }

    private ConsumeQueue queue(QueueKey key) {
        ConsumeQueue q = queues.get(key);
        if (q == null || !q.everHadRecords()) {
            throw new StoreException.UnknownQueue("queue " + key + " has no records in the store at " + layout.root);
        }
        return q;
    }

    /**
     * Declares a queue ahead of its first record: its ConsumeQueue file is created in the background,
     * off the dispatcher (which is in the round trip of every synchronous send). Optional; does
     * nothing for a queue that already has its file. Any thread; never blocks. The future completes
     * once the file exists, or the preparation was given up (the dispatcher then creates it at the
     * first record): what a caller may wait for before it declares the queue ready for traffic.
     */
    public java.util.concurrent.CompletableFuture<Void> prepareQueue(QueueKey key) {
        if (closed) {
            return java.util.concurrent.CompletableFuture.completedFuture(null);
        }
        return queues.prepare(key);
    }

    /**
     * Deletes the ConsumeQueue of {@code key} through a record in the log, so that recovery deletes it
     * at the same point: entries of records before it are gone once it is dispatched (its files are
     * removed in the background), and records of {@code key} appended after it start a new queue at
     * offset 0. The records stay in the CommitLog until retention. For queues that will not be read
     * again, such as those of temporary destinations. The future completes when the record is written.
     */
    public CompletableFuture<AppendResult> deleteQueue(QueueKey key) {
        return append(new AppendRecord().system(RecordLayout.SYSTEM_TYPE_QUEUE_DELETED, ByteBuffer.allocate(0))
                .queueKey(key).awaitFlush(false));
    }

    /** Whether any record of {@code key} was ever appended (or recovered); a prepared queue is not enough. */
    public boolean hasQueue(QueueKey key) {
        ConsumeQueue q = queues.get(key);
        return q != null && q.everHadRecords();
    }

    /** Every queue with records (appended or recovered). */
    public List<QueueKey> queueKeys() {
        return queues.all().stream().filter(ConsumeQueue::everHadRecords).map(ConsumeQueue::key).toList();
    }

    /**
     * Reads up to {@code max} dispatched entries of {@code key} from {@code fromOffset} into {@code out};
     * returns how many. At or beyond the maximum it returns 0 (nothing new yet).
     */
    public int readQueue(QueueKey key, long fromOffset, int max, ConsumeQueueBatch out) {
        ConsumeQueue q = queue(key);
        if (fromOffset < q.minOffset()) {
            throw new StoreException.OffsetOutOfRange("queue " + key + ": offset " + fromOffset
                    + " is below the oldest stored offset " + q.minOffset());
        }
        return q.read(fromOffset, max, out);
    }

    public long minQueueOffset(QueueKey key) {
        return queue(key).minOffset();
    }

    /** One past the last dispatched entry of {@code key}. */
    public long maxQueueOffset(QueueKey key) {
        return queue(key).maxOffset();
    }

    /**
     * One past the last queue offset given to an appended record of {@code key}, dispatched or not
     * (0 for a queue never written): where a new subscriber starts so that it sees nothing appended
     * before it, even what is still on its way to the ConsumeQueue.
     */
    public long assignedQueueOffset(QueueKey key) {
        ConsumeQueue q = queues.get(key);
        return q == null ? 0 : q.assignedOffset();
    }

    /**
     * The first queue offset of {@code key} whose record was stored at or after {@code epochMillis}
     * ({@link #maxQueueOffset} if none): "seek to time". Store timestamps never decrease along the log.
     */
    public long queueOffsetForTimestamp(QueueKey key, long epochMillis) {
        ConsumeQueue q = queue(key);
        long lo = q.minOffset();
        long hi = q.maxOffset();
        while (lo < hi) {
            long mid = (lo + hi) >>> 1;
            long physical = q.commitLogOffsetAt(mid);
            long ts;
            if (physical < 0) {
                ts = Long.MIN_VALUE;
            } else {
                try (RecordSlice slice = read(physical)) {
                    ts = slice.record().storeTimestamp();
                }
            }
            if (ts < epochMillis) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    /**
     * Calls {@code listener} for every record from {@code fromOffset} (a record boundary) up to the
     * dispatched offset, in log order, on the calling thread; returns the offset reached. For owners
     * rebuilding their state from the log.
     */
    public long scan(long fromOffset, DispatchListener listener) {
        return new LogScanner(log).scan(Math.max(fromOffset, log.minOffset()), dispatcher.dispatchedOffset(), listener);
    }

    public void addDispatchListener(DispatchListener listener) {
        dispatcher.addListener(listener);
    }

    public void removeDispatchListener(DispatchListener listener) {
        dispatcher.removeListener(listener);
    }

    public long writtenOffset() {
        return log.writtenOffset();
    }

    public long flushedOffset() {
        return log.flushedOffset();
    }

    public long dispatchedOffset() {
        return dispatcher.dispatchedOffset();
    }

    public long minOffset() {
        return log.minOffset();
    }

    // ---- retention -----------------------------------------------------------------------------

    /**
     * Deletes every CommitLog segment that ends at or below {@code watermark} (never the active one,
     * never beyond what is flushed and dispatched) and the ConsumeQueue segments that point only into
     * them. Returns the new oldest offset.
     */
    public long deleteBelow(long watermark) {
        long safe = Math.min(watermark, Math.min(log.flushedOffset(), dispatcher.dispatchedOffset()));
        long newMin = log.deleteSegmentsBelow(safe);
        try {
            queues.dropEntriesBelow(newMin);
        } catch (IOException e) {
            throw new UncheckedIOException("store: cannot delete consume queue segments below " + newMin, e);
        }
        return newMin;
    }

    // ---- housekeeping, metrics, close -----------------------------------------------------------

    /** Samples the disk usage now; appends fail fast while it is above the limit. */
    public void checkDisk() {
        housekeeping.checkDisk();
    }

    /**
     * Forces the next {@code 1/slices} of the ConsumeQueues (housekeeping calls this {@code slices}
     * times per {@code consumeQueueFlushIntervalMillis}, so 10,000 queues are not forced in one burst
     * that would hold up the CommitLog's own forces). When a pass over every queue ends, every record
     * below the dispatched offset read when the pass began has its entry on disk, which the next
     * checkpoint records. Housekeeping thread only.
     */
    void flushConsumeQueues(int slices) throws IOException {
        if (flushCursor >= flushPass.length) {
            flushPassStart = dispatcher.dispatchedOffset(); // before the snapshot: see flushPass
            flushPass = queues.all().toArray(new ConsumeQueue[0]);
            flushCursor = 0;
        }
        int end = Math.min(flushPass.length, flushCursor + (flushPass.length + slices - 1) / Math.max(1, slices));
        for (; flushCursor < end; flushCursor++) {
            flushPass[flushCursor].flushQuietly();
        }
        if (flushCursor >= flushPass.length) {
            durablyDispatched = flushPassStart;
            flushPass = NO_QUEUES;
        }
    }

    private static final ConsumeQueue[] NO_QUEUES = new ConsumeQueue[0];
    /**
     * The queues of the current force pass, taken after reading {@link #flushPassStart}: a record below
     * that offset was dispatched, so its queue already existed.
     */
    private ConsumeQueue[] flushPass = NO_QUEUES;
    private int flushCursor;
    private long flushPassStart;

    void writeCheckpoint() throws IOException {
        long flushed = log.flushedOffset();
        // Read before the forced position: the cached one must never be below it.
        long cached = dispatcher.dispatchedOffset();
        new Checkpoint(flushed, Math.min(durablyDispatched, flushed), queues.size(), System.currentTimeMillis(),
                Math.max(cached, Math.min(durablyDispatched, flushed)), bootId).write(layout.checkpoint);
    }

    Flusher flusher() {
        return flusher;
    }

    CommitLog commitLog() {
        return log;
    }

    public StoreMetrics metrics() {
        long flushes = metrics.flushes();
        long written = log.writtenOffset();
        long dispatched = dispatcher.dispatchedOffset();
        return new StoreMetrics(metrics.appendedRecords(), metrics.appendedBytes(), flushes, metrics.callerFlushes(),
                flushes == 0 ? 0 : metrics.totalFlushNanos() / flushes / 1000, metrics.maxFlushNanos() / 1000,
                written, log.flushedOffset(), dispatched, written - dispatched, queues.size());
    }

    /**
     * Closes cleanly: refuses new appends, forces the log, dispatches the rest, forces the
     * ConsumeQueues, writes the checkpoint and removes the abort marker, then releases the lock.
     */
    @Override
    public synchronized void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        housekeeping.stop();
        queues.stopPreparing();
        log.shutdown();
        flusher.stop();
        dispatcher.stop();
        boolean healthy = log.failure() == null || log.failure() instanceof StoreException.Closed;
        if (healthy && dispatcher.failure() == null) {
            dispatcher.dispatchUpTo(log.flushedOffset());
            queues.flushAll();
            long end = log.flushedOffset();
            new Checkpoint(end, end, queues.size(), System.currentTimeMillis()).write(layout.checkpoint);
        }
        queues.closeFiles();
        log.close();
        if (healthy && dispatcher.failure() == null) {
            Files.deleteIfExists(layout.abortMarker);
        }
        lock.close();
    }
}
