package io.keel.store;

import java.nio.ByteBuffer;

import io.keel.store.commitlog.CommitLogSegment;

/**
 * One record read from the CommitLog: a read-only view of its bytes in the mapped segment, no copy.
 * The segment stays mapped until {@link #close()}; use the slice only before closing it.
 *
 * <p>A {@link #reusable()} slice is handed to {@link MessageStore#readMessage(long, RecordSlice)} read
 * after read: it keeps two read-only views of the last segment it read (one for the record's fields,
 * one framing the payload) and only makes new ones when a read lands in another segment, so a
 * delivery path reads without allocating. Its payload buffer is the same object on every read.
 */
public final class RecordSlice implements AutoCloseable {

    private CommitLogSegment segment;
    private ByteBuffer bytes;
    private final RecordView view = new RecordView();
    private boolean closed;
    /** Reusable slices only: the segment the views below belong to, and the views. */
    private final boolean reusable;
    private CommitLogSegment viewsOf;
    private ByteBuffer recordView;
    private ByteBuffer payloadView;
    private int base;
    private int total;

    RecordSlice(CommitLogSegment segment, ByteBuffer bytes) {
        this.reusable = false;
        this.segment = segment;
        this.bytes = bytes;
        this.total = bytes.remaining();
        this.view.wrap(bytes, 0);
    }

    private RecordSlice() {
        this.reusable = true;
        this.closed = true;
    }

    /** A slice for {@link MessageStore#readMessage(long, RecordSlice)}, reused by one thread at a time. */
    public static RecordSlice reusable() {
        return new RecordSlice();
    }

    boolean isReusable() {
        return reusable;
    }

    /** The read-only view of {@code s} this reusable slice reads through (made when the segment changes). */
    ByteBuffer viewOf(CommitLogSegment s) {
        if (viewsOf != s) {
            recordView = s.readView();
            payloadView = recordView.duplicate();
            viewsOf = s;
        }
        return recordView;
    }

    /** Points this reusable slice at the record of {@code total} bytes at {@code rel} of retained {@code s}. */
    RecordSlice open(CommitLogSegment s, int rel, int total) {
        close();
        this.segment = s;
        this.base = rel;
        this.total = total;
        this.bytes = null;
        this.view.wrap(recordView, rel);
        this.closed = false;
        return this;
    }

    /** The whole record (header, destination, payload), read-only, position 0. Allocates for a reusable slice. */
    public ByteBuffer bytes() {
        if (bytes == null) {
            bytes = recordView.slice(base, total);
        }
        return bytes;
    }

    /** Field access to the record. */
    public RecordView record() {
        return view;
    }

    /**
     * The payload, read-only, without copying: its position and limit frame the payload. A reusable
     * slice returns the same buffer on every read (valid until the next one).
     */
    public ByteBuffer payload() {
        if (!reusable) {
            return view.payload();
        }
        int from = view.payloadPosition();
        payloadView.limit(from + view.payloadLength()).position(from);
        return payloadView;
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            segment.release();
            segment = null;
        }
    }
}
