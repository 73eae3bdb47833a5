package io.keel.store.queue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Writes the ConsumeQueue entries that open a new page of a segment file with a positioned write
 * rather than through the segment's mapping.
 *
 * <p>Why: a segment is a sparse file, and the first touch of one of its pages through a mapping is a
 * page fault whose read-around fills the page cache with the holes around it: the whole 320 KiB
 * segment when the device's {@code read_ahead_kb} is large (8 MiB on the machine of the benchmarks),
 * about a millisecond of kernel time per new queue, paid in a row by 10,000 new queues. A write puts
 * only the pages it covers in the page cache; the following entries of those pages then go through
 * the mapping as usual (the mapping and the file share the page cache). A segment's first page needs
 * none of this: it is written with zeros when the segment is created (in the same open), so a new
 * queue's first entries, the 10,000 of a first pass over 10,000 queues, open no file here.
 *
 * <p>The channels of the most recently written segments stay open, at most {@code maxOpenFiles}
 * (evicted oldest first), so a busy queue opens its file once per segment rather than once per page,
 * and a store with more queues than that does not hold a descriptor per queue. Dispatcher thread only.
 */
final class EntryFileWriter implements AutoCloseable {

    /** Open segment channels kept by default: enough for the queues written in any one second. */
    static final int DEFAULT_MAX_OPEN_FILES = 1024;

    private final ByteBuffer entry = ByteBuffer.allocateDirect(ConsumeQueueEntry.SIZE);
    /** The queues holding an open channel, a ring evicted in order of opening. */
    private final ConsumeQueue[] holders;
    private int nextHolder;

    EntryFileWriter(int maxOpenFiles) {
        this.holders = new ConsumeQueue[maxOpenFiles];
    }

    /** Writes one entry at byte {@code position} of the segment file {@code file} of queue {@code q}. */
    void write(ConsumeQueue q, Path file, long segmentFirstOffset, int position, long commitLogOffset, int size,
            long tagCode) throws IOException {
        FileChannel ch = q.openSegmentChannel;
        if (ch == null || q.openSegmentFirstOffset != segmentFirstOffset) {
            if (ch != null) {
                ch.close(); // the queue moved on to its next segment; it keeps its place in the ring
            } else {
                ConsumeQueue evicted = holders[nextHolder];
                if (evicted != null) {
                    closeChannelOf(evicted);
                }
                holders[nextHolder] = q;
                nextHolder = (nextHolder + 1) % holders.length;
            }
            q.openSegmentChannel = null;
            ch = FileChannel.open(file, StandardOpenOption.WRITE);
            q.openSegmentChannel = ch;
            q.openSegmentFirstOffset = segmentFirstOffset;
        }
        entry.clear();
        ConsumeQueueEntry.write(entry, 0, commitLogOffset, size, tagCode);
        while (entry.hasRemaining()) {
            ch.write(entry, position + entry.position());
        }
    }

    /** Closes the channel of a deleted queue (its ring slot is reused in turn). */
    void forget(ConsumeQueue q) throws IOException {
        closeChannelOf(q);
    }

    private static void closeChannelOf(ConsumeQueue q) throws IOException {
        FileChannel ch = q.openSegmentChannel;
        q.openSegmentChannel = null;
        if (ch != null) {
            ch.close();
        }
    }

    @Override
    public void close() throws IOException {
        IOException first = null;
        for (int i = 0; i < holders.length; i++) {
            ConsumeQueue q = holders[i];
            holders[i] = null;
            if (q != null) {
                try {
                    closeChannelOf(q);
                } catch (IOException e) {
                    first = first == null ? e : first;
                }
            }
        }
        if (first != null) {
            throw first;
        }
    }
}
