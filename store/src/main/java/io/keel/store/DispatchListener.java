package io.keel.store;

/**
 * Follows the CommitLog in order as the dispatcher confirms records (messages and system records
 * alike). Called on the dispatcher thread: keep it quick and copy what you keep, because the view is
 * reused for the next record.
 */
public interface DispatchListener {

    /** A record below the confirmed watermark, in log order. */
    void onRecord(RecordView record);

    /** A dispatch batch ended; everything below {@code dispatchedOffset} has been dispatched. */
    default void onBatchDispatched(long dispatchedOffset) {
    }
}
