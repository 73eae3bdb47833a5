package io.keel.store;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

import io.keel.store.commitlog.RecordLayout;

/**
 * A flyweight over one stored record (see {@link RecordLayout}): getters read the fields in place.
 * The dispatcher hands listeners one instance that it moves from record to record, so a listener must
 * copy what it keeps; {@link RecordSlice#record()} gives one that stays valid while the slice is open.
 */
public final class RecordView {

    private QueueKey queueKey;

    private ByteBuffer buf;
    private int base;

    /** Points this view at the record starting at {@code position} of {@code buffer}. */
    public RecordView wrap(ByteBuffer buffer, int position) {
        this.buf = buffer;
        this.base = position;
        return this;
    }

    public int totalSize() {
        return buf.getInt(base + RecordLayout.TOTAL_SIZE);
    }

    public int flags() {
        return buf.getShort(base + RecordLayout.FLAGS) & 0xFFFF;
    }

    public AppendRecord.Kind kind() {
        return RecordLayout.kind(flags()) == RecordLayout.KIND_SYSTEM ? AppendRecord.Kind.SYSTEM : AppendRecord.Kind.MESSAGE;
    }

    public boolean isSystem() {
        return RecordLayout.kind(flags()) == RecordLayout.KIND_SYSTEM;
    }

    public AppendRecord.TxnState txnState() {
        return AppendRecord.TxnState.values()[RecordLayout.txnState(flags())];
    }

    /** A message stored without a ConsumeQueue entry, made visible later by a forwarding record. */
    public boolean isDeferred() {
        return RecordLayout.isDeferred(flags());
    }

    /** A forwarding record: its payload points at the body it makes visible. */
    public boolean isForward() {
        return RecordLayout.isForward(flags());
    }

    /** Whether the record has (or will get) a ConsumeQueue entry. */
    public boolean isIndexed() {
        return RecordLayout.isIndexed(flags()) && destinationLength() > 0;
    }

    public int destinationLength() {
        return buf.getShort(base + RecordLayout.DESTINATION_LENGTH) & 0xFFFF;
    }

    /** The destination name; allocates a String (use {@link #destinationPosition()} to avoid it). */
    public String destination() {
        int len = destinationLength();
        byte[] b = new byte[len];
        buf.get(base + RecordLayout.HEADER_SIZE, b);
        return new String(b, StandardCharsets.UTF_8);
    }

    /** Absolute position of the destination bytes in {@link #buffer()}. */
    public int destinationPosition() {
        return base + RecordLayout.HEADER_SIZE;
    }

    public int queueId() {
        return buf.getInt(base + RecordLayout.QUEUE_ID);
    }

    public long queueOffset() {
        return buf.getLong(base + RecordLayout.QUEUE_OFFSET);
    }

    public long physicalOffset() {
        return buf.getLong(base + RecordLayout.PHYSICAL_OFFSET);
    }

    public long storeTimestamp() {
        return buf.getLong(base + RecordLayout.STORE_TIMESTAMP);
    }

    public long deliveryTime() {
        return buf.getLong(base + RecordLayout.DELIVERY_TIME);
    }

    public long producerId() {
        return buf.getLong(base + RecordLayout.PRODUCER_ID);
    }

    public long producerSequence() {
        return buf.getLong(base + RecordLayout.PRODUCER_SEQUENCE);
    }

    public long tagCode() {
        return buf.getLong(base + RecordLayout.TAG_CODE);
    }

    public long transactionId() {
        return buf.getLong(base + RecordLayout.TRANSACTION_ID);
    }

    public int systemType() {
        return buf.getInt(base + RecordLayout.SYSTEM_TYPE);
    }

    /** The buffer the view reads from (read-only); see the position getters. */
    public ByteBuffer buffer() {
        return buf;
    }

    /** Absolute position of the payload in {@link #buffer()}. */
    public int payloadPosition() {
        return base + RecordLayout.HEADER_SIZE + destinationLength();
    }

    public int payloadLength() {
        return totalSize() - RecordLayout.HEADER_SIZE - destinationLength();
    }

    /** A read-only slice of the payload, without copying it. Allocates the slice object. */
    public ByteBuffer payload() {
        return buf.slice(payloadPosition(), payloadLength()).asReadOnlyBuffer();
    }

    /**
     * The key of the ConsumeQueue the dispatcher put this record in (an object the store keeps, so a
     * listener can look it up without decoding the name), or null for a record without an entry or
     * outside dispatch (scans).
     */
    public QueueKey queueKey() {
        return queueKey;
    }

    /** Set by the dispatcher before the listeners see the record. */
    public void queueKey(QueueKey key) {
        this.queueKey = key;
    }
}
