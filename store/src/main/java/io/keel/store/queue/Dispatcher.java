package io.keel.store.queue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.function.LongSupplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.keel.store.DispatchListener;
import io.keel.store.RecordView;
import io.keel.store.StoreException;
import io.keel.store.commitlog.CommitLog;
import io.keel.store.commitlog.CommitLogSegment;
import io.keel.store.commitlog.RecordLayout;
import io.keel.store.commitlog.Wakeup;

/**
 * Follows the CommitLog up to the confirmed watermark, writes the ConsumeQueue entry of every indexed
 * record and hands every record to the listeners, in log order. One thread at a time (its own, or
 * the flusher's through {@link #tryDispatchHere}, under a lock); one reused view; no allocation per
 * record. Re-dispatching a range is harmless (entries already present are kept).
 */
public final class Dispatcher implements Runnable {

    private static final Logger LOG = LoggerFactory.getLogger(Dispatcher.class);
    private static final long IDLE_PARK_NANOS = 20_000_000L;

    private final CommitLog log;
    private final ConsumeQueueTable table;
    private final LongSupplier watermark;
    private volatile DispatchListener[] listeners = new DispatchListener[0];
    private final RecordView view = new RecordView();
    private final Wakeup wakeup = new Wakeup();
    /** Held while dispatching: by the dispatcher thread, or by the flusher ({@link #tryDispatchHere}). */
    private final java.util.concurrent.locks.ReentrantLock dispatching = new java.util.concurrent.locks.ReentrantLock();
    private final Thread thread;
    private volatile boolean running = true;
    private volatile long dispatchedOffset;
    private volatile StoreException failure;
    /** Allocated once: a lambda created in the loop would allocate on every park. */
    private final java.util.function.BooleanSupplier hasWork = this::hasWork;

    private CommitLogSegment currentSegment;
    private ByteBuffer currentView;

    public Dispatcher(CommitLog log, ConsumeQueueTable table, LongSupplier watermark, long fromOffset) {
        this.log = log;
        this.table = table;
        this.watermark = watermark;
        this.dispatchedOffset = fromOffset;
        this.thread = new Thread(this, "keel-store-dispatcher");
        this.thread.setDaemon(true);
        wakeup.bind(thread);
    }

    public synchronized void addListener(DispatchListener l) {
        DispatchListener[] grown = java.util.Arrays.copyOf(listeners, listeners.length + 1);
        grown[grown.length - 1] = l;
        listeners = grown;
    }

    public synchronized void removeListener(DispatchListener l) {
        listeners = java.util.Arrays.stream(listeners).filter(x -> x != l).toArray(DispatchListener[]::new);
    }

    /** Wakes the dispatcher: the watermark may have moved. */
    public Wakeup wakeup() {
        return wakeup;
    }

    public long dispatchedOffset() {
        return dispatchedOffset;
    }

    public StoreException failure() {
        return failure;
    }

    public void start() {
        thread.start();
    }

    /**
     * Dispatches up to the watermark on the calling thread, unless the dispatcher thread is dispatching
     * right now (then it returns false: that thread will see the new watermark when its batch ends).
     * Under SYNC_FLUSH the flusher calls this right after each force: a synchronous append completes
     * only once dispatched, so this saves every such append the hand-off to the dispatcher thread.
     */
    public boolean tryDispatchHere() {
        if (!running || !dispatching.tryLock()) {
            return false;
        }
        try {
            if (!running) {
                return false;
            }
            long target = watermark.getAsLong();
            if (target > dispatchedOffset) {
                dispatchUpTo(target);
            }
            return true;
        } catch (IOException | RuntimeException e) {
            failure = new StoreException("dispatcher stopped at commit log offset " + dispatchedOffset + ": " + e, e);
            LOG.error(failure.getMessage(), e);
            running = false;
            wakeup.signal();
            return true;
        } finally {
            dispatching.unlock();
        }
    }

    @Override
    public void run() {
        while (running) {
            try {
                long target = watermark.getAsLong();
                if (target > dispatchedOffset) {
                    dispatching.lock();
                    try {
                        if (running) {
                            dispatchUpTo(Math.max(target, watermark.getAsLong()));
                        }
                    } finally {
                        dispatching.unlock();
                    }
                } else {
                    log.completeWaitersUpTo(dispatchedOffset); // any waiter registered just after a batch
                    wakeup.await(IDLE_PARK_NANOS, hasWork);
                }
            } catch (IOException | RuntimeException e) {
                failure = new StoreException("dispatcher stopped at commit log offset " + dispatchedOffset + ": " + e, e);
                LOG.error(failure.getMessage(), e);
                return;
            }
        }
    }

    private boolean hasWork() {
        return !running || watermark.getAsLong() > dispatchedOffset;
    }

    /** Dispatches every record from the current position up to {@code target}. */
    public void dispatchUpTo(long target) throws IOException {
        long pos = dispatchedOffset;
        while (pos < target) {
            CommitLogSegment segment = log.segmentFor(pos);
            if (segment == null) {
                throw new StoreException("dispatcher: commit log offset " + pos + " is not stored");
            }
            if (segment != currentSegment) {
                currentSegment = segment;
                currentView = segment.readView();
            }
            int rel = (int) (pos - segment.startOffset());
            int total = currentView.getInt(rel + RecordLayout.TOTAL_SIZE);
            int magic = currentView.getInt(rel + RecordLayout.MAGIC);
            if (magic == RecordLayout.PADDING_MAGIC) {
                pos = segment.endOffset();
                dispatchedOffset = pos;
                continue;
            }
            if (magic != RecordLayout.MAGIC_V1 || total < RecordLayout.HEADER_SIZE) {
                throw new StoreException("dispatcher: no record at commit log offset " + pos
                        + " (magic " + Integer.toHexString(magic) + ", size " + total + ")");
            }
            view.wrap(currentView, rel);
            view.queueKey(null);
            if (view.isIndexed()) {
                ConsumeQueue q = table.forRecord(currentView, view.destinationPosition(), view.destinationLength(),
                        view.queueId());
                table.put(q, view.queueOffset(), pos, total, view.tagCode());
                view.queueKey(q.key());
            }
            if (view.isSystem() && view.systemType() == RecordLayout.SYSTEM_TYPE_QUEUE_DELETED
                    && view.destinationLength() > 0) {
                table.deleteAtDispatch(currentView, view.destinationPosition(), view.destinationLength(),
                        view.queueId());
            }
            for (DispatchListener l : listeners) {
                l.onRecord(view);
            }
            pos += total;
            dispatchedOffset = pos;
        }
        // Answers first: a waiting sender's answer should not queue behind the consumers' wake-ups.
        log.completeWaitersUpTo(pos);
        for (DispatchListener l : listeners) {
            l.onBatchDispatched(pos);
        }
    }

    public void stop() {
        running = false;
        wakeup.signal();
        java.util.concurrent.locks.LockSupport.unpark(thread);
        try {
            thread.join(30_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
