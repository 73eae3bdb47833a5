package io.keel.store;

/** When an append is acknowledged, relative to the disk. */
public enum FlushMode {
    /**
     * Group commit: an append completes when a force() covering it has returned and the record has been
     * dispatched (it is visible to readers). The flusher forces as soon as the previous force ends, so
     * one force completes every append written meanwhile.
     */
    SYNC_FLUSH,
    /** An append completes once written to the page cache; a background flusher forces periodically. */
    ASYNC_FLUSH
}
