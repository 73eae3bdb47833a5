package io.keel.broker.delivery;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongSupplier;

/**
 * Lets a snapshot find a CommitLog offset below which every record's effect on the delivery state
 * is applied in memory. Most state changes happen in memory before their record is appended; a few
 * happen after (a commit settles its acknowledgements once its record is durable; a delayed message
 * joins the timer once stored; an idempotent send counts for duplicate detection once durable). Those
 * run between {@link #enter} and {@link #exit}, entering before they append. {@link #cut} reads the
 * offset, then starts a new epoch, and waits for the operations of the old epoch to finish. The order
 * matters: an operation whose record lies below the offset appended before the offset was read, so it
 * entered before the epoch changed and is waited for; one that enters the new epoch appends after the
 * offset was read, so its record lies above it and is replayed. (Starting the epoch first would let an
 * operation enter the new epoch and append below the offset in between, unwaited for and never replayed.)
 * One snapshot at a time (the checkpointer's thread).
 */
public final class EffectBarrier {

    private volatile int epoch;
    private final AtomicLongArray inFlight = new AtomicLongArray(2);

    /** Before appending a record whose effect is applied after the append; returns the token for {@link #exit}. */
    public int enter() {
        int e = epoch;
        inFlight.incrementAndGet(e & 1);
        return e;
    }

    /** The effect of the operation begun with {@code token} is applied (or the operation failed). */
    public void exit(int token) {
        inFlight.decrementAndGet(token & 1);
    }

    /**
     * Returns {@code offset.getAsLong()} read after every operation that may have appended below it
     * has applied its effect. Throws IllegalStateException if they do not finish within the timeout.
     */
    long cut(LongSupplier offset, long timeoutMillis) {
        long at = offset.getAsLong();
        int old = epoch;
        epoch = old + 1;
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
