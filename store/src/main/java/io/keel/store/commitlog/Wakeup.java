package io.keel.store.commitlog;

import java.util.concurrent.locks.LockSupport;

/**
 * Wakes one background thread (flusher, dispatcher) when there is work, without a syscall when it
 * is busy: the thread announces that it is about to park, re-checks for work, then parks; a signaller
 * unparks only a thread that announced it. Both flags are volatile, so a signal is never lost.
 */
public final class Wakeup {

    private volatile Thread owner;
    private volatile boolean parked;

    /** Binds the waiting thread; call from that thread before the first {@link #await}. */
    public void bind(Thread thread) {
        this.owner = thread;
    }

    /** Wakes the owner if it is parked (or about to park). */
    public void signal() {
        if (parked) {
            Thread t = owner;
            if (t != null) {
                LockSupport.unpark(t);
            }
        }
    }

    /**
     * Parks the owner for at most {@code nanos} unless {@code hasWork} already says there is work.
     */
    public void await(long nanos, java.util.function.BooleanSupplier hasWork) {
        parked = true;
        try {
            if (!hasWork.getAsBoolean()) {
                LockSupport.parkNanos(this, nanos);
            }
        } finally {
            parked = false;
        }
    }
}
