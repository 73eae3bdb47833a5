package io.keel.store.commitlog;

import io.keel.store.AppendCallback;
import io.keel.store.StoreException;

/**
 * Appends waiting for a force under SYNC_FLUSH, in offset order: a growable ring of parallel arrays,
 * so waiting allocates nothing per append. The writer adds under the CommitLog's write lock (which
 * keeps the ring ordered by end offset); the flusher completes and the watchdog expires under this
 * object's monitor. Callbacks run outside the monitor.
 */
final class FlushWaiters {

    private AppendCallback[] callbacks = new AppendCallback[1024];
    private long[] ends = new long[1024];
    private long[] physicalOffsets = new long[1024];
    private long[] queueOffsets = new long[1024];
    private int[] sizes = new int[1024];
    private long[] timestamps = new long[1024];
    private long[] deadlines = new long[1024];
    private int head;
    private int count;

    // Scratch arrays the completing thread drains into, so callbacks run without the monitor.
    private AppendCallback[] drainCallbacks = new AppendCallback[1024];
    private long[] drainPhysical = new long[1024];
    private long[] drainQueue = new long[1024];
    private int[] drainSizes = new int[1024];
    private long[] drainTimestamps = new long[1024];

    synchronized void add(AppendCallback cb, long end, long physicalOffset, long queueOffset, int size,
            long timestamp, long deadlineNanos) {
        if (count == callbacks.length) {
            grow();
        }
        int i = (head + count) & (callbacks.length - 1);
        callbacks[i] = cb;
        ends[i] = end;
        physicalOffsets[i] = physicalOffset;
        queueOffsets[i] = queueOffset;
        sizes[i] = size;
        timestamps[i] = timestamp;
        deadlines[i] = deadlineNanos;
        count++;
    }

    synchronized int size() {
        return count;
    }

    /** Completes every waiter whose record ends at or below {@code flushedOffset}. Flusher thread only. */
    void complete(long flushedOffset) {
        int n;
        synchronized (this) {
            n = 0;
            while (count > 0 && ends[head] <= flushedOffset) {
                if (n == drainCallbacks.length) {
                    growDrain();
                }
                drainCallbacks[n] = callbacks[head];
                drainPhysical[n] = physicalOffsets[head];
                drainQueue[n] = queueOffsets[head];
                drainSizes[n] = sizes[head];
                drainTimestamps[n] = timestamps[head];
                callbacks[head] = null;
                head = (head + 1) & (callbacks.length - 1);
                count--;
                n++;
            }
        }
        for (int i = 0; i < n; i++) {
            AppendCallback cb = drainCallbacks[i];
            drainCallbacks[i] = null;
            cb.appended(drainPhysical[i], drainQueue[i], drainSizes[i], drainTimestamps[i]);
        }
    }

    /** Fails waiters whose deadline has passed (oldest first, as deadlines follow append order). */
    void expire(long nowNanos, long timeoutMillis) {
        for (;;) {
            AppendCallback cb;
            long end;
            synchronized (this) {
                if (count == 0 || deadlines[head] - nowNanos > 0) {
                    return;
                }
                cb = callbacks[head];
                end = ends[head];
                callbacks[head] = null;
                head = (head + 1) & (callbacks.length - 1);
                count--;
            }
            cb.failed(new StoreException.FlushTimeout("commit log: the flush covering offset " + end
                    + " did not complete within " + timeoutMillis + " ms; the record's durability is unknown"));
        }
    }

    /** Fails every waiter (flush error or close). */
    void failAll(StoreException error) {
        for (;;) {
            AppendCallback cb;
            synchronized (this) {
                if (count == 0) {
                    return;
                }
                cb = callbacks[head];
                callbacks[head] = null;
                head = (head + 1) & (callbacks.length - 1);
                count--;
            }
            cb.failed(error);
        }
    }

    private void grow() {
        int n = callbacks.length;
        AppendCallback[] c = new AppendCallback[n * 2];
        long[] e = new long[n * 2];
        long[] p = new long[n * 2];
        long[] q = new long[n * 2];
        int[] s = new int[n * 2];
        long[] t = new long[n * 2];
        long[] d = new long[n * 2];
        for (int k = 0; k < count; k++) {
            int i = (head + k) & (n - 1);
            c[k] = callbacks[i];
            e[k] = ends[i];
            p[k] = physicalOffsets[i];
            q[k] = queueOffsets[i];
            s[k] = sizes[i];
            t[k] = timestamps[i];
            d[k] = deadlines[i];
        }
        callbacks = c;
        ends = e;
        physicalOffsets = p;
        queueOffsets = q;
        sizes = s;
        timestamps = t;
        deadlines = d;
        head = 0;
    }

    private void growDrain() {
        int n = drainCallbacks.length * 2;
        drainCallbacks = java.util.Arrays.copyOf(drainCallbacks, n);
        drainPhysical = java.util.Arrays.copyOf(drainPhysical, n);
        drainQueue = java.util.Arrays.copyOf(drainQueue, n);
        drainSizes = java.util.Arrays.copyOf(drainSizes, n);
        drainTimestamps = java.util.Arrays.copyOf(drainTimestamps, n);
    }
}
