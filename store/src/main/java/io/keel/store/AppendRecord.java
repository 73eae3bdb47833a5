package io.keel.store;

import java.nio.ByteBuffer;

import io.keel.store.commitlog.RecordLayout;

/**
 * A record to append, described by a mutable object that the caller owns and may reuse as soon as
 * {@code append} returns: the store copies everything it needs during the call. The payload is a
 * ByteBuffer, read between its position and limit (neither is changed), or a {@link PayloadSource}.
 */
public final class AppendRecord {

    /** The kinds of record. */
    public enum Kind {
        /** A message: gets a ConsumeQueue entry unless it is a prepared (half) transactional message. */
        MESSAGE,
        /** A system record (ack, lease, subscription, transaction marker): listeners only, unless indexed. */
        SYSTEM
    }

    /** The transaction state carried in the record flags. */
    public enum TxnState { NONE, PREPARED, COMMIT, ROLLBACK }

    private QueueKey queueKey;
    private Kind kind = Kind.MESSAGE;
    private TxnState txnState = TxnState.NONE;
    private boolean indexed;
    private long deliveryTime;
    private long producerId;
    private long producerSequence;
    private long tagCode;
    private long transactionId;
    private int systemType;
    private boolean awaitFlush = true;
    private boolean deferred;
    private boolean forward;
    private boolean callerFlushes;
    private ByteBuffer payload;
    private PayloadSource payloadSource;

    /** Clears every field back to its default, for reuse. */
    public AppendRecord reset() {
        queueKey = null;
        kind = Kind.MESSAGE;
        txnState = TxnState.NONE;
        indexed = false;
        deliveryTime = 0;
        producerId = 0;
        producerSequence = 0;
        tagCode = 0;
        transactionId = 0;
        systemType = 0;
        awaitFlush = true;
        deferred = false;
        forward = false;
        callerFlushes = false;
        payload = null;
        payloadSource = null;
        return this;
    }

    /** A message for {@code key} with this payload. */
    public AppendRecord message(QueueKey key, ByteBuffer payload) {
        this.kind = Kind.MESSAGE;
        this.queueKey = key;
        this.payload = payload;
        this.payloadSource = null;
        return this;
    }

    /** A message for {@code key} whose payload the store copies from {@code payload} during the append. */
    public AppendRecord message(QueueKey key, PayloadSource payload) {
        this.kind = Kind.MESSAGE;
        this.queueKey = key;
        this.payload = null;
        this.payloadSource = payload;
        return this;
    }

    /**
     * A system record of the owner's subtype {@code systemType} (0 or more: negative types are the
     * store's own), not bound to a queue.
     */
    public AppendRecord system(int systemType, ByteBuffer payload) {
        this.kind = Kind.SYSTEM;
        this.systemType = systemType;
        this.payload = payload;
        this.payloadSource = null;
        return this;
    }

    public QueueKey queueKey() {
        return queueKey;
    }

    /** The queue of a message, or of a system record that is indexed; may be null for system records. */
    public AppendRecord queueKey(QueueKey key) {
        this.queueKey = key;
        return this;
    }

    public Kind kind() {
        return kind;
    }

    public AppendRecord kind(Kind kind) {
        this.kind = kind;
        return this;
    }

    public TxnState txnState() {
        return txnState;
    }

    public AppendRecord txnState(TxnState state) {
        this.txnState = state;
        return this;
    }

    public boolean indexed() {
        return indexed;
    }

    /** Asks for a ConsumeQueue entry for a system record (messages are indexed by their kind). */
    public AppendRecord indexed(boolean indexed) {
        this.indexed = indexed;
        return this;
    }

    public long deliveryTime() {
        return deliveryTime;
    }

    public AppendRecord deliveryTime(long epochMillis) {
        this.deliveryTime = epochMillis;
        return this;
    }

    public long producerId() {
        return producerId;
    }

    public long producerSequence() {
        return producerSequence;
    }

    public AppendRecord producer(long id, long sequence) {
        this.producerId = id;
        this.producerSequence = sequence;
        return this;
    }

    public long tagCode() {
        return tagCode;
    }

    /** The filter code copied into the ConsumeQueue entry (e.g. a hash of a tag or selector key). */
    public AppendRecord tagCode(long code) {
        this.tagCode = code;
        return this;
    }

    public long transactionId() {
        return transactionId;
    }

    public AppendRecord transactionId(long id) {
        this.transactionId = id;
        return this;
    }

    public int systemType() {
        return systemType;
    }

    public AppendRecord systemType(int type) {
        this.systemType = type;
        return this;
    }

    public boolean deferred() {
        return deferred;
    }

    /**
     * Stores a message without a ConsumeQueue entry; a later {@link #forward} record makes it visible
     * (delivery delay).
     */
    public AppendRecord deferred(boolean deferred) {
        this.deferred = deferred;
        return this;
    }

    public boolean forward() {
        return forward;
    }

    /**
     * Marks a message whose payload is a {@link io.keel.store.commitlog.ForwardRecord}: its ConsumeQueue
     * entry makes the referenced body visible; {@link MessageStore#readMessage} follows it.
     */
    public AppendRecord forward(boolean forward) {
        this.forward = forward;
        return this;
    }

    public boolean awaitFlush() {
        return awaitFlush;
    }

    /**
     * Under SYNC_FLUSH, whether completion waits for the force (default true). False suits
     * non-persistent messages, which never wait for the disk.
     */
    public AppendRecord awaitFlush(boolean await) {
        this.awaitFlush = await;
        return this;
    }

    public boolean callerFlushes() {
        return callerFlushes;
    }

    /**
     * Under SYNC_FLUSH, a record that awaits the force does not wake the flusher: the appending thread
     * promises to call {@link MessageStore#flushHere} once it has appended what it has at hand (an
     * event loop after a read). Appends of one read then share a force, and a lone synchronous sender
     * is forced on its own thread, without two thread hand-offs.
     */
    public AppendRecord callerFlushes(boolean flushes) {
        this.callerFlushes = flushes;
        return this;
    }

    public ByteBuffer payload() {
        return payload;
    }

    public AppendRecord payload(ByteBuffer payload) {
        this.payload = payload;
        this.payloadSource = null;
        return this;
    }

    /** The payload to copy from, when it was given as a {@link PayloadSource} (then {@link #payload()} is null). */
    public PayloadSource payloadSource() {
        return payloadSource;
    }

    /** The payload's size in bytes, however it was given. */
    public int payloadLength() {
        return payloadSource != null ? payloadSource.length() : payload == null ? 0 : payload.remaining();
    }

    /** The record flags as laid down in {@link RecordLayout}. */
    public int flags() {
        int k = kind == Kind.SYSTEM ? RecordLayout.KIND_SYSTEM : RecordLayout.KIND_MESSAGE;
        return RecordLayout.flags(k, txnState.ordinal(), kind == Kind.SYSTEM && indexed)
                | (deferred ? RecordLayout.FLAG_DEFERRED : 0) | (forward ? RecordLayout.FLAG_FORWARD : 0);
    }

    /** Whether this is the store's own record deleting its queue key's ConsumeQueue. */
    public boolean deletesQueue() {
        return kind == Kind.SYSTEM && systemType == RecordLayout.SYSTEM_TYPE_QUEUE_DELETED && queueKey != null;
    }

    /** Whether the record takes a queue offset: it will get a ConsumeQueue entry when dispatched. */
    public boolean takesQueueOffset() {
        return queueKey != null && RecordLayout.isIndexed(flags());
    }

    /** The record's size on disk. */
    public int encodedSize() {
        int destination = queueKey == null ? 0 : queueKey.destinationLength();
        return RecordLayout.recordSize(destination, payloadLength());
    }
}
