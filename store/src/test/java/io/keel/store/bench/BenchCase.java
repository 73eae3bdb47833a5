package io.keel.store.bench;

import static io.keel.store.bench.StoreBenchmark.INFLIGHT;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;

import io.keel.store.AppendCallback;
import io.keel.store.AppendRecord;
import io.keel.store.ConsumeQueueBatch;
import io.keel.store.DispatchListener;
import io.keel.store.FlushMode;
import io.keel.store.MessageStore;
import io.keel.store.QueueKey;
import io.keel.store.RecordSlice;
import io.keel.store.RecordView;
import io.keel.store.StoreConfig;
import io.keel.store.StoreException;
import io.keel.store.StoreMetrics;

/**
 * One case on a fresh store: appending threads that each keep {@link StoreBenchmark#INFLIGHT} appends
 * in flight (a permit taken before each append, given back by its callback), spread round-robin over
 * the queue keys, and optionally consumers that read every queue through its ConsumeQueue and the
 * CommitLog. Rates count completed callbacks (and consumed records) in the measured window only.
 */
final class BenchCase {

    record Result(double appendedPerSecond, double consumedPerSecond, double fsyncsPerSecond, double msgsPerFsync,
            double fsyncMicros, long errors, String firstError, long openMillis, long prepareMillis, long createMillis,
            long unconsumed, long longestPauseMillis, long dispatchLagBytes, long rolls, String stall) {
    }

    private final Path base;
    private final FlushMode mode;
    private final int size;
    private final int threads;
    private final int consumers;
    private final QueueKey[] keys;
    private final LongAdder appended = new LongAdder();
    private final LongAdder consumed = new LongAdder();
    private final LongAdder errors = new LongAdder();
    private final AtomicReference<String> firstError = new AtomicReference<>();
    private volatile boolean stop;
    private MessageStore store;

    /** Notified consumers: 1 for each queue with records the consumers have not read yet. */
    private final AtomicIntegerArray newRecords;
    private final Map<QueueKey, Integer> indexOf = new HashMap<>();

    BenchCase(Path base, FlushMode mode, int size, int threads, int queues, int consumers) {
        this.base = base;
        this.mode = mode;
        this.size = size;
        this.threads = threads;
        this.consumers = consumers;
        this.keys = new QueueKey[queues];
        for (int i = 0; i < queues; i++) {
            keys[i] = new QueueKey(queues == 1 ? "bench" : String.format(Locale.ROOT, "bench-%05d", i), 0);
            indexOf.put(keys[i], i);
        }
        boolean notified = consumers > 0 && !"poll".equals(StoreBenchmark.CONSUMER_MODE);
        this.newRecords = notified ? new AtomicIntegerArray(queues) : null;
    }

    /** Marks the queue of each dispatched record for the notified consumers (no allocation). */
    private final DispatchListener notifier = new DispatchListener() {
        @Override
        public void onRecord(RecordView record) {
            QueueKey key = record.queueKey();
            Integer i = key == null ? null : indexOf.get(key);
            if (i != null && newRecords.get(i) == 0) {
                newRecords.set(i, 1);
            }
        }
    };

    Result run() throws Exception {
        Path dir = Files.createTempDirectory(base, "store-");
        try {
            StoreConfig cfg = new StoreConfig(dir).segmentSize(StoreBenchmark.SEGMENT_SIZE).flushMode(mode);
            if (StoreBenchmark.ZERO_FILL != null) {
                cfg.zeroFillSegments(Boolean.parseBoolean(StoreBenchmark.ZERO_FILL));
            }
            if (StoreBenchmark.CQ_FLUSH_MILLIS != null) {
                cfg.consumeQueueFlushIntervalMillis(StoreBenchmark.CQ_FLUSH_MILLIS);
            }
            if (StoreBenchmark.CQ_ENTRIES != null) {
                cfg.consumeQueueEntriesPerSegment(StoreBenchmark.CQ_ENTRIES);
            }
            if (StoreBenchmark.WRITE_MODE != null) {
                cfg.writeMode(io.keel.store.WriteMode.valueOf(StoreBenchmark.WRITE_MODE));
            }
            long t = System.nanoTime();
            store = MessageStore.open(cfg);
            if (newRecords != null) {
                store.addDispatchListener(notifier);
            }
            try {
                return measure(millisSince(t));
            } finally {
                stop = true;
                store.close();
            }
        } finally {
            if (keys.length > 1) {
                // Left for the end of the run (the base directory is deleted then): removing a
                // many-queue case's 10,000 directories and files makes ext4 (here: no journal, online
                // discard) slow to create the next case's for tens of seconds.
                StoreBenchmark.LEFT_FOR_THE_END.add(dir);
            } else {
                StoreBenchmark.deleteQuietly(dir);
            }
        }
    }

    private Result measure(long openMillis) throws Exception {
        long opened = System.nanoTime();
        long createMillis = keys.length > 1 ? createQueues() : 0;
        List<Permits> permits = new ArrayList<>();
        List<Thread> appenders = new ArrayList<>();
        List<Thread> readers = new ArrayList<>();
        for (int i = 0; i < threads + consumers; i++) {
            int index = i;
            Permits p = new Permits(INFLIGHT, appended);
            Runnable body = i < threads ? () -> append(index, p) : () -> consume(index - threads);
            Thread t = new Thread(body, i < threads ? "bench-appender-" + i : "bench-consumer-" + (i - threads));
            t.setDaemon(true);
            t.start();
            (i < threads ? appenders : readers).add(t);
            permits.add(p);
        }

        // Warm-up: WARMUP seconds, then until the store has finished preparing (zero-filling) its next
        // segment in the background, unless the log already rolled: then preparing segments is part of
        // the steady state at this rate and stays in the window.
        long warmEnd = System.nanoTime() + (long) (StoreBenchmark.WARMUP * 1e9);
        long giveUp = warmEnd + TimeUnit.SECONDS.toNanos(120);
        long prepareMillis = -1;
        for (boolean idle = allocatorIdle(); System.nanoTime() < warmEnd || !idle && System.nanoTime() < giveUp
                && store.writtenOffset() < StoreBenchmark.SEGMENT_SIZE; idle = allocatorIdle()) {
            prepareMillis = idle && prepareMillis < 0 ? millisSince(opened) : prepareMillis;
            Thread.sleep(10);
        }
        prepareMillis = prepareMillis < 0 && allocatorIdle() ? millisSince(opened) : prepareMillis;

        long a0 = appended.sum();
        long c0 = consumed.sum();
        StoreMetrics m0 = store.metrics();
        long t0 = System.nanoTime();
        if (Boolean.getBoolean("bench.markWindow")) {
            System.err.println("window: " + StoreBenchmark.SECONDS + " s from now"); // for profilers
        }
        long end = t0 + (long) (StoreBenchmark.SECONDS * 1e9);
        long lastCount = a0;
        long lastChange = t0;
        long longestPause = 0;
        for (long now = t0; now < end; now = System.nanoTime()) {
            Thread.sleep(Math.max(1, Math.min(20, (end - now) / 1_000_000)));
            long count = appended.sum();
            long at = System.nanoTime();
            if (count != lastCount) {
                lastCount = count;
                lastChange = at;
            }
            longestPause = Math.max(longestPause, at - lastChange);
        }
        long a1 = appended.sum();
        long c1 = consumed.sum();
        StoreMetrics m1 = store.metrics();
        double secs = (System.nanoTime() - t0) / 1e9;

        stop = true;
        String stall = null;
        for (int i = 0; i < threads; i++) {
            appenders.get(i).join();
            if (stall == null && !permits.get(i).tryAcquire(INFLIGHT, 30, TimeUnit.SECONDS)) {
                stall = (INFLIGHT - permits.get(i).availablePermits()) + " appends of appender " + i
                        + " still incomplete 30 s after the appenders stopped";
            }
        }
        for (Thread r : readers) {
            r.join();
        }
        long fsyncs = m1.flushes() - m0.flushes();
        double fsyncMicros = fsyncs == 0 ? 0
                : (m1.averageFlushMicros() * m1.flushes() - m0.averageFlushMicros() * m0.flushes()) / (double) fsyncs;
        long seg = StoreBenchmark.SEGMENT_SIZE;
        return new Result((a1 - a0) / secs, (c1 - c0) / secs, fsyncs / secs,
                fsyncs == 0 ? 0 : (double) (a1 - a0) / fsyncs, fsyncMicros, errors.sum(), firstError.get(), openMillis,
                prepareMillis, createMillis, consumers == 0 ? 0 : keys.length + appended.sum() - consumed.sum(),
                longestPause / 1_000_000, m1.dispatchLagBytes(),
                (m1.writtenOffset() - m0.writtenOffset() / seg * seg) / seg, stall);
    }

    /** Appends one record to every queue, then waits until the dispatcher has created all their ConsumeQueues. */
    private long createQueues() throws InterruptedException {
        long t = System.nanoTime();
        Permits permits = new Permits(INFLIGHT * 8, new LongAdder());
        ByteBuffer payload = ByteBuffer.wrap(StoreBenchmark.randomBytes(size, -1));
        AppendRecord r = new AppendRecord();
        for (QueueKey key : keys) {
            permits.acquire();
            store.append(r.reset().message(key, payload), permits);
        }
        permits.acquire(INFLIGHT * 8);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(300);
        while (store.dispatchedOffset() < store.writtenOffset() && System.nanoTime() < deadline) {
            Thread.sleep(1);
        }
        for (QueueKey key : keys) {
            if (!store.hasQueue(key)) {
                throw new IllegalStateException("queue " + key + " was not dispatched within 300 s");
            }
        }
        return millisSince(t);
    }

    /**
     * Consumer {@code index} owns the queues i with i % consumers == index; it reads and copies every
     * payload. Notified (the default, {@code bench.consumerMode=notified}): it reads only the queues the
     * store's dispatch listener reported new records for, as the broker's consumers do. Polling
     * ({@code poll}): it asks every queue on every pass, which with 10,000 queues mostly finds nothing
     * and measures the scan rather than the store.
     */
    private void consume(int index) {
        ConsumeQueueBatch batch = new ConsumeQueueBatch(256);
        long[] next = new long[keys.length];
        byte[] copy = new byte[size];
        boolean notified = newRecords != null;
        while (!stop) {
            long pass = 0;
            for (int i = index; i < keys.length && !stop; i += consumers) {
                if (notified) {
                    if (newRecords.get(i) == 0) {
                        continue;
                    }
                    newRecords.set(i, 0); // before reading: a record dispatched meanwhile sets it again
                }
                try {
                    int n = store.readQueue(keys[i], next[i], 256, batch);
                    for (int j = 0; j < n; j++) {
                        try (RecordSlice s = store.read(batch.physicalOffset(j))) {
                            ByteBuffer p = s.payload();
                            p.get(p.position(), copy, 0, Math.min(p.remaining(), copy.length));
                        }
                    }
                    if (n > 0) {
                        next[i] = batch.queueOffset(n - 1) + 1;
                        consumed.add(n);
                        pass += n;
                        if (notified && n == batch.capacity()) {
                            newRecords.set(i, 1); // more than one batch: come back on the next pass
                        }
                    }
                } catch (StoreException e) {
                    error(e);
                }
            }
            if (pass == 0) {
                LockSupport.parkNanos(200_000);
            }
        }
    }

    /** Callback of one appending thread: counts the completion (if asked) and gives its permit back. */
    private final class Permits extends Semaphore implements AppendCallback {
        private final LongAdder completed;

        Permits(int permits, LongAdder completed) {
            super(permits);
            this.completed = completed;
        }

        @Override
        public void appended(long physicalOffset, long queueOffset, int recordSize, long storeTimestamp) {
            completed.increment();
            release();
        }

        @Override
        public void failed(StoreException e) {
            error(e);
            release();
        }
    }

    private void append(int index, Permits permits) {
        ByteBuffer payload = ByteBuffer.wrap(StoreBenchmark.randomBytes(size, index));
        AppendRecord r = new AppendRecord();
        int k = (int) ((long) index * keys.length / threads);
        try {
            while (!stop) {
                if (permits.tryAcquire(10, TimeUnit.MILLISECONDS)) {
                    store.append(r.reset().message(keys[k], payload), permits);
                    k = k + 1 == keys.length ? 0 : k + 1;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void error(StoreException e) {
        errors.increment();
        firstError.compareAndSet(null, e.toString());
    }

    /** True when no store allocator thread is running, i.e. no segment is being created and zero-filled. */
    private static boolean allocatorIdle() {
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.getName().equals("keel-store-allocator") && t.getState() == Thread.State.RUNNABLE) {
                return false;
            }
        }
        return true;
    }

    private static long millisSince(long nanos) {
        return (System.nanoTime() - nanos) / 1_000_000;
    }
}
