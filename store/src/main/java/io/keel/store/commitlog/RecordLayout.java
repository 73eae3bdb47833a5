package io.keel.store.commitlog;

import java.nio.ByteBuffer;
import java.util.zip.CRC32C;

/**
 * The on-disk layout of one CommitLog record: a store header owned by the store, the destination name
 * of its queue key, and an opaque payload. All integers are big-endian.
 *
 * <pre>
 *  0       4       8       12  14  16      20              28              36
 *  +-------+-------+-------+---+---+-------+---------------+---------------+
 *  | total | magic | crc32c|flg|dln|queueId| queueOffset   | physicalOffset|
 *  +-------+-------+-------+---+---+-------+---------------+---------------+
 *  36              44              52              60              68
 *  +---------------+---------------+---------------+---------------+
 *  | storeTimestamp| deliveryTime  | producerId    | producerSeq   |
 *  +---------------+---------------+---------------+---------------+
 *  68              76              84      88
 *  +---------------+---------------+-------+--------------+--------------------+
 *  | tagCode       | transactionId | sysTyp| destination  | payload            |
 *  +---------------+---------------+-------+ (dln bytes)  | (total-88-dln)     |
 *                                          +--------------+--------------------+
 * </pre>
 *
 * <ul>
 *   <li>{@code total}: size of the whole record in bytes, header included.</li>
 *   <li>{@code magic}: {@link #MAGIC_V1} for a record, {@link #PADDING_MAGIC} for the blank record that
 *       fills the end of a segment (then only {@code total} and {@code magic} are written, and
 *       {@code total} is exactly the rest of the segment).</li>
 *   <li>{@code crc32c}: CRC32C of bytes [0, 8) and [12, total): the whole record except the CRC field.</li>
 *   <li>{@code flg} (flags, 16 bits): bit 0 kind (0 message, 1 system); bits 2-3 transaction state
 *       ({@link #TXN_NONE}, {@link #TXN_PREPARED}, {@link #TXN_COMMIT}, {@link #TXN_ROLLBACK}); bit 4
 *       {@link #FLAG_INDEXED}: a system record that gets a ConsumeQueue entry; bit 5
 *       {@link #FLAG_DEFERRED}: a message stored now and made visible later (delivery delay); bit 6
 *       {@link #FLAG_FORWARD}: a message whose payload is a {@link ForwardRecord} pointing at the body
 *       of a deferred or prepared message, which it makes visible without copying it.</li>
 *   <li>{@code dln}: length of the UTF-8 destination name (0 for system records without a queue).</li>
 *   <li>{@code queueOffset}: position of the record in its ConsumeQueue, or -1 when it has none.</li>
 *   <li>{@code physicalOffset}: the record's own offset in the CommitLog, checked on recovery.</li>
 *   <li>{@code sysTyp}: the owner's subtype of a system record (the store does not interpret it).</li>
 * </ul>
 *
 * <p>This class only holds the layout constants and the few helpers that read or check it; the
 * writer fills the fields in place in the mapped segment so that the payload is copied once.
 */
public final class RecordLayout {

    public static final int MAGIC_V1 = 0x4B4C0001;
    public static final int PADDING_MAGIC = 0x4B4C00FF;

    public static final int TOTAL_SIZE = 0;
    public static final int MAGIC = 4;
    public static final int CRC = 8;
    public static final int FLAGS = 12;
    public static final int DESTINATION_LENGTH = 14;
    public static final int QUEUE_ID = 16;
    public static final int QUEUE_OFFSET = 20;
    public static final int PHYSICAL_OFFSET = 28;
    public static final int STORE_TIMESTAMP = 36;
    public static final int DELIVERY_TIME = 44;
    public static final int PRODUCER_ID = 52;
    public static final int PRODUCER_SEQUENCE = 60;
    public static final int TAG_CODE = 68;
    public static final int TRANSACTION_ID = 76;
    public static final int SYSTEM_TYPE = 84;
    /**
     * System types below 0 are the store's own. This one deletes the ConsumeQueue of the record's
     * queue key where it stands in the log: entries of records before it go, records after it start
     * the queue afresh at offset 0. Replaying the log replays the deletion at the same point.
     */
    public static final int SYSTEM_TYPE_QUEUE_DELETED = -1;
    /** Size of the fixed header; the destination name starts here. */
    public static final int HEADER_SIZE = 88;

    /** A padding record needs its size and magic: 8 bytes. A record must always leave room for one. */
    public static final int MIN_PADDING = 8;

    public static final int KIND_MASK = 0x1;
    public static final int KIND_MESSAGE = 0;
    public static final int KIND_SYSTEM = 1;
    public static final int TXN_SHIFT = 2;
    public static final int TXN_MASK = 0x3 << TXN_SHIFT;
    public static final int TXN_NONE = 0;
    public static final int TXN_PREPARED = 1;
    public static final int TXN_COMMIT = 2;
    public static final int TXN_ROLLBACK = 3;
    public static final int FLAG_INDEXED = 1 << 4;
    public static final int FLAG_DEFERRED = 1 << 5;
    public static final int FLAG_FORWARD = 1 << 6;
    private static final int KNOWN_FLAGS = KIND_MASK | TXN_MASK | FLAG_INDEXED | FLAG_DEFERRED | FLAG_FORWARD;

    private RecordLayout() {
    }

    /** Total size of a record with this destination and payload length. */
    public static int recordSize(int destinationLength, int payloadLength) {
        return HEADER_SIZE + destinationLength + payloadLength;
    }

    public static int flags(int kind, int txnState, boolean indexed) {
        return kind | (txnState << TXN_SHIFT) | (indexed ? FLAG_INDEXED : 0);
    }

    public static boolean isDeferred(int flags) {
        return (flags & FLAG_DEFERRED) != 0;
    }

    public static boolean isForward(int flags) {
        return (flags & FLAG_FORWARD) != 0;
    }

    public static int kind(int flags) {
        return flags & KIND_MASK;
    }

    public static int txnState(int flags) {
        return (flags & TXN_MASK) >>> TXN_SHIFT;
    }

    /**
     * Whether the record gets a ConsumeQueue entry when dispatched: committed-or-plain messages and
     * system records flagged {@link #FLAG_INDEXED}. Prepared (half) messages stay invisible.
     */
    public static boolean isIndexed(int flags) {
        if (kind(flags) == KIND_SYSTEM) {
            return (flags & FLAG_INDEXED) != 0;
        }
        if (isDeferred(flags)) {
            return false;
        }
        int txn = txnState(flags);
        return txn == TXN_NONE || txn == TXN_COMMIT;
    }

    /**
     * Computes the record CRC over [0, 8) and [12, total) of the record at {@code position} of
     * {@code view}. The view is cleared afterwards (position 0, limit = capacity); callers pass a view
     * they own.
     */
    public static int computeCrc(CRC32C crc, ByteBuffer view, int position, int totalSize) {
        crc.reset();
        view.limit(position + CRC).position(position);
        crc.update(view);
        view.limit(position + totalSize).position(position + FLAGS);
        crc.update(view);
        view.clear();
        return (int) crc.getValue();
    }

    /** Outcome of {@link #check}: a valid record, the end of the data, or a damaged record. */
    public enum Check { RECORD, PADDING, END, INVALID }

    /**
     * Checks the record at {@code position} of a segment mapped at {@code segmentStart} whose data
     * ends at {@code limit}: size bounds, magic, known flags, stored physical offset and CRC.
     * {@link Check#END} means the bytes there are zero (nothing was ever written).
     */
    public static Check check(CRC32C crc, ByteBuffer view, long segmentStart, int position, int limit,
            int maxRecordSize) {
        int remaining = limit - position;
        if (remaining < MIN_PADDING) {
            return remaining == 0 || isZero(view, position, remaining) ? Check.END : Check.INVALID;
        }
        int total = view.getInt(position + TOTAL_SIZE);
        int magic = view.getInt(position + MAGIC);
        if (total == 0 && magic == 0) {
            return Check.END;
        }
        if (magic == PADDING_MAGIC) {
            return total == remaining ? Check.PADDING : Check.INVALID;
        }
        if (magic != MAGIC_V1 || total < HEADER_SIZE || total > maxRecordSize || total > remaining - MIN_PADDING) {
            return Check.INVALID;
        }
        int flags = view.getShort(position + FLAGS) & 0xFFFF;
        int destinationLength = view.getShort(position + DESTINATION_LENGTH) & 0xFFFF;
        if ((flags & ~KNOWN_FLAGS) != 0 || HEADER_SIZE + destinationLength > total
                || view.getLong(position + PHYSICAL_OFFSET) != segmentStart + position) {
            return Check.INVALID;
        }
        int stored = view.getInt(position + CRC);
        return computeCrc(crc, view, position, total) == stored ? Check.RECORD : Check.INVALID;
    }

    private static boolean isZero(ByteBuffer view, int position, int length) {
        for (int i = 0; i < length; i++) {
            if (view.get(position + i) != 0) {
                return false;
            }
        }
        return true;
    }
}
