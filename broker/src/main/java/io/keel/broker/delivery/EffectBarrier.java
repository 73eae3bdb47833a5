package io.keel.broker.delivery;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongSupplier;

/**
 * Lets a snapshot find a CommitLog offset below which every record's effect on the delivery state
 * is applied in memory. Most state changes happen in memory before their record is appended; a few
 * happen after (a commit settles its acknowledgements once its record is durable; a delayed message
 * joins the timer once stored). Those run between {@link #enter} and {@link #exit}. {@link #cut}
 * starts a new epoch, reads the offset, and waits for the operations of the old epoch to finish: any
 * record of an operation it did not wait for is appended after the offset and replayed.
 * One snapshot at a time (the checkpointer's thread).
 */
final class EffectBarrier {

    private volatile int epoch;
    private final AtomicLongArray inFlight = new AtomicLongArray(2);

    /** Before appending a record whose effect is applied after the append; returns the token for {@link #exit}. */
    int enter() {
        int e = epoch;
        inFlight.incrementAndGet(e & 1);
        return e;
    }

    /** The effect of the operation begun with {@code token} is applied (or the operation failed). */
    void exit(int token) {
        inFlight.decrementAndGet(token & 1);
    }

    /**
     * Returns {@code offset.getAsLong()} read after every operation that may have appended below it
     * has applied its effect. Throws IllegalStateException if they do not finish within the timeout.
     */
    long cut(LongSupplier offset, long timeoutMillis) {
        int old = epoch;
        epoch = old + 1;
        long at = offset.getAsLong();
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        while (inFlight.get(old & 1) > 0) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(inFlight.get(old & 1) + " state changes still pending after "
                        + timeoutMillis + " ms");
            }
            LockSupport.parkNanos(100_000); // a commit's force: tens to hundreds of microseconds
        }
        return at;
    }
}
