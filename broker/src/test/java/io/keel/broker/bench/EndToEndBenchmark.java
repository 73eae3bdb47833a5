package io.keel.broker.bench;

import java.lang.management.ManagementFactory;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.HdrHistogram.Histogram;

import io.keel.broker.bench.E2eHarness.SendMode;
import io.keel.broker.bench.E2eHarness.Side;
import io.keel.broker.bench.E2eRunner.Result;
import io.keel.broker.bench.E2eRunner.Spec;

/**
 * End to end through the broker, Keel beside Apache ActiveMQ Artemis in the same run: producers and
 * consumers on connections of their own over loopback TCP to a broker in their JVM, 1 KiB messages,
 * one fresh broker and data directory per case and broker. By default each broker runs its cases in a
 * JVM of its own ({@link BrokerJvms}; Keel first, then Artemis); {@code bench.jvm=shared} runs them
 * all in this JVM, case by case. Cases:
 * (1) 1 producer / 1 consumer, one queue, persistent, synchronous sends: rate and send latency;
 * (2) 16/16 over 8 queues, persistent, synchronous; (3) 16/16 over 10,000 queues, persistent,
 * synchronous: set-up time, heap per queue, the first seconds and the steady state; (4) 1/1
 * non-persistent; (5) 1/1 persistent, pipelined sends; (6) 1/1 persistent, transactions of 100
 * sends; (7) a topic: 1 producer, persistent, synchronous, 2 durable subscriptions. Prints tables,
 * the ratios Keel/Artemis and {@code RESULT name=value} lines. Not a test (surefire ignores it);
 * docs/benchmarks.md has the command and what each figure means.
 *
 * <p>System properties: bench.quick, bench.seconds, bench.warmup, bench.firstSeconds, bench.cases
 * (default 1,2,3,4,5,6,7), bench.brokers (default keel,artemis), bench.queues (case 3, default
 * 10000), bench.inflight, bench.credit, bench.ackBatch, bench.txnBatch, bench.drainSeconds,
 * bench.progress (print the received rate of every second), bench.dir, bench.jvm (fork or
 * shared), bench.jvmArgs (options of the child JVMs), bench.rounds (run the chosen cases that many
 * times in each JVM),
 * bench.artemis.journalBufferTimeout (an experiment; unset = Artemis's default).
 */
public final class EndToEndBenchmark {

    static final boolean QUICK = Boolean.getBoolean("bench.quick");
    static final double SECONDS = dbl("bench.seconds", QUICK ? 2 : 5);
    static final double WARMUP = dbl("bench.warmup", QUICK ? 1 : 2);
    static final double FIRST_SECONDS = dbl("bench.firstSeconds", QUICK ? 3 : 10);
    static final int MESSAGE_SIZE = 1024;
    static final int MANY_QUEUES = Integer.getInteger("bench.queues", 10_000);
    static final int INFLIGHT = Integer.getInteger("bench.inflight", 256);
    static final int CREDIT = Integer.getInteger("bench.credit", 1000);
    static final int ACK_BATCH = Integer.getInteger("bench.ackBatch", 250);
    static final int TXN_BATCH = Integer.getInteger("bench.txnBatch", 100);
    static final long DRAIN_SECONDS = Long.getLong("bench.drainSeconds", 60);
    static final boolean PROGRESS = Boolean.getBoolean("bench.progress");
    static final String CASES = System.getProperty("bench.cases", "1,2,3,4,5,6,7");
    static final String BROKERS = System.getProperty("bench.brokers", "keel,artemis");
    /** How many times each JVM runs the chosen cases, one after the other (ratios per round and their median). */
    static final int ROUNDS = Integer.getInteger("bench.rounds", 1);
    /** The round being run (1-based). */
    private static int round = 1;
    static final String TOPIC_PREFIX = "e2e-topic";

    /** {@code fork}: a JVM per broker ({@link BrokerJvms}); {@code shared}: every broker in this JVM. */
    static final String JVM = System.getProperty("bench.jvm", "fork");
    /** Set in a child JVM of {@link BrokerJvms}: its parent prints the header and the ratios. */
    static final boolean CHILD = Boolean.getBoolean("bench.child");

    /** Every figure, by name (in this JVM's cases, or printed by the child JVMs), for the ratios. */
    private static final Map<String, Double> FIGURES = new LinkedHashMap<>();
    /** The RESULT line of each figure measured in this JVM, with its decimals. */
    private static final Map<String, String> RESULT_LINES = new LinkedHashMap<>();

    private EndToEndBenchmark() {
    }

    static List<Spec> specs() {
        return List.of(
                new Spec("1", "1p/1c, 1 queue, persistent, sync sends", 1, 1, 1, false, true, SendMode.SYNC),
                new Spec("2", "16p/16c, 8 queues, persistent, sync sends", 16, 16, 8, false, true, SendMode.SYNC),
                new Spec("3", "16p/16c, " + MANY_QUEUES + " queues, persistent, sync sends", 16, 16, MANY_QUEUES, false,
                        true, SendMode.SYNC),
                new Spec("4", "1p/1c, 1 queue, non-persistent, streamed sends", 1, 1, 1, false, false, SendMode.STREAM),
                new Spec("5", "1p/1c, 1 queue, persistent, async sends (" + INFLIGHT + " in flight)", 1, 1, 1, false, true,
                        SendMode.ASYNC),
                new Spec("6", "1p/1c, 1 queue, persistent, transactions of " + TXN_BATCH, 1, 1, 1, false, true,
                        SendMode.TXN),
                new Spec("7", "topic: 1p, 2 durable subscribers, persistent, sync sends", 1, 2, 1, true, true,
                        SendMode.SYNC));
    }

    public static void main(String[] args) throws Exception {
        // Before any logger exists: warnings and errors only, and Artemis's audit loggers off.
        System.setProperty("org.slf4j.simpleLogger.log.org.apache.activemq.audit", "off");
        if (System.getProperty("org.slf4j.simpleLogger.defaultLogLevel") == null) {
            System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
        }
        String parent = System.getProperty("bench.dir");
        Path base = parent == null ? Files.createTempDirectory("keel-e2e-bench-")
                : Files.createTempDirectory(Files.createDirectories(Paths.get(parent)), "keel-e2e-bench-");
        Thread cleanup = new Thread(() -> BenchBroker.deleteQuietly(base), "bench-cleanup");
        Runtime.getRuntime().addShutdownHook(cleanup);
        long started = System.nanoTime();
        List<String> brokers = List.of(BROKERS.split(",")).stream().map(String::trim).toList();
        try {
            if (!CHILD) {
                describe(base);
            }
            if (JVM.equals("fork")) {
                BrokerJvms.runEach(brokers, base, FIGURES, RESULT_LINES);
            } else if (JVM.equals("shared")) {
                List<String> wanted = List.of(CASES.split(","));
                for (round = 1; round <= ROUNDS; round++) {
                    if (ROUNDS > 1) {
                        System.out.printf(Locale.ROOT, "%n==== Round %d of %d ====%n", round, ROUNDS);
                    }
                    for (Spec spec : specs()) {
                        if (wanted.contains(spec.key())) {
                            runCase(base, spec, brokers);
                        }
                    }
                }
            } else {
                throw new IllegalArgumentException("bench.jvm: '" + JVM + "' is neither fork nor shared");
            }
            if (!CHILD) {
                printRatios();
            }
        } finally {
            BenchBroker.deleteQuietly(base);
            Runtime.getRuntime().removeShutdownHook(cleanup);
            org.apache.activemq.artemis.api.core.client.ActiveMQClient.clearThreadPools();
            System.out.printf(Locale.ROOT, "%nRun time %.0f s. Figures:%n", (System.nanoTime() - started) / 1e9);
            FIGURES.forEach((name, value) -> System.out.println(RESULT_LINES.getOrDefault(name,
                    String.format(Locale.ROOT, "RESULT %s=%s", name, value))));
            System.out.flush();
        }
    }

    private static void runCase(Path base, Spec spec, List<String> brokers) {
        System.out.printf(Locale.ROOT, "%n== Case %s: %s ==%n", spec.key(), spec.title());
        for (String name : brokers) {
            Result r;
            try {
                r = runOn(base, spec, name);
            } catch (Exception | Error e) {
                System.out.printf(Locale.ROOT, "%-8s FAILED: %s%n", name, e);
                e.printStackTrace(System.out);
                result(prefix(round) + "case" + spec.key() + "." + name + ".failed", 1, 0);
                continue;
            }
            print(spec, r);
        }
    }

    private static Result runOn(Path base, Spec spec, String broker) throws Exception {
        boolean many = spec.key().equals("3");
        long heapBefore = many ? E2eRunner.usedHeapAfterGc() : 0;
        if (!many) {
            System.gc();
        }
        long t = System.nanoTime();
        String label = "case" + spec.key();
        try (Side side = switch (broker) {
            case "keel" -> KeelSide.start(base, label);
            case "artemis" -> ArtemisSide.start(base, label);
            default -> throw new IllegalArgumentException("bench.brokers: unknown broker '" + broker + "'");
        }) {
            long startMillis = (System.nanoTime() - t) / 1_000_000;
            return many ? E2eRunner.runManyQueues(side, spec, heapBefore, startMillis) : E2eRunner.run(side, spec);
        }
    }

    private static void print(Spec spec, Result r) {
        String k = prefix(round) + "case" + spec.key() + "." + r.broker() + ".";
        Histogram s = r.sendLatency();
        Histogram e = r.endToEnd();
        boolean latency = s.getTotalCount() > 0;
        System.out.printf(Locale.ROOT, "%-8s sent %,10.0f msgs/s  received %,10.0f msgs/s  %s  e2e p50 %s p99 %s us  "
                + "errors %d%s%s%n", r.broker(), r.sentPerSecond(), r.receivedPerSecond(),
                latency ? "send p50 " + us(s.getValueAtPercentile(50)) + " p99 " + us(s.getValueAtPercentile(99))
                        + " p99.9 " + us(s.getValueAtPercentile(99.9)) + " us" : "",
                us(e.getValueAtPercentile(50)), us(e.getValueAtPercentile(99)), r.errors(),
                r.firstError().isEmpty() ? "" : " (first: " + r.firstError() + ")",
                r.undelivered() > 0 ? "  UNDELIVERED " + r.undelivered() + " after " + r.drainMillis() + " ms" : "");
        System.out.printf(Locale.ROOT, "         process CPU %.1f us per message (%.2f cores busy); drain %d ms, redelivered %d; %s%n",
                r.cpuMicrosPerMessage(), r.cores(), r.drainMillis(), r.redelivered(), r.remarks());
        result(k + "sent_per_s", r.sentPerSecond(), 0);
        result(k + "received_per_s", r.receivedPerSecond(), 0);
        if (r.cpuMicrosPerMessage() > 0) {
            result(k + "cpu_us_per_msg", r.cpuMicrosPerMessage(), 1);
        }
        if (latency) {
            result(k + "send_p50_us", s.getValueAtPercentile(50) / 1000.0, 0);
            result(k + "send_p99_us", s.getValueAtPercentile(99) / 1000.0, 0);
        }
        if (e.getTotalCount() > 0) {
            result(k + "e2e_p50_us", e.getValueAtPercentile(50) / 1000.0, 0);
            result(k + "e2e_p99_us", e.getValueAtPercentile(99) / 1000.0, 0);
        }
        if (r.errors() > 0) {
            result(k + "errors", r.errors(), 0);
        }
        if (r.undelivered() > 0) {
            result(k + "undelivered", r.undelivered(), 0);
        }
        E2eRunner.ManyQueues m = r.manyQueues();
        if (m != null) {
            System.out.printf(Locale.ROOT, "         broker start %d ms; %d consumers open in %d ms; first message to "
                    + "every queue answered %s; set-up %s; heap after set-up %,d bytes per queue (broker and "
                    + "clients); first %.0f s: sent %,.0f received %,.0f msgs/s; then (the figures above) %.0f s%n",
                    m.startMillis(), spec.destinations(), m.consumersMillis(), m.firstPassMillis() < 0
                            ? "NOT within the run (" + m.queuesReached() + " of " + spec.destinations() + " queues had one)"
                            : m.firstPassMillis() + " ms later",
                    m.setupMillis() < 0 ? "not complete" : m.setupMillis() + " ms", m.heapBytesPerQueue(),
                    FIRST_SECONDS, m.firstSentPerSecond(), m.firstReceivedPerSecond(), SECONDS);
            result(k + "queues_reached", m.queuesReached(), 0);
            result(k + "consumers_ms", m.consumersMillis(), 0);
            result(k + "setup_ms", m.setupMillis(), 0);
            result(k + "heap_bytes_per_queue", m.heapBytesPerQueue(), 0);
            result(k + "first_sent_per_s", m.firstSentPerSecond(), 0);
            result(k + "first_received_per_s", m.firstReceivedPerSecond(), 0);
        }
    }

    /** Keel/Artemis per case, and the many-queues figures against the 8-queue case, from {@link #FIGURES}. */
    private static void printRatios() {
        List<Double> steadyRatios = new ArrayList<>();
        List<Double> firstRatios = new ArrayList<>();
        List<Double> cpuRatios = new ArrayList<>();
        for (int r = 1; r <= ROUNDS; r++) {
            String pre = prefix(r);
            System.out.printf(Locale.ROOT, "%n== Keel / Artemis (received msgs/s; case 1 also send latency)%s ==%n",
                    ROUNDS > 1 ? ", round " + r : "");
            System.out.printf(Locale.ROOT, "%-5s %-62s %12s %12s %8s%n", "case", "what", "keel", "artemis", "ratio");
            for (Spec spec : specs()) {
                String c = pre + "case" + spec.key() + ".";
                double keel = FIGURES.getOrDefault(c + "keel.received_per_s", -1.0);
                double artemis = FIGURES.getOrDefault(c + "artemis.received_per_s", -1.0);
                if (keel < 0 && artemis < 0) {
                    continue;
                }
                ratioRow(spec, "received msgs/s", keel, artemis, c + "ratio_keel_vs_artemis");
                if (spec.key().equals("1")) {
                    double k = FIGURES.getOrDefault(c + "keel.send_p50_us", -1.0);
                    double a = FIGURES.getOrDefault(c + "artemis.send_p50_us", -1.0);
                    if (k >= 0 && a > 0) {
                        ratioRow(spec, "send p50 us", k, a, null);
                    }
                }
                if (spec.key().equals("3")) {
                    for (String broker : List.of("keel", "artemis")) {
                        double eight = FIGURES.getOrDefault(pre + "case2." + broker + ".received_per_s", -1.0);
                        double many = FIGURES.getOrDefault(c + broker + ".received_per_s", -1.0);
                        double firstMany = FIGURES.getOrDefault(c + broker + ".first_received_per_s", -1.0);
                        if (eight > 0 && many >= 0 && firstMany >= 0) {
                            double steady = many / eight;
                            double first = firstMany / eight;
                            System.out.printf(Locale.ROOT, "3     %-62s %12s %12s %8.3f%n", broker + ": "
                                    + MANY_QUEUES + " vs 8 queues, steady (first " + FIRST_SECONDS + " s: "
                                    + String.format(Locale.ROOT, "%.3f", first) + ")", "", "", steady);
                            result(c + broker + ".ratio_vs_8_queues", steady, 3);
                            result(c + broker + ".first_ratio_vs_8_queues", first, 3);
                            if (broker.equals("keel")) {
                                steadyRatios.add(steady);
                                firstRatios.add(first);
                            }
                            double cpuEight = FIGURES.getOrDefault(pre + "case2." + broker + ".cpu_us_per_msg", -1.0);
                            double cpuMany = FIGURES.getOrDefault(c + broker + ".cpu_us_per_msg", -1.0);
                            if (cpuEight > 0 && cpuMany > 0) {
                                System.out.printf(Locale.ROOT, "3     %-62s %12.1f %12s %8.3f%n", broker + ": "
                                        + "process CPU us per message, " + MANY_QUEUES + " / 8 queues", cpuMany, "",
                                        cpuMany / cpuEight);
                                result(c + broker + ".cpu_ratio_vs_8_queues", cpuMany / cpuEight, 3);
                                if (broker.equals("keel")) {
                                    cpuRatios.add(cpuMany / cpuEight);
                                }
                            }
                        }
                    }
                }
            }
        }
        if (steadyRatios.size() > 1) {
            System.out.printf(Locale.ROOT, "%nKeel, %d vs 8 queues over %d rounds: steady %s (median %.3f); first %.0f s %s "
                    + "(median %.3f)%n", MANY_QUEUES, steadyRatios.size(), threeDecimals(steadyRatios),
                    median(steadyRatios), FIRST_SECONDS, threeDecimals(firstRatios), median(firstRatios));
            result("e2e.case3.keel.ratio_vs_8_queues_median", median(steadyRatios), 3);
            result("e2e.case3.keel.first_ratio_vs_8_queues_median", median(firstRatios), 3);
        }
        if (cpuRatios.size() > 1) {
            System.out.printf(Locale.ROOT, "Keel, process CPU per message, %d / 8 queues over %d rounds: %s (median %.3f)%n",
                    MANY_QUEUES, cpuRatios.size(), threeDecimals(cpuRatios), median(cpuRatios));
            result("e2e.case3.keel.cpu_ratio_vs_8_queues_median", median(cpuRatios), 3);
        }
    }

    private static String threeDecimals(List<Double> values) {
        return values.stream().map(v -> String.format(Locale.ROOT, "%.3f", v)).toList().toString();
    }

    private static double median(List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        sorted.sort(null);
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    /** The prefix of a round's figure names: {@code e2e.} for the first (as without rounds), {@code e2e.rN.} after. */
    private static String prefix(int r) {
        return r == 1 ? "e2e." : "e2e.r" + r + ".";
    }

    private static void ratioRow(Spec spec, String what, double keel, double artemis, String resultName) {
        boolean both = keel >= 0 && artemis > 0;
        System.out.printf(Locale.ROOT, "%-5s %-62s %12s %12s %8s%n", spec.key(), spec.title() + ": " + what,
                keel < 0 ? "-" : String.format(Locale.ROOT, "%,.0f", keel),
                artemis < 0 ? "-" : String.format(Locale.ROOT, "%,.0f", artemis),
                both ? String.format(Locale.ROOT, "%.2f", keel / artemis) : "-");
        if (both && resultName != null) {
            result(resultName, keel / artemis, 2);
        }
    }

    private static void describe(Path base) throws Exception {
        FileStore fs = Files.getFileStore(base);
        long totalMemory = ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getTotalMemorySize();
        System.out.printf(Locale.ROOT, "== End to end: Keel vs Apache ActiveMQ Artemis %s ==%n",
                org.apache.activemq.artemis.utils.VersionLoader.getVersion().getFullVersion());
        System.out.printf(Locale.ROOT, "machine      %d processors, %s, %.1f GiB RAM; JDK %s (%s), max heap %d MiB%n",
                Runtime.getRuntime().availableProcessors(), ProtocolBenchmark.cpuModel(), totalMemory / 1073741824.0,
                System.getProperty("java.version"), System.getProperty("java.vm.name"),
                Runtime.getRuntime().maxMemory() / 1048576);
        System.out.printf(Locale.ROOT, "data dir     %s: %s (%s), %.0f GiB total, %.0f GiB free%n", base, fs.name(),
                fs.type(), fs.getTotalSpace() / 1073741824.0, fs.getUsableSpace() / 1073741824.0);
        System.out.printf(Locale.ROOT, "settings     %.1f s measured after %.1f s warm-up per case (case 3: the first "
                + "%.1f s, then %.1f s); %d-byte bodies; consumers: credit %d msgs (Keel) / 1 MiB window (Artemis), "
                + "ack every %d msgs per consumer (Keel) / DUPS_OK (Artemis); %d async sends in flight; "
                + "transactions of %d; Artemis audit logging %s%n", SECONDS, WARMUP, FIRST_SECONDS, SECONDS,
                MESSAGE_SIZE, CREDIT, ACK_BATCH, INFLIGHT, TXN_BATCH,
                ArtemisSide.auditLoggingEnabled() ? "ON (check the slf4j settings)" : "off");
    }

    private static String us(double nanos) {
        return String.format(Locale.ROOT, "%,.0f", nanos / 1000.0);
    }

    private static void result(String name, double value, int decimals) {
        FIGURES.put(name, value);
        RESULT_LINES.put(name, String.format(Locale.ROOT, "RESULT %s=%." + decimals + "f", name, value));
    }

    private static double dbl(String property, double dflt) {
        String v = System.getProperty(property);
        return v == null ? dflt : Double.parseDouble(v);
    }
}
