package io.keel.store.commitlog;

import java.nio.ByteBuffer;

/**
 * The payload of a forwarding record ({@link RecordLayout#FLAG_FORWARD}): where the body it makes
 * visible is stored. The forwarding record is appended to the queue when the message becomes visible
 * (its delivery time came, its transaction committed), so ConsumeQueue entries stay in CommitLog
 * order and the body is never copied.
 *
 * <pre>
 *  0                               8               12
 *  +-------------------------------+---------------+
 *  | target physical offset        | target size   |
 *  +-------------------------------+---------------+
 * </pre>
 */
public final class ForwardRecord {

    public static final int SIZE = 12;

    private ForwardRecord() {
    }

    /** Writes the payload into {@code out} (cleared first) and flips it for appending. */
    public static ByteBuffer encode(ByteBuffer out, long targetOffset, int targetSize) {
        out.clear();
        out.putLong(targetOffset).putInt(targetSize);
        return out.flip();
    }

    public static long targetOffset(ByteBuffer payload, int position) {
        return payload.getLong(position);
    }

    public static int targetSize(ByteBuffer payload, int position) {
        return payload.getInt(position + 8);
    }
}
