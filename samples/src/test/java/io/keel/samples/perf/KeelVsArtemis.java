package io.keel.samples.perf;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

import org.apache.activemq.artemis.logs.AuditLogger;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Keel and Apache ActiveMQ Artemis side by side through the JMS API: for each scenario, a fresh
 * in-process broker of each kind, and the same {@link JmsPerf} arguments against each, one after the
 * other (the order alternates between rounds so that neither broker always runs on a machine warmed
 * up by the other). Prints every run's report, then a table of Keel/Artemis ratios and RESULT lines.
 * Test sources: never shipped, never run by surefire (docs/benchmarks.md, "JMS-level").
 */
@Command(name = "keel-vs-artemis", mixinStandardHelpOptions = true,
        description = "Runs JmsPerf scenarios against an in-process Keel broker and an in-process Artemis broker.")
public final class KeelVsArtemis implements Callable<Integer> {

    /** A named set of JmsPerf arguments (everything but URL, duration, warm-up and prefix). */
    record Scenario(String name, String what, String... args) {
    }

    static final List<Scenario> SCENARIOS = List.of(
            new Scenario("1p1c_sync", "1 producer, 1 consumer, persistent 1 KiB, sync send"),
            new Scenario("4p4c_async", "4 producers, 4 consumers, 1 queue, persistent, async send",
                    "--producers", "4", "--consumers", "4", "--async"),
            new Scenario("1p1c_nonpersistent", "1 producer, 1 consumer, non-persistent, plain send()",
                    "--non-persistent"),
            new Scenario("1p1c_txn100", "1 producer, 1 consumer, persistent, transactions of 100",
                    "--transacted", "100"),
            new Scenario("8p8c_8queues", "8 producers, 8 consumers, 8 queues, persistent, sync send",
                    "--producers", "8", "--consumers", "8", "--destinations", "8"),
            new Scenario("1p1c_async_2000", "1 producer at 2,000 msgs/s, 1 consumer, persistent, async send",
                    "--async", "--rate", "2000"));

    @Option(names = "--rounds", defaultValue = "1", description = "times every scenario runs on each broker (default ${DEFAULT-VALUE})")
    int rounds;

    @Option(names = "--duration", defaultValue = "10", description = "measured seconds per run (default ${DEFAULT-VALUE})")
    String duration;

    @Option(names = "--warmup", defaultValue = "3", description = "warm-up seconds per run (default ${DEFAULT-VALUE})")
    String warmup;

    @Option(names = "--scenarios", split = ",", description = "scenario numbers, 1-based (default: all)")
    List<Integer> only;

    @Option(names = "--dir", description = "parent of the brokers' data directories (default: java.io.tmpdir)")
    Path dir;

    /** Before any logger exists: warnings only, and Artemis's audit loggers (INFO per operation) off. */
    public static void main(String[] args) {
        System.setProperty("org.slf4j.simpleLogger.log.org.apache.activemq.audit", "off");
        if (System.getProperty("org.slf4j.simpleLogger.defaultLogLevel") == null) {
            System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
        }
        System.exit(new CommandLine(new KeelVsArtemis()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        PrintWriter out = new PrintWriter(System.out, true);
        Path base = dir != null ? dir : Path.of(System.getProperty("java.io.tmpdir"));
        Files.createDirectories(base);
        List<Integer> numbers = only != null ? only : numbersOfAll();
        out.printf("KeelVsArtemis %s: %d round(s), %s s per run after %s s warm-up, scenarios %s, %d cores, Java %s, "
                + "Artemis audit logging %s%n", LocalDateTime.now().withNano(0), rounds, duration, warmup, numbers,
                Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"),
                AuditLogger.isAnyLoggingEnabled() ? "ON (check the slf4j settings)" : "off");
        List<String[]> rows = new ArrayList<>();
        int failures = 0;
        for (int round = 1; round <= rounds; round++) {
            for (int n : numbers) {
                Scenario sc = SCENARIOS.get(n - 1);
                PerfResult[] results = new PerfResult[2]; // [0] Keel, [1] Artemis
                boolean artemisFirst = round % 2 == 0;
                for (int k = 0; k < 2; k++) {
                    boolean keel = (k == 0) != artemisFirst;
                    results[keel ? 0 : 1] = runOne(out, base, sc, n, round, keel);
                }
                for (PerfResult r : results) {
                    failures += r == null || r.errors() > 0 || r.undelivered() > 0 ? 1 : 0;
                }
                rows.add(row(n, round, sc, results[0], results[1]));
                if (results[0] != null && results[1] != null) {
                    out.printf(Locale.ROOT, "RESULT jmsperf.%s.r%d.ratio_keel_vs_artemis=%.2f%n", sc.name(), round,
                            ratio(results[0].receivedPerSecond(), results[1].receivedPerSecond()));
                }
            }
        }
        printTable(out, rows);
        return failures == 0 ? 0 : 1;
    }

    private static List<Integer> numbersOfAll() {
        List<Integer> all = new ArrayList<>();
        for (int i = 1; i <= SCENARIOS.size(); i++) {
            all.add(i);
        }
        return all;
    }

    private PerfResult runOne(PrintWriter out, Path base, Scenario sc, int n, int round, boolean keel) throws Exception {
        String side = keel ? "keel" : "artemis";
        try (EmbeddedBrokers.Running broker = keel ? EmbeddedBrokers.keel(base) : EmbeddedBrokers.artemis(base)) {
            List<String> args = new ArrayList<>(List.of("--url", broker.url(), "--duration", duration, "--warmup",
                    warmup, "--prefix", "s" + n, "--result-prefix", "jmsperf." + sc.name() + ".r" + round + "." + side));
            args.addAll(Arrays.asList(sc.args()));
            out.printf("%n== scenario %d (%s), round %d, %s (%s)%n", n, sc.what(), round, side, broker.remarks());
            return JmsPerf.run(out, args.toArray(String[]::new));
        }
    }

    private static double ratio(double keel, double artemis) {
        return artemis == 0 ? Double.NaN : keel / artemis;
    }

    private static String[] row(int n, int round, Scenario sc, PerfResult keel, PerfResult artemis) {
        if (keel == null || artemis == null) {
            return new String[] {n + ". " + sc.name(), String.valueOf(round), "failed", "", "", "", "", ""};
        }
        return new String[] {n + ". " + sc.name(), String.valueOf(round),
            String.format(Locale.ROOT, "%,.0f", keel.receivedPerSecond()),
            String.format(Locale.ROOT, "%,.0f", artemis.receivedPerSecond()),
            String.format(Locale.ROOT, "%.2f", ratio(keel.receivedPerSecond(), artemis.receivedPerSecond())),
            latencies(keel), latencies(artemis),
            keel.errors() + artemis.errors() + keel.undelivered() + artemis.undelivered() == 0 ? "ok"
                    : "errors " + keel.errors() + "/" + artemis.errors() + ", undelivered " + keel.undelivered()
                            + "/" + artemis.undelivered()};
    }

    private static String latencies(PerfResult r) {
        return String.format(Locale.ROOT, "%,.0f / %,.0f / %,.0f", r.e2eMicros(50), r.e2eMicros(99), r.e2eMicros(99.9));
    }

    /** A Markdown table, ready for docs/benchmarks.md. */
    private static void printTable(PrintWriter out, List<String[]> rows) {
        out.println();
        out.println("| scenario | round | Keel recv msgs/s | Artemis recv msgs/s | Keel/Artemis | Keel e2e p50 / p99 / p99.9 us | Artemis e2e p50 / p99 / p99.9 us | checks |");
        out.println("| --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |");
        for (String[] r : rows) {
            out.println("| " + String.join(" | ", r) + " |");
        }
        out.flush();
    }
}
