package io.keel.store;

import java.nio.ByteBuffer;

/**
 * The payload of an {@link AppendRecord} as something the store copies from during {@code append},
 * for bytes the caller cannot hand over as a {@link ByteBuffer} without making one: a Netty buffer's
 * {@code nioBuffer()} creates two ByteBuffer objects per call, while its {@code getBytes(index,
 * ByteBuffer)} copies into a direct buffer without allocating. With the default write mode the store
 * has it copy straight into the mapped segment (one copy, as for a ByteBuffer payload); with
 * {@link WriteMode#FILE_CHANNEL} into a staging buffer first.
 */
public interface PayloadSource {

    /** The payload's size in bytes; the same on every call during an append. */
    int length();

    /**
     * Copies the {@link #length()} bytes to {@code dst} at its position (it has exactly that many
     * remaining), advancing the position. Called at most once per append, on the appending thread.
     */
    void copyTo(ByteBuffer dst);
}
