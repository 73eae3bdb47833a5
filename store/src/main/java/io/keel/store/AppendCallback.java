package io.keel.store;

/**
 * Completion of one append, called once, on a store thread or the appending thread, when the record
 * is as durable as the flush mode promises. The broker passes an object it already has per request, so
 * the append path allocates nothing; {@link AppendFuture} adapts this to a CompletableFuture.
 * Implementations must be quick and must not call back into the store's append methods.
 */
public interface AppendCallback {

    /**
     * @param physicalOffset the record's offset in the CommitLog
     * @param queueOffset    its offset in its ConsumeQueue, or -1 when it gets no entry
     * @param size           its size on disk
     * @param storeTimestamp the store time stamped into it (epoch millis)
     */
    void appended(long physicalOffset, long queueOffset, int size, long storeTimestamp);

    /** The append failed or its durability could not be confirmed (e.g. a flush timeout). */
    void failed(StoreException error);
}
