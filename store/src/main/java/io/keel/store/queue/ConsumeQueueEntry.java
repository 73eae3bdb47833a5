package io.keel.store.queue;

import java.nio.ByteBuffer;

/**
 * The on-disk layout of one ConsumeQueue entry: 20 bytes, big-endian, so entry {@code n} of a segment
 * whose first entry is {@code f} sits at byte {@code 20 * (n - f)}.
 *
 * <pre>
 *  0                               8               12                              20
 *  +-------------------------------+---------------+-------------------------------+
 *  | commitLogOffset (8)           | size (4)      | tagCode (8)                   |
 *  +-------------------------------+---------------+-------------------------------+
 * </pre>
 *
 * A size of 0 marks an entry that was never written (segment files start zeroed).
 */
public final class ConsumeQueueEntry {

    public static final int SIZE = 20;
    public static final int COMMIT_LOG_OFFSET = 0;
    public static final int RECORD_SIZE = 8;
    public static final int TAG_CODE = 12;

    private ConsumeQueueEntry() {
    }

    public static void write(ByteBuffer buf, int position, long commitLogOffset, int size, long tagCode) {
        buf.putLong(position + COMMIT_LOG_OFFSET, commitLogOffset);
        buf.putLong(position + TAG_CODE, tagCode);
        // Size last: a reader that sees a non-zero size sees the whole entry.
        buf.putInt(position + RECORD_SIZE, size);
    }

    public static long commitLogOffset(ByteBuffer buf, int position) {
        return buf.getLong(position + COMMIT_LOG_OFFSET);
    }

    public static int size(ByteBuffer buf, int position) {
        return buf.getInt(position + RECORD_SIZE);
    }

    public static long tagCode(ByteBuffer buf, int position) {
        return buf.getLong(position + TAG_CODE);
    }

    public static void clear(ByteBuffer buf, int position) {
        buf.putInt(position + RECORD_SIZE, 0);
        buf.putLong(position + COMMIT_LOG_OFFSET, 0);
        buf.putLong(position + TAG_CODE, 0);
    }
}
