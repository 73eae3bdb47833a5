package io.keel.store;

/**
 * A snapshot of the store's counters for the broker to expose.
 *
 * @param appendedRecords   records appended since open
 * @param appendedBytes     bytes appended since open
 * @param flushes           forces of the CommitLog since open
 * @param callerFlushes     of those, forces made by an appending thread (an event loop) instead of the flusher
 * @param averageFlushMicros mean force latency
 * @param maxFlushMicros    slowest force
 * @param writtenOffset     end of the written log
 * @param flushedOffset     end of the forced log
 * @param dispatchedOffset  end of the dispatched log (ConsumeQueues and listeners)
 * @param dispatchLagBytes  written but not yet dispatched
 * @param queueCount        ConsumeQueues known to the store
 */
public record StoreMetrics(long appendedRecords, long appendedBytes, long flushes, long callerFlushes,
        long averageFlushMicros,
        long maxFlushMicros, long writtenOffset, long flushedOffset, long dispatchedOffset, long dispatchLagBytes,
        int queueCount) {
}
