package io.keel.broker.bench;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongConsumer;

import org.HdrHistogram.Histogram;

import io.keel.broker.bench.E2eHarness.Counts;
import io.keel.broker.bench.E2eHarness.Producer;
import io.keel.broker.bench.E2eHarness.SendMode;
import io.keel.broker.bench.E2eHarness.Side;
import io.keel.broker.bench.E2eHarness.Stats;
import io.keel.broker.bench.E2eHarness.Window;

/**
 * Runs one case on one broker: opens the consumers, then the producers, drives them for the warm-up
 * and the measured interval, samples the counters at the interval's ends, and after the producers
 * stop waits (bounded) until every answered send has been delivered.
 */
final class E2eRunner {

    /** A producer stops after this many errors (a dead connection would otherwise spin). */
    private static final int MAX_ERRORS = 100;

    private E2eRunner() {
    }

    /** What a case is: its clients, destinations, delivery mode and send mode. */
    record Spec(String key, String title, int producers, int consumers, int destinations, boolean topic,
            boolean persistent, SendMode mode) {

        /** The destinations producer {@code i} cycles through. */
        List<String> producerDestinations(int i) {
            return share(i, producers);
        }

        /** The destinations consumer connection {@code j} consumes. */
        List<String> consumerDestinations(int j) {
            return topic ? List.of(EndToEndBenchmark.TOPIC_PREFIX) : share(j, consumers);
        }

        /** Deliveries per answered send: the subscriptions of a topic, 1 for a queue. */
        int fanout() {
            return topic ? consumers : 1;
        }

        private List<String> share(int i, int of) {
            if (topic) {
                return List.of(EndToEndBenchmark.TOPIC_PREFIX);
            }
            List<String> out = new ArrayList<>();
            if (destinations >= of) {
                for (int k = i; k < destinations; k += of) {
                    out.add(queue(k));
                }
            } else {
                out.add(queue(i % destinations));
            }
            return out;
        }

        static String queue(int k) {
            return "e2e-q-" + k;
        }
    }

    /** The figures of one case on one broker. */
    record Result(String broker, double sentPerSecond, double receivedPerSecond, Histogram sendLatency,
            Histogram endToEnd, long errors, String firstError, long undelivered, long drainMillis, long redelivered,
            String remarks, ManyQueues manyQueues, double cpuMicrosPerMessage, double cores) {
    }

    /** The extra figures of the many-queues case. */
    record ManyQueues(long startMillis, long consumersMillis, long firstPassMillis, long setupMillis,
            long heapBytesPerQueue, double firstSentPerSecond, double firstReceivedPerSecond, long queuesReached) {
    }

    /** A normal case: warm-up, then the measured interval. */
    static Result run(Side side, Spec spec) throws Exception {
        Stats stats = new Stats();
        List<AutoCloseable> consumers = openConsumers(side, spec, stats);
        List<Producer> producers = new ArrayList<>();
        try {
            for (int i = 0; i < spec.producers(); i++) {
                producers.add(side.producer(i, spec.persistent(), spec.mode()));
            }
            Window w = Window.fromNow(EndToEndBenchmark.WARMUP, EndToEndBenchmark.SECONDS);
            stats.window = w;
            List<Thread> threads = startProducers(side, spec, producers, stats, w.end(), null);
            Thread progress = EndToEndBenchmark.PROGRESS ? E2eHarness.printEverySecond(side.name(), stats, w.end()) : null;
            E2eHarness.waitUntil(w.warmEnd());
            Counts a = stats.counts();
            E2eHarness.waitUntil(w.end());
            Counts b = stats.counts();
            if (progress != null) {
                progress.join();
            }
            return finish(side, spec, stats, threads, a, b, null);
        } finally {
            closeAll(producers);
            closeAll(consumers);
        }
    }

    /**
     * The many-queues case: set-up (consumers on every queue, queues created by their first
     * consumer), heap after set-up, then the producers from their first message on: the first
     * {@code bench.firstSeconds} separately, then the measured interval.
     */
    static Result runManyQueues(Side side, Spec spec, long heapBefore, long startMillis) throws Exception {
        Stats stats = new Stats();
        long t0 = System.nanoTime();
        List<AutoCloseable> consumers = openConsumers(side, spec, stats);
        long consumersMillis = (System.nanoTime() - t0) / 1_000_000;
        long heapPerQueue = (usedHeapAfterGc() - heapBefore) / spec.destinations();
        List<Producer> producers = new ArrayList<>();
        try {
            for (int i = 0; i < spec.producers(); i++) {
                producers.add(side.producer(i, spec.persistent(), spec.mode()));
            }
            long start = System.nanoTime();
            long firstEnd = start + (long) (EndToEndBenchmark.FIRST_SECONDS * 1e9);
            Window w = new Window(start, firstEnd, firstEnd + (long) (EndToEndBenchmark.SECONDS * 1e9));
            stats.window = w;
            AtomicLong lastFirstPass = new AtomicLong();
            java.util.concurrent.atomic.AtomicInteger passesDone = new java.util.concurrent.atomic.AtomicInteger();
            Counts c0 = stats.counts();
            List<Thread> threads = startProducers(side, spec, producers, stats, w.end(), t -> {
                lastFirstPass.accumulateAndGet(t, Math::max);
                passesDone.incrementAndGet();
            });
            Thread progress = EndToEndBenchmark.PROGRESS ? E2eHarness.printEverySecond(side.name(), stats, w.end()) : null;
            E2eHarness.waitUntil(firstEnd);
            Counts c1 = stats.counts();
            E2eHarness.waitUntil(w.end());
            Counts c2 = stats.counts();
            if (progress != null) {
                progress.join();
            }
            long firstPass = passesDone.get() == spec.producers() ? (lastFirstPass.get() - start) / 1_000_000 : -1;
            ManyQueues m = new ManyQueues(startMillis, consumersMillis, firstPass,
                    firstPass < 0 ? -1 : consumersMillis + firstPass, heapPerQueue, c0.sentPerSecond(c1),
                    c0.receivedPerSecond(c1), stats.firstPass.sum());
            return finish(side, spec, stats, threads, c1, c2, m);
        } finally {
            closeAll(producers);
            closeAll(consumers);
        }
    }

    static long usedHeapAfterGc() {
        System.gc();
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    /** The consumer connections, opened in parallel (one thread each), every consumer open on return. */
    private static List<AutoCloseable> openConsumers(Side side, Spec spec, Stats stats) throws Exception {
        List<Callable<AutoCloseable>> tasks = new ArrayList<>();
        for (int j = 0; j < spec.consumers(); j++) {
            int index = j;
            tasks.add(() -> side.consumers(index, spec.consumerDestinations(index), spec.topic(), stats));
        }
        List<AutoCloseable> out = new ArrayList<>();
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(tasks.size());
        try {
            Exception failed = null;
            for (java.util.concurrent.Future<AutoCloseable> f : pool.invokeAll(tasks)) {
                try {
                    out.add(f.get());
                } catch (java.util.concurrent.ExecutionException e) {
                    failed = failed == null && e.getCause() instanceof Exception c ? c : failed == null ? e : failed;
                }
            }
            if (failed != null) {
                closeAll(out);
                throw failed;
            }
            return out;
        } finally {
            pool.shutdown();
        }
    }

    /**
     * One thread per producer, sending until {@code end}; {@code firstPass} (if not null) is told
     * when a producer had its first message to each of its destinations answered.
     */
    private static List<Thread> startProducers(Side side, Spec spec, List<Producer> producers, Stats stats, long end,
            LongConsumer firstPass) {
        boolean fireAndForget = spec.mode() == SendMode.STREAM && side.streamsWithoutAnswers();
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < producers.size(); i++) {
            Producer p = producers.get(i);
            List<String> dests = spec.producerDestinations(i);
            Thread t = new Thread(() -> produce(p, dests, spec.mode(), fireAndForget, stats, end, firstPass),
                    "e2e-producer-" + (i + 1));
            t.setDaemon(true);
            threads.add(t);
        }
        threads.forEach(Thread::start);
        return threads;
    }

    private static void produce(Producer p, List<String> dests, SendMode mode, boolean fireAndForget, Stats stats,
            long end, LongConsumer firstPass) {
        int inflight = EndToEndBenchmark.INFLIGHT;
        Semaphore window = new Semaphore(inflight);
        AtomicBoolean passReported = new AtomicBoolean(firstPass == null);
        int n = dests.size();
        long k = 0;
        try {
            while (System.nanoTime() < end && stats.errors.sum() < MAX_ERRORS) {
                String d = dests.get((int) (k % n));
                long t0 = System.nanoTime();
                try {
                    switch (mode) {
                        case SYNC -> {
                            p.sendSync(d);
                            stats.sendLatency(t0, System.nanoTime());
                            stats.sent.increment();
                            if (k < n) {
                                stats.firstPass.increment();
                            }
                        }
                        case TXN -> {
                            p.sendTransacted(d, EndToEndBenchmark.TXN_BATCH);
                            stats.sendLatency(t0, System.nanoTime());
                            stats.sent.add(EndToEndBenchmark.TXN_BATCH);
                        }
                        case ASYNC, STREAM -> {
                            if (fireAndForget) {
                                p.sendSync(d);
                                stats.sent.increment();
                            } else {
                                if (!window.tryAcquire(100, TimeUnit.MILLISECONDS)) {
                                    continue;
                                }
                                p.sendAsync(d, e -> {
                                    if (e == null) {
                                        stats.sent.increment();
                                    } else {
                                        stats.error(e);
                                    }
                                    window.release();
                                });
                            }
                        }
                        default -> throw new IllegalStateException(mode.toString());
                    }
                } catch (InterruptedException e) {
                    throw e;
                } catch (Exception e) {
                    stats.error(e);
                }
                k++;
                if (k == n && !passReported.get()) {
                    passReported.set(true);
                    firstPass.accept(System.nanoTime());
                }
            }
            if (!window.tryAcquire(inflight, E2eHarness.TIMEOUT_S, TimeUnit.SECONDS)) {
                stats.error(new IllegalStateException((inflight - window.availablePermits())
                        + " sends still unanswered " + E2eHarness.TIMEOUT_S + " s after the window ended"));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Joins the producers, waits for the consumers to catch up, and collects the figures. */
    private static Result finish(Side side, Spec spec, Stats stats, List<Thread> threads, Counts a, Counts b,
            ManyQueues m) throws InterruptedException {
        for (Thread t : threads) {
            t.join(TimeUnit.SECONDS.toMillis(E2eHarness.TIMEOUT_S + 10));
            if (t.isAlive()) {
                stats.error(new IllegalStateException(t.getName() + " still running "
                        + (E2eHarness.TIMEOUT_S + 10) + " s after the window ended"));
            }
        }
        long drainStart = System.nanoTime();
        long expected = stats.sent.sum() * spec.fanout();
        boolean drained = E2eHarness.await(() -> stats.received.sum() - stats.redelivered.sum() >= expected,
                EndToEndBenchmark.DRAIN_SECONDS * 1000);
        long drainMillis = (System.nanoTime() - drainStart) / 1_000_000;
        long undelivered = drained ? 0 : expected - (stats.received.sum() - stats.redelivered.sum());
        Throwable first = stats.firstError.get();
        return new Result(side.name(), a.sentPerSecond(b), a.receivedPerSecond(b), stats.sendHistogram(),
                stats.endToEndHistogram(), stats.errors.sum(), first == null ? "" : first.toString(), undelivered,
                drainMillis, stats.redelivered.sum(), side.remarks(), m, a.cpuMicrosPerMessage(b), a.cores(b));
    }

    private static void closeAll(List<? extends AutoCloseable> all) {
        for (AutoCloseable c : all) {
            try {
                c.close();
            } catch (Exception e) {
                System.err.println("bench: closing a client: " + e);
            }
        }
    }
}
