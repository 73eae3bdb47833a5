package io.keel.store.queue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.keel.store.ConsumeQueueBatch;
import io.keel.store.QueueKey;
import io.keel.store.commitlog.CommitLogSegment;
import io.keel.store.commitlog.MappedFiles;

/**
 * The index of one queue: fixed-size {@link ConsumeQueueEntry entries} in segment files of
 * {@code entriesPerSegment} entries each, named by their first queue offset (20 digits). The first
 * segment starts at the queue's first offset; later ones follow contiguously. Only the dispatcher
 * writes; readers read lock-free up to the volatile {@link #maxOffset()}.
 *
 * <p>Deleted segments are not unmapped explicitly (a reader may still hold a view); their small
 * mappings are released by the garbage collector.
 */
public final class ConsumeQueue {

    private static final Logger LOG = LoggerFactory.getLogger(ConsumeQueue.class);

    /** The page size the page-cache preparation assumes; a larger real page only costs extra writes. */
    private static final int PAGE = 4096;

    private final QueueKey key;
    /** The directory of every ConsumeQueue file, and this queue's file name prefix in it. */
    private final Path directory;
    private final String filePrefix;
    private final int entriesPerSegment;
    private final int segmentBytes;

    private volatile Segment[] segments = new Segment[0];
    private volatile long minOffset;
    private volatile long maxOffset;
    /** Entries below this are forced to disk. Dispatcher and checkpoint threads. */
    private volatile long flushedOffset;
    /**
     * Next offset to hand out to an appended record. Written under the CommitLog write lock; volatile
     * so that anyone can see where the queue ends including records not yet dispatched.
     */
    volatile long nextAssignOffset;

    /**
     * Bytes from the start of the last segment whose pages the dispatcher has already brought into
     * the page cache by writing them through the file (see {@link #put}). Dispatcher thread only.
     */
    private int cachedBytes;
    private long cachedSegmentFirstOffset = -1;
    /** An open channel of one segment, held for {@link EntryFileWriter}; dispatcher thread only. */
    FileChannel openSegmentChannel;
    long openSegmentFirstOffset = -1;

    /**
     * One mapped segment file; its buffer is written by the dispatcher and read by anyone. {@code
     * writtenHead}: bytes at its start written through the file when it was created (in the page
     * cache, so entries there go straight through the mapping).
     */
    private record Segment(long firstOffset, Path path, MappedByteBuffer mapping, int writtenHead) {
    }

    private FreeSpace freeSpace;

    ConsumeQueue(QueueKey key, Path directory, String filePrefix, int entriesPerSegment, FreeSpace freeSpace) {
        this(key, directory, filePrefix, entriesPerSegment);
        this.freeSpace = freeSpace;
    }

    ConsumeQueue(QueueKey key, Path directory, String filePrefix, int entriesPerSegment) {
        this.key = key;
        this.directory = directory;
        this.filePrefix = filePrefix;
        this.entriesPerSegment = entriesPerSegment;
        this.segmentBytes = entriesPerSegment * ConsumeQueueEntry.SIZE;
    }

    public QueueKey key() {
        return key;
    }

    /** First readable queue offset. */
    public long minOffset() {
        return minOffset;
    }

    /** One past the last dispatched entry. */
    public long maxOffset() {
        return maxOffset;
    }

    /** One past the last offset given to an appended record (dispatched or not yet). */
    public long assignedOffset() {
        return nextAssignOffset;
    }

    /** The paths of this queue's segment files, first to last. */
    List<Path> files() {
        List<Path> out = new ArrayList<>();
        for (Segment seg : segments) {
            out.add(seg.path);
        }
        return out;
    }

    /** The segment file that starts at queue offset {@code firstOffset}. */
    Path segmentPath(long firstOffset) {
        return directory.resolve(filePrefix + CommitLogSegment.fileName(firstOffset));
    }

    /**
     * Loads this queue's segment files ({@code files}, found in the directory by the table, sorted);
     * the maximum is the first empty entry of the last one.
     */
    void load(List<Path> files, long commitLogMinOffset) throws IOException {
        List<Segment> loaded = new ArrayList<>();
        for (Path p : files) {
            long first = Long.parseLong(p.getFileName().toString().substring(filePrefix.length()));
            if (!loaded.isEmpty() && first != loaded.get(loaded.size() - 1).firstOffset + entriesPerSegment) {
                throw new IOException("consume queue " + key + ": segment " + p + " does not follow "
                        + loaded.get(loaded.size() - 1).path + " (segments must be contiguous)");
            }
            if (Files.size(p) != segmentBytes) {
                MappedFiles.create(p, segmentBytes, false);
            }
            loaded.add(new Segment(first, p, MappedFiles.map(p, segmentBytes), 0));
        }
        segments = loaded.toArray(new Segment[0]);
        if (loaded.isEmpty()) {
            return;
        }
        Segment last = loaded.get(loaded.size() - 1);
        int filled = firstEmpty(last.mapping);
        maxOffset = last.firstOffset + filled;
        minOffset = segments[0].firstOffset;
        flushedOffset = maxOffset;
        if (filled == 0 && loaded.size() == 1) {
            minOffset = maxOffset;
        }
        dropEntriesBelow(commitLogMinOffset);
        nextAssignOffset = maxOffset;
    }

    /** Binary search for the first entry of size 0 in a segment written front to back. */
    private int firstEmpty(ByteBuffer mapping) {
        int lo = 0;
        int hi = entriesPerSegment;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (ConsumeQueueEntry.size(mapping, mid * ConsumeQueueEntry.SIZE) != 0) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    /**
     * Writes the entry for {@code queueOffset}. Re-dispatching an offset already present changes
     * nothing (dispatch is idempotent); offsets below the minimum were deleted and are ignored.
     * Dispatcher thread only.
     */
    void put(long queueOffset, long commitLogOffset, int size, long tagCode, EntryFileWriter writer)
            throws IOException {
        long max = maxOffset;
        if (queueOffset < max) {
            if (queueOffset >= minOffset) {
                Segment s = segmentFor(queueOffset);
                int pos = (int) (queueOffset - s.firstOffset) * ConsumeQueueEntry.SIZE;
                if (ConsumeQueueEntry.commitLogOffset(s.mapping, pos) != commitLogOffset) {
                    LOG.warn("consume queue {}: entry {} pointed at {} and is rewritten to {}", key, queueOffset,
                            ConsumeQueueEntry.commitLogOffset(s.mapping, pos), commitLogOffset);
                    ConsumeQueueEntry.write(s.mapping, pos, commitLogOffset, size, tagCode);
                }
            }
            return;
        }
        Segment[] segs = segments;
        if (segs.length == 0) {
            synchronized (this) { // the files worker may be creating it (prepareFirstSegment)
                if (segments.length == 0) {
                    segments = new Segment[] {createSegment(queueOffset)};
                    minOffset = queueOffset;
                    maxOffset = queueOffset;
                    flushedOffset = queueOffset;
                }
                segs = segments;
                max = maxOffset;
            }
        }
        if (queueOffset > max) {
            LOG.warn("consume queue {}: entries {} to {} are missing from the commit log; they stay empty",
                    key, max, queueOffset - 1);
        }
        Segment s = segmentFor(queueOffset);
        while (s == null) {
            synchronized (this) {
                Segment lastSeg = segments[segments.length - 1];
                Segment next = createSegment(lastSeg.firstOffset + entriesPerSegment);
                Segment[] grown = Arrays.copyOf(segments, segments.length + 1);
                grown[grown.length - 1] = next;
                segments = grown;
            }
            s = segmentFor(queueOffset);
        }
        int pos = (int) (queueOffset - s.firstOffset) * ConsumeQueueEntry.SIZE;
        if (s.firstOffset != cachedSegmentFirstOffset && pos + ConsumeQueueEntry.SIZE <= s.writtenHead) {
            cachedSegmentFirstOffset = s.firstOffset; // its head was written at creation: in the page cache
            cachedBytes = s.writtenHead;
        }
        if (s.firstOffset != cachedSegmentFirstOffset || pos + ConsumeQueueEntry.SIZE > cachedBytes) {
            // A new page: written through the file, not faulted in through the mapping (EntryFileWriter).
            writer.write(this, s.path, s.firstOffset, pos, commitLogOffset, size, tagCode);
            cachedSegmentFirstOffset = s.firstOffset;
            cachedBytes = (pos + ConsumeQueueEntry.SIZE + PAGE - 1) / PAGE * PAGE;
        } else {
            ConsumeQueueEntry.write(s.mapping, pos, commitLogOffset, size, tagCode);
        }
        maxOffset = queueOffset + 1;
    }

    /** Whether a record was ever appended to (or recovered for) this queue: not so for a prepared one. */
    public boolean everHadRecords() {
        return nextAssignOffset > 0 || maxOffset > 0 || minOffset > 0;
    }

    boolean hasSegments() {
        return segments.length != 0;
    }

    /**
     * Creates the first segment of a queue that has never had an entry (its first offset is 0), ahead
     * of the record; does nothing otherwise. Any thread (see {@link QueueFilesWorker}).
     */
    synchronized void prepareFirstSegment() throws IOException {
        if (segments.length == 0 && maxOffset == 0 && minOffset == 0) {
            segments = new Segment[] {createSegment(0)};
        }
    }

    private Segment createSegment(long firstOffset) throws IOException {
        Path p = segmentPath(firstOffset);
        if (filePrefix.startsWith("~")) {
            // A destination too long for a file name: its name goes beside the segments once.
            Path name = directory.resolve(filePrefix.substring(0, filePrefix.indexOf('@')) + ".name");
            if (!Files.exists(name)) {
                Files.writeString(name, key.destination(), java.nio.charset.StandardCharsets.UTF_8);
            }
        }
        if (freeSpace != null) {
            freeSpace.reserve(p, segmentBytes);
            int[] written = new int[1];
            MappedByteBuffer mapping = MappedFiles.createMapped(p, segmentBytes, PAGE, written);
            if (written[0] > 0) {
                // The new file's first page is in the page cache; one write through the mapping maps it
                // writable into this process now, on the thread creating the segment (the files thread for
                // a prepared queue), so that the dispatcher's first entry does not take the write fault
                // (about 8 us with ext4's page_mkwrite, in the round trip of the sends of its batch: 80 ms
                // over a first pass of 10,000 queues). The byte is an empty entry's, zero either way.
                mapping.put(0, (byte) 0);
            }
            return new Segment(firstOffset, p, mapping, written[0]);
        }
        MappedFiles.create(p, segmentBytes, false);
        return new Segment(firstOffset, p, MappedFiles.map(p, segmentBytes), 0);
    }

    private Segment segmentFor(long queueOffset) {
        Segment[] segs = segments;
        if (segs.length == 0 || queueOffset < segs[0].firstOffset) {
            return null;
        }
        long index = (queueOffset - segs[0].firstOffset) / entriesPerSegment;
        return index < segs.length ? segs[(int) index] : null;
    }

    /**
     * Reads up to {@code max} entries from {@code fromOffset} into {@code out} (cleared first); returns
     * how many were read. Reading at or beyond the maximum returns 0.
     */
    public int read(long fromOffset, int max, ConsumeQueueBatch out) {
        out.clear();
        long end = Math.min(maxOffset, fromOffset + Math.min(max, out.capacity()));
        for (long q = Math.max(fromOffset, minOffset); q < end; q++) {
            Segment s = segmentFor(q);
            if (s == null) {
                break;
            }
            int pos = (int) (q - s.firstOffset) * ConsumeQueueEntry.SIZE;
            int size = ConsumeQueueEntry.size(s.mapping, pos);
            if (size != 0) {
                out.add(q, ConsumeQueueEntry.commitLogOffset(s.mapping, pos), size,
                        ConsumeQueueEntry.tagCode(s.mapping, pos));
            }
        }
        return out.count();
    }

    /** The CommitLog offset of entry {@code queueOffset}, or -1 if it is empty or out of range. */
    public long commitLogOffsetAt(long queueOffset) {
        if (queueOffset < minOffset || queueOffset >= maxOffset) {
            return -1;
        }
        Segment s = segmentFor(queueOffset);
        int pos = (int) (queueOffset - s.firstOffset) * ConsumeQueueEntry.SIZE;
        return ConsumeQueueEntry.size(s.mapping, pos) == 0 ? -1 : ConsumeQueueEntry.commitLogOffset(s.mapping, pos);
    }

    /**
     * Recovery: removes every entry that points at or beyond {@code commitLogEnd} (the log was
     * truncated there). Entries point at increasing offsets, so a binary search finds the cut.
     */
    void truncateTo(long commitLogEnd) throws IOException {
        long lo = minOffset;
        long hi = maxOffset;
        while (lo < hi) {
            long mid = (lo + hi) >>> 1;
            Segment s = segmentFor(mid);
            int pos = (int) (mid - s.firstOffset) * ConsumeQueueEntry.SIZE;
            long end = ConsumeQueueEntry.commitLogOffset(s.mapping, pos) + ConsumeQueueEntry.size(s.mapping, pos);
            if (ConsumeQueueEntry.size(s.mapping, pos) != 0 && end <= commitLogEnd) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        long cut = lo;
        if (cut == maxOffset) {
            return;
        }
        LOG.info("consume queue {}: truncating entries {} to {} beyond the commit log end {}", key, cut,
                maxOffset - 1, commitLogEnd);
        for (long q = cut; q < maxOffset; q++) {
            Segment s = segmentFor(q);
            ConsumeQueueEntry.clear(s.mapping, (int) (q - s.firstOffset) * ConsumeQueueEntry.SIZE);
        }
        maxOffset = cut;
        nextAssignOffset = cut;
        flushedOffset = Math.min(flushedOffset, cut);
        forceAll();
    }

    /**
     * {@link #flush}, for the background pass: a queue deleted meanwhile (its files moved aside or
     * removed) is skipped rather than failing the pass.
     */
    public void flushQuietly() throws IOException {
        try {
            flush();
        } catch (java.io.UncheckedIOException e) {
            if (segments.length > 0 && java.nio.file.Files.exists(segments[segments.length - 1].path)) {
                throw e.getCause();
            }
        }
    }

    /** Forces entries written since the last flush. */
    void flush() throws IOException {
        long max = maxOffset;
        long from = flushedOffset;
        if (max <= from) {
            return;
        }
        Segment[] segs = segments;
        for (Segment s : segs) {
            long segEnd = s.firstOffset + entriesPerSegment;
            if (segEnd <= from || s.firstOffset >= max) {
                continue;
            }
            int a = (int) (Math.max(from, s.firstOffset) - s.firstOffset) * ConsumeQueueEntry.SIZE;
            int b = (int) (Math.min(max, segEnd) - s.firstOffset) * ConsumeQueueEntry.SIZE;
            s.mapping.force(a, b - a);
        }
        flushedOffset = max;
    }

    private void forceAll() {
        for (Segment s : segments) {
            s.mapping.force();
        }
    }

    /**
     * Retention: deletes segments whose every entry points below {@code commitLogMinOffset} (never
     * the last one) and moves the minimum to the first entry still stored in the CommitLog.
     */
    synchronized void dropEntriesBelow(long commitLogMinOffset) throws IOException {
        Segment[] segs = segments;
        int drop = 0;
        while (drop < segs.length - 1) {
            Segment s = segs[drop];
            long lastEntryOffset = ConsumeQueueEntry.commitLogOffset(s.mapping,
                    (entriesPerSegment - 1) * ConsumeQueueEntry.SIZE);
            if (lastEntryOffset >= commitLogMinOffset) {
                break;
            }
            drop++;
        }
        if (drop > 0) {
            segments = Arrays.copyOfRange(segs, drop, segs.length);
            for (int i = 0; i < drop; i++) {
                Files.deleteIfExists(segs[i].path);
            }
        }
        long lo = Math.max(minOffset, segments.length == 0 ? minOffset : segments[0].firstOffset);
        long hi = maxOffset;
        while (lo < hi) {
            long mid = (lo + hi) >>> 1;
            if (commitLogOffsetAt(mid) < commitLogMinOffset) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        minOffset = lo;
    }

    @Override
    public String toString() {
        return "consume queue " + key;
    }

    static UncheckedIOException unchecked(String what, IOException e) {
        return new UncheckedIOException(what + ": " + e.getMessage(), e);
    }
}
