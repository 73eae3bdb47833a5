package io.keel.store;

import java.nio.ByteBuffer;

import io.keel.store.commitlog.CommitLogSegment;

/**
 * One record read from the CommitLog: a read-only view of its bytes in the mapped segment, no copy.
 * The segment stays mapped until {@link #close()}; use the slice only before closing it.
 */
public final class RecordSlice implements AutoCloseable {

    private final CommitLogSegment segment;
    private final ByteBuffer bytes;
    private final RecordView view;
    private boolean closed;

    RecordSlice(CommitLogSegment segment, ByteBuffer bytes) {
        this.segment = segment;
        this.bytes = bytes;
        this.view = new RecordView().wrap(bytes, 0);
    }

    /** The whole record (header, destination, payload), read-only, position 0. */
    public ByteBuffer bytes() {
        return bytes;
    }

    /** Field access to the record. */
    public RecordView record() {
        return view;
    }

    /** The payload, read-only, without copying. */
    public ByteBuffer payload() {
        return view.payload();
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            segment.release();
        }
    }
}
