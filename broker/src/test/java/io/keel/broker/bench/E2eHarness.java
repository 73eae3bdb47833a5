package io.keel.broker.bench;

import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * What the end-to-end benchmark shares between its two brokers: the interfaces each side implements
 * (a broker, its producers, its consumers), the counters a case collects, and time helpers. Every
 * message carries {@link System#nanoTime()} of its send in the first 8 bytes of its 1 KiB body (big
 * endian), so a consumer in the same JVM measures its age on arrival.
 */
final class E2eHarness {

    /** A request or an await unanswered after this long is an error. */
    static final long TIMEOUT_S = 30;

    private E2eHarness() {
    }

    /** How producers send. */
    enum SendMode {
        /** One send at a time; each waits for the broker's answer (Artemis: blockOnDurableSend, its default). */
        SYNC,
        /** Up to {@code bench.inflight} unanswered sends per producer (Artemis: JMS 2.0 CompletionListener). */
        ASYNC,
        /**
         * Each client's default for non-persistent sends. Keel: as ASYNC (every SEND is answered).
         * Artemis: a plain send() that does not wait (blockOnNonDurableSend=false, its default).
         */
        STREAM,
        /** Batches of {@code bench.txnBatch} sends in a local transaction, then a commit that waits. */
        TXN
    }

    /** One broker under test, started in a fresh data directory; closing it stops it and deletes the directory. */
    interface Side extends AutoCloseable {
        String name();

        /** A producer on a connection of its own. */
        Producer producer(int index, boolean persistent, SendMode mode) throws Exception;

        /**
         * A consumer connection consuming every destination in {@code destinations} (one consumer
         * each; for a topic a durable subscription named after {@code index}); returns once every
         * consumer is open. Deliveries go to {@code stats}.
         */
        AutoCloseable consumers(int index, List<String> destinations, boolean topic, Stats stats) throws Exception;

        /** Whether SendMode.STREAM is a plain send that is not answered (else: pipelined like ASYNC). */
        default boolean streamsWithoutAnswers() {
            return false;
        }

        /** Broker-side remarks for the table (journal type, store counters, ...), or "". */
        String remarks();

        /** Stops the broker and deletes its data directory; failures are unchecked. */
        @Override
        void close();
    }

    /** A producer; used by one thread. */
    interface Producer extends AutoCloseable {
        /** Sends one message and waits for the broker's answer (Keel) or the send to return (Artemis). */
        void sendSync(String destination) throws Exception;

        /** Sends one message; {@code done} gets null or the error when the broker answered. */
        void sendAsync(String destination, Completion done) throws Exception;

        /** Sends {@code n} messages in one local transaction and commits it (waits for the commit). */
        void sendTransacted(String destination, int n) throws Exception;

        /** Closes the connection; failures are unchecked. */
        @Override
        void close();
    }

    interface Completion {
        void done(Throwable error);
    }

    /** Nanoseconds: warm-up from {@code start} to {@code warmEnd}, measured until {@code end}. */
    record Window(long start, long warmEnd, long end) {
        static Window fromNow(double warmupSeconds, double seconds) {
            long s = System.nanoTime();
            long w = s + (long) (warmupSeconds * 1e9);
            return new Window(s, w, w + (long) (seconds * 1e9));
        }

        boolean measured(long t) {
            return t >= warmEnd && t < end;
        }

        double seconds() {
            return (end - warmEnd) / 1e9;
        }
    }

    /** Counters of one case: answered sends, deliveries, latencies, errors. Thread-safe. */
    static final class Stats {
        final LongAdder sent = new LongAdder();
        final LongAdder received = new LongAdder();
        final LongAdder redelivered = new LongAdder();
        final LongAdder errors = new LongAdder();
        /** Answered sends of the producers' first pass over their destinations (one per destination). */
        final LongAdder firstPass = new LongAdder();
        final AtomicReference<Throwable> firstError = new AtomicReference<>();
        private final Recorder sendLatency = new Recorder(3);
        private final Recorder endToEnd = new Recorder(3);
        volatile Window window;

        void sendLatency(long t0, long t1) {
            Window w = window;
            if (w != null && t0 >= w.warmEnd() && t1 < w.end()) {
                sendLatency.recordValue(clamp(t1 - t0));
            }
        }

        /** A delivery of a message sent at {@code sentAt} (nanoTime). */
        void received(long sentAt, boolean redelivery) {
            long now = System.nanoTime();
            received.increment();
            if (redelivery) {
                redelivered.increment();
            }
            Window w = window;
            if (w != null && w.measured(now)) {
                endToEnd.recordValue(clamp(now - sentAt));
            }
        }

        void error(Throwable t) {
            errors.increment();
            Throwable cause = t instanceof ExecutionException && t.getCause() != null ? t.getCause() : t;
            if (firstError.compareAndSet(null, cause)) {
                System.err.println("bench: first error of the case: " + cause);
            }
        }

        Histogram sendHistogram() {
            return sendLatency.getIntervalHistogram();
        }

        Histogram endToEndHistogram() {
            return endToEnd.getIntervalHistogram();
        }

        Counts counts() {
            return new Counts(System.nanoTime(), sent.sum(), received.sum(), PROCESS.getProcessCpuTime());
        }

        private static long clamp(long nanos) {
            return Math.max(0, Math.min(nanos, 3_600_000_000_000L));
        }
    }

    /** The counters at one instant. */
    /** The JVM's CPU time (all its threads: broker, clients, compiler, collector). */
    private static final com.sun.management.OperatingSystemMXBean PROCESS =
            (com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean();

    /**
     * The counters at one moment, with the process CPU time: CPU per message is a steadier measure of
     * what a change costs than the rate on a shared machine, where the rate also moves with what the
     * other tenants and the disk do.
     */
    record Counts(long nanos, long sent, long received, long cpuNanos) {
        /** Process CPU microseconds per message received since this. */
        double cpuMicrosPerMessage(Counts later) {
            long n = later.received - received;
            return n <= 0 ? -1 : (later.cpuNanos - cpuNanos) / 1000.0 / n;
        }

        /** Cores busy on average since this (CPU time over elapsed time). */
        double cores(Counts later) {
            return (later.cpuNanos - cpuNanos) / (double) (later.nanos - nanos);
        }

        double sentPerSecond(Counts later) {
            return (later.sent - sent) / ((later.nanos - nanos) / 1e9);
        }

        double receivedPerSecond(Counts later) {
            return (later.received - received) / ((later.nanos - nanos) / 1e9);
        }
    }

    /**
     * Prints the received rate of every second until {@code end} (nanoTime), on a daemon thread: how
     * a rate builds up, which the averages of a case hide.
     */
    static Thread printEverySecond(String broker, Stats stats, long end) {
        Thread t = new Thread(() -> {
            Counts last = stats.counts();
            long next = last.nanos();
            // nanoTime is CLOCK_MONOTONIC on Linux: `perf record -k CLOCK_MONOTONIC` + `perf report --time` can cut
            // here; the JVM's uptime lines them up with -XX:+PrintCompilation and unified logging (-Xlog, uptime).
            System.out.printf(java.util.Locale.ROOT, "  %s seconds counted from nanoTime %.6f s (JVM uptime %d ms)%n",
                    broker, next / 1e9, java.lang.management.ManagementFactory.getRuntimeMXBean().getUptime());
            int second = 0;
            while ((next += 1_000_000_000L) <= end) {
                try {
                    waitUntil(next);
                } catch (InterruptedException e) {
                    return;
                }
                Counts now = stats.counts();
                System.out.printf(java.util.Locale.ROOT, "  %s second %3d: received %,8.0f msgs/s%n", broker, ++second,
                        last.receivedPerSecond(now));
                last = now;
            }
        }, "e2e-progress");
        t.setDaemon(true);
        t.start();
        return t;
    }

    /** Waits until {@code deadline} (nanoTime): the end of a timed measurement interval. */
    static void waitUntil(long deadline) throws InterruptedException {
        for (long left = deadline - System.nanoTime(); left > 0; left = deadline - System.nanoTime()) {
            LockSupport.parkNanos(left);
            if (Thread.interrupted()) {
                throw new InterruptedException();
            }
        }
    }

    /**
     * Polls {@code condition} every millisecond until it holds or {@code timeoutMillis} passed;
     * returns whether it holds.
     */
    static boolean await(BooleanSupplier condition, long timeoutMillis) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() >= deadline) {
                return false;
            }
            LockSupport.parkNanos(1_000_000);
            if (Thread.interrupted()) {
                throw new InterruptedException();
            }
        }
        return true;
    }

    /** Writes {@code nanos} big-endian into the first 8 bytes of {@code body}. */
    static void stamp(byte[] body, long nanos) {
        for (int i = 7; i >= 0; i--) {
            body[i] = (byte) nanos;
            nanos >>>= 8;
        }
    }

    /** Reads the stamp {@link #stamp} wrote. */
    static long stampOf(byte[] body) {
        long v = 0;
        for (int i = 0; i < 8; i++) {
            v = (v << 8) | (body[i] & 0xFF);
        }
        return v;
    }
}
