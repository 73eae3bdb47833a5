package io.keel.store.commitlog;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counters the store keeps for the broker to expose: appended records and bytes, force count and
 * latency. Updating them allocates nothing.
 */
public final class StoreMetricsRecorder {

    private final LongAdder appendedRecords = new LongAdder();
    private final LongAdder appendedBytes = new LongAdder();
    private final LongAdder flushes = new LongAdder();
    private final LongAdder flushNanos = new LongAdder();
    private final LongAdder callerFlushes = new LongAdder();
    private final AtomicLong maxFlushNanos = new AtomicLong();
    private volatile long lastFlushNanos;

    void appended(int bytes) {
        appendedRecords.increment();
        appendedBytes.add(bytes);
    }

    void flushed(long nanos) {
        flushes.increment();
        flushNanos.add(nanos);
        lastFlushNanos = nanos;
        long max = maxFlushNanos.get();
        while (nanos > max && !maxFlushNanos.compareAndSet(max, nanos)) {
            max = maxFlushNanos.get();
        }
    }

    /** A force made by an appending thread rather than the flusher (counted besides {@link #flushed}). */
    void flushedByCaller() {
        callerFlushes.increment();
    }

    public long callerFlushes() {
        return callerFlushes.sum();
    }

    public long appendedRecords() {
        return appendedRecords.sum();
    }

    public long appendedBytes() {
        return appendedBytes.sum();
    }

    public long flushes() {
        return flushes.sum();
    }

    public long totalFlushNanos() {
        return flushNanos.sum();
    }

    public long maxFlushNanos() {
        return maxFlushNanos.get();
    }

    public long lastFlushNanos() {
        return lastFlushNanos;
    }
}
