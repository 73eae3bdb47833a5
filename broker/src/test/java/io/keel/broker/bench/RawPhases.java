package io.keel.broker.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAccumulator;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;

import org.HdrHistogram.Histogram;

import io.keel.broker.bench.BenchBroker.Producer;
import io.keel.protocol.DestinationType;
import io.keel.protocol.client.ProtocolClient;
import io.keel.protocol.command.CommandCode;
import io.keel.protocol.command.Credit;
import io.keel.protocol.command.Deliver;
import io.keel.protocol.command.RouteData;
import io.keel.protocol.command.SendResult;
import io.keel.protocol.command.Subscribe;
import io.keel.protocol.frame.Frame;

/**
 * The measured phases of the protocol benchmark. Each runs for a {@link Window}: a warm-up, then the
 * measured interval; only operations inside the measured interval count. Latencies are recorded in
 * nanoseconds (3 significant digits) and reported in microseconds.
 */
final class RawPhases {

    /** A request unanswered after this long counts as an error (the client's own timeout is 30 s). */
    private static final long ANSWER_TIMEOUT_S = 30;
    /** A producer stops after this many errors (a dead connection would otherwise spin). */
    private static final int MAX_ERRORS = 100;
    private static final long CONSUMER_ID = 1;

    private RawPhases() {
    }

    /** Warm-up from {@code start} to {@code warmEnd}, measured from {@code warmEnd} to {@code end} (nanoTime). */
    record Window(long start, long warmEnd, long end) {
        static Window fromNow() {
            long s = System.nanoTime();
            long w = s + (long) (ProtocolBenchmark.WARMUP * 1e9);
            return new Window(s, w, w + (long) (ProtocolBenchmark.SECONDS * 1e9));
        }

        boolean measured(long t) {
            return t >= warmEnd && t < end;
        }

        double seconds() {
            return (end - warmEnd) / 1e9;
        }
    }

    /**
     * What a phase measured: a latency histogram (ns; empty for pipelined sends), the operations
     * completed in the measured interval, errors, and a free-form remark for the table.
     */
    record Outcome(Histogram latency, long count, double seconds, long errors, String remark) {
        double perSecond() {
            return count / seconds;
        }
    }

    static Histogram histogram() {
        return new Histogram(60_000_000_000L, 3);
    }

    private static void record(Histogram h, long nanos) {
        h.recordValue(Math.max(0, Math.min(nanos, h.getHighestTrackableValue())));
    }

    /** Errors of a phase, with the first one kept for the report. */
    private static final class Errors {
        final LongAdder count = new LongAdder();
        final AtomicReference<Throwable> first = new AtomicReference<>();

        void add(Throwable t) {
            count.increment();
            if (first.compareAndSet(null, t)) {
                System.err.println("bench: first error of the phase: " + t);
            }
        }

        String describe() {
            Throwable t = first.get();
            return t == null ? "" : "first error: " + (t instanceof ExecutionException && t.getCause() != null
                    ? t.getCause() : t);
        }
    }

    /** The round trip of a request the broker answers from memory (ROUTE_QUERY), one at a time. */
    static Outcome roundTrips(BenchBroker b) throws Exception {
        try (ProtocolClient c = b.connect()) {
            Histogram h = histogram();
            Errors errors = new Errors();
            long n = 0;
            Window w = Window.fromNow();
            for (long t0 = System.nanoTime(); t0 < w.end() && errors.count.sum() < MAX_ERRORS; t0 = System.nanoTime()) {
                try {
                    Frame f = c.request(id -> RouteData.queryFrame(c.channel().alloc(), id, DestinationType.QUEUE,
                            BenchBroker.QUEUE)).get(ANSWER_TIMEOUT_S, TimeUnit.SECONDS);
                    try {
                        RouteData.decode(f.body());
                    } finally {
                        f.release();
                    }
                } catch (ExecutionException | TimeoutException | RuntimeException e) {
                    errors.add(e);
                    continue;
                }
                long t1 = System.nanoTime();
                if (t0 >= w.warmEnd() && t1 <= w.end()) {
                    record(h, t1 - t0);
                    n++;
                }
            }
            return new Outcome(h, n, w.seconds(), errors.count.sum(), errors.describe());
        }
    }

    static List<Producer> producers(BenchBroker b, int n, boolean persistent) {
        List<Producer> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(new Producer(b.connect(), i + 1, persistent, ProtocolBenchmark.MESSAGE_SIZE));
        }
        return out;
    }

    private static void closeAll(List<Producer> producers) {
        for (Producer p : producers) {
            p.close();
        }
    }

    /** Runs one thread per producer and waits for all of them. */
    private static void runThreads(List<Producer> producers, String name, Consumer<Producer> body)
            throws InterruptedException {
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < producers.size(); i++) {
            Producer p = producers.get(i);
            Thread t = new Thread(() -> body.accept(p), name + "-" + (i + 1));
            t.setDaemon(true);
            threads.add(t);
        }
        threads.forEach(Thread::start);
        for (Thread t : threads) {
            t.join();
        }
    }

    /** (a) Synchronous sends: one outstanding SEND per producer, round trip of each. */
    static Outcome syncSends(BenchBroker b, int producers, boolean persistent) throws Exception {
        List<Producer> ps = producers(b, producers, persistent);
        try {
            return syncLoad(ps, Window.fromNow());
        } finally {
            closeAll(ps);
        }
    }

    /** Every producer sends, waits for the answer, and sends again until the window ends. */
    static Outcome syncLoad(List<Producer> ps, Window w) throws InterruptedException {
        Histogram total = histogram();
        LongAdder count = new LongAdder();
        Errors errors = new Errors();
        runThreads(ps, "bench-sync", p -> {
            Histogram h = histogram();
            long n = 0;
            for (long t0 = System.nanoTime(); t0 < w.end(); t0 = System.nanoTime()) {
                try {
                    Frame f = p.send().get(ANSWER_TIMEOUT_S, TimeUnit.SECONDS);
                    try {
                        SendResult.decode(f.body());
                    } finally {
                        f.release();
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                } catch (ExecutionException | TimeoutException | RuntimeException e) {
                    errors.add(e);
                    if (errors.count.sum() >= MAX_ERRORS) {
                        break;
                    }
                    continue;
                }
                long t1 = System.nanoTime();
                if (t0 >= w.warmEnd() && t1 <= w.end()) {
                    record(h, t1 - t0);
                    n++;
                }
            }
            synchronized (total) {
                total.add(h);
            }
            count.add(n);
        });
        return new Outcome(total, count.sum(), w.seconds(), errors.count.sum(), errors.describe());
    }

    /** Counts of a pipelined load: answers in the measured interval, all answers, and the slowest drain. */
    record Load(long measured, long answered, long errors, long drainMillis, long stalledProducers, String firstError) {
    }

    /**
     * Pipelined sends: every producer keeps up to {@code bench.inflight} SENDs unanswered (a semaphore
     * taken per send, given back by the answer) until the window ends, then waits for its answers.
     */
    static Load pipelinedLoad(List<Producer> ps, Window w) throws InterruptedException {
        int inflight = ProtocolBenchmark.INFLIGHT;
        LongAdder measured = new LongAdder();
        LongAdder answered = new LongAdder();
        LongAdder stalled = new LongAdder();
        LongAccumulator drain = new LongAccumulator(Math::max, 0);
        Errors errors = new Errors();
        runThreads(ps, "bench-pipelined", p -> {
            Semaphore window = new Semaphore(inflight);
            try {
                while (System.nanoTime() < w.end() && errors.count.sum() < MAX_ERRORS) {
                    if (!window.tryAcquire(100, TimeUnit.MILLISECONDS)) {
                        continue;
                    }
                    CompletableFuture<Frame> f = p.send();
                    f.whenComplete((frame, e) -> {
                        long now = System.nanoTime();
                        if (e != null) {
                            errors.add(e);
                        } else {
                            try {
                                SendResult.decode(frame.body());
                                answered.increment();
                                if (w.measured(now)) {
                                    measured.increment();
                                }
                            } catch (RuntimeException bad) {
                                errors.add(bad);
                            } finally {
                                frame.release();
                            }
                        }
                        window.release();
                    });
                }
                long t = System.nanoTime();
                if (!window.tryAcquire(inflight, ANSWER_TIMEOUT_S + 5, TimeUnit.SECONDS)) {
                    stalled.increment();
                    System.err.println("bench: " + (inflight - window.availablePermits())
                            + " sends still unanswered " + (ANSWER_TIMEOUT_S + 5) + " s after the window ended");
                }
                drain.accumulate((System.nanoTime() - t) / 1_000_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        return new Load(measured.sum(), answered.sum(), errors.count.sum(), drain.get(), stalled.sum(),
                errors.describe());
    }

    /** (b) Pipelined throughput. */
    static Outcome pipelined(BenchBroker b, int producers, boolean persistent) throws Exception {
        List<Producer> ps = producers(b, producers, persistent);
        try {
            Window w = Window.fromNow();
            Load l = pipelinedLoad(ps, w);
            return new Outcome(histogram(), l.measured(), w.seconds(), l.errors(), describe(l));
        } finally {
            closeAll(ps);
        }
    }

    private static String describe(Load l) {
        return "drain " + l.drainMillis() + " ms" + (l.stalledProducers() > 0 ? ", " + l.stalledProducers()
                + " producers STALLED" : "") + (l.firstError().isEmpty() ? "" : ", " + l.firstError());
    }

    /**
     * (c) End to end: producers (pipelined as in (b), or synchronous as in (a)) and one consumer of the
     * whole queue (every queue id) on a connection of its own, which re-grants credit as it receives
     * and measures each message's age (receive time minus the nanoTime the producer wrote into it).
     */
    static Outcome endToEnd(BenchBroker b, int producers, boolean persistent, boolean pipelinedProducers)
            throws Exception {
        try (ProtocolClient consumer = b.connect()) {
            Drain drain = new Drain(consumer);
            consumer.onPush(drain);
            int credit = ProtocolBenchmark.CREDIT;
            Frame r = consumer.request(id -> new Subscribe(CONSUMER_ID, DestinationType.QUEUE, BenchBroker.QUEUE, -1,
                    Subscribe.START_EARLIEST, 0, credit, (long) credit * ProtocolBenchmark.MESSAGE_SIZE)
                    .frame(consumer.channel().alloc(), id)).get(ANSWER_TIMEOUT_S, TimeUnit.SECONDS);
            r.release();
            List<Producer> ps = producers(b, producers, persistent);
            try {
                Window w = Window.fromNow();
                drain.window = w;
                long answered;
                long errors;
                String remark;
                if (pipelinedProducers) {
                    Load l = pipelinedLoad(ps, w);
                    answered = l.answered();
                    errors = l.errors();
                    remark = String.format(Locale.ROOT, "producers %.0f msgs/s", l.measured() / w.seconds())
                            + (l.stalledProducers() > 0 ? "; producers STALLED" : "")
                            + (l.firstError().isEmpty() ? "" : "; " + l.firstError());
                } else {
                    Outcome o = syncLoad(ps, w);
                    answered = -1;
                    errors = o.errors();
                    remark = String.format(Locale.ROOT, "producers %.0f msgs/s, send p50 %.0f us", o.perSecond(),
                            o.latency().getValueAtPercentile(50) / 1000.0)
                            + (o.remark().isEmpty() ? "" : "; " + o.remark());
                }
                Drain.Snapshot s = drain.snapshot();
                if (answered >= 0) {
                    remark += "; not yet consumed when the producers had all answers: " + (answered - s.received())
                            + " of " + answered;
                }
                remark += s.errors() > 0 ? "; consumer errors " + s.errors() : "";
                return new Outcome(s.latency(), s.measured(), w.seconds(), errors + s.errors(), remark);
            } finally {
                closeAll(ps);
            }
        }
    }

    /** The end-to-end consumer; its state is touched on its connection's event loop only. */
    private static final class Drain implements Consumer<Frame> {
        record Snapshot(Histogram latency, long received, long measured, long errors) {
        }

        private final ProtocolClient client;
        private final Deliver deliver = new Deliver();
        private final Histogram latency = histogram();
        private final int regrantEvery = Math.max(1, ProtocolBenchmark.CREDIT / 4);
        volatile Window window;
        private long received;
        private long measured;
        private long errors;
        private int ungrantedMessages;
        private long ungrantedBytes;

        Drain(ProtocolClient client) {
            this.client = client;
        }

        @Override
        public void accept(Frame frame) {
            try {
                if (frame.command() != CommandCode.DELIVER) {
                    return;
                }
                deliver.decode(frame.body());
                long now = System.nanoTime();
                long sentAt = deliver.message.getLong(deliver.message.readerIndex());
                received++;
                Window w = window;
                if (w != null && w.measured(now)) {
                    record(latency, now - sentAt);
                    measured++;
                }
                ungrantedMessages++;
                ungrantedBytes += deliver.message.readableBytes();
                if (ungrantedMessages >= regrantEvery) {
                    client.send(new Credit(CONSUMER_ID, ungrantedMessages, ungrantedBytes)
                            .frame(client.channel().alloc()));
                    ungrantedMessages = 0;
                    ungrantedBytes = 0;
                }
            } catch (RuntimeException e) {
                if (errors++ == 0) {
                    System.err.println("bench: consumer error: " + e);
                }
            } finally {
                frame.release();
            }
        }

        /** The consumer's figures, read on its event loop. */
        Snapshot snapshot() throws Exception {
            return client.channel().eventLoop().submit(() -> new Snapshot(latency.copy(), received, measured, errors))
                    .get(ANSWER_TIMEOUT_S, TimeUnit.SECONDS);
        }
    }
}
