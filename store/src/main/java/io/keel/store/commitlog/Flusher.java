package io.keel.store.commitlog;

import java.io.IOException;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.keel.store.FlushMode;
import io.keel.store.StoreException;

/**
 * The thread that forces the CommitLog to disk.
 *
 * <p>SYNC_FLUSH (group commit): whenever written data is not yet flushed it forces at once, then runs
 * {@code afterFlush}: the store dispatches the forced records on this thread if the dispatcher thread
 * is idle (else wakes it), which completes every waiting append the force covered. No
 * timer: the next force starts as soon as the previous one ends, so under load one force serves every
 * append written during the previous one. While forces carry about one append each, a thread that
 * appended with {@code callerFlushes} forces itself instead ({@code MessageStore.flushHere}: a lone
 * synchronous sender saves the hand-off here and back); the CommitLog's forcing lock keeps the two
 * from forcing at once, and a force failed on either thread stops this one.
 *
 * <p>ASYNC_FLUSH: forces every {@code asyncFlushIntervalMillis}.
 *
 * <p>A failed force stops the log (appends are refused afterwards): after a failed fsync the kernel
 * may have dropped dirty pages, so acknowledging later writes would be a lie.
 */
public final class Flusher implements Runnable {

    private static final Logger LOG = LoggerFactory.getLogger(Flusher.class);
    private static final long IDLE_PARK_NANOS = 50_000_000L;

    private final CommitLog log;
    private final FlushMode mode;
    private final long asyncIntervalNanos;
    private final Runnable afterFlush;
    private final Thread thread;
    private volatile boolean running = true;
    // Allocated once: lambdas created in the loop would allocate on every wait.
    private final java.util.function.BooleanSupplier unflushed = this::hasUnflushed;
    private final java.util.function.BooleanSupplier stopping = this::isStopping;

    /** @param afterFlush run after each force that advanced the flushed offset (wakes the dispatcher) */
    public Flusher(CommitLog log, FlushMode mode, long asyncIntervalMillis, Runnable afterFlush) {
        this.log = log;
        this.mode = mode;
        this.asyncIntervalNanos = asyncIntervalMillis * 1_000_000L;
        this.afterFlush = afterFlush;
        this.thread = new Thread(this, "keel-store-flusher");
        this.thread.setDaemon(true);
        log.flusherWakeup.bind(thread);
    }

    public void start() {
        thread.start();
    }

    @Override
    public void run() {
        while (running) {
            try {
                if (mode == FlushMode.SYNC_FLUSH) {
                    log.flusherWakeup.await(IDLE_PARK_NANOS, unflushed);
                } else {
                    log.flusherWakeup.await(asyncIntervalNanos, stopping);
                }
                if (log.failure() != null) {
                    return; // an appending thread's force failed (see MessageStore.flushHere)
                }
                flushOnce();
            } catch (IOException e) {
                StoreException error = new StoreException("commit log in " + log.directory()
                        + ": force failed (" + e + "); the store refuses appends from now on", e);
                LOG.error(error.getMessage(), e);
                log.fail(error);
                return;
            } catch (RuntimeException | Error e) {
                StoreException error = new StoreException("commit log flusher failed: " + e, e);
                LOG.error(error.getMessage(), e);
                log.fail(error);
                return;
            }
        }
    }

    private boolean hasUnflushed() {
        return !running || log.writtenOffset() > log.flushedOffset();
    }

    private boolean isStopping() {
        return !running;
    }

    /** Forces, then wakes the dispatcher, which completes the waiting appends once they are visible. */
    private void flushOnce() throws IOException {
        long target = log.writtenOffset();
        if (target > log.flushedOffset()) {
            log.forceUpTo(target);
            afterFlush.run();
        }
    }

    /** Fails SYNC_FLUSH waiters that passed their deadline. Called by the store's housekeeping. */
    public void expireWaiters(long timeoutMillis) {
        log.waiters().expire(System.nanoTime(), timeoutMillis);
    }

    /** Stops the thread after a last force, and fails any waiter left (none after a clean drain). */
    public void stop() throws IOException {
        running = false;
        log.flusherWakeup.signal();
        java.util.concurrent.locks.LockSupport.unpark(thread);
        try {
            thread.join(30_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (log.failure() == null) {
            long target = log.writtenOffset();
            log.forceUpTo(target);
            log.waiters().complete(log.flushedOffset());
        }
        log.waiters().failAll(new StoreException.Closed("commit log: the store closed before the flush"));
    }
}
