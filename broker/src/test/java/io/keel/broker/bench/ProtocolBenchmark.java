package io.keel.broker.bench;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.HdrHistogram.Histogram;

import io.keel.broker.bench.RawPhases.Outcome;
import io.keel.store.StoreMetrics;
import io.netty.channel.epoll.Epoll;

/**
 * The broker's raw protocol path, without the JMS client: an in-process broker on loopback, producers
 * sending 1 KiB messages over {@code ProtocolClient}, 1 and 16 producers, persistent (SYNC_FLUSH group
 * commit) and not. Per case: (a) synchronous send latency and rate, (b) pipelined throughput, (c) end
 * to end through one credit-based consumer, with the producers of (b) and, (c'), of (a). Also the
 * disk's fsync latency and the loopback round trip of a request the broker answers from memory, as
 * baselines in the same run. Every phase gets a fresh broker in a fresh data directory. Prints
 * tables, then one {@code RESULT name=value} line per figure. Not a test (surefire ignores it);
 * docs/benchmarks.md has the command and the meaning of each figure.
 *
 * <p>System properties: bench.seconds (measured per phase, default 5), bench.warmup (default 1),
 * bench.quick (1 s per phase, 0.5 s warm-up), bench.dir (parent of the data directories, default
 * java.io.tmpdir), bench.producers (default 1,16), bench.size (message bytes, default 1024),
 * bench.inflight (unanswered sends per pipelined producer, default 256), bench.credit (consumer credit
 * window in messages, default 1000), bench.segmentSize (default 256m), bench.persistence (default
 * persistent,nonpersistent).
 */
public final class ProtocolBenchmark {

    static final boolean QUICK = Boolean.getBoolean("bench.quick");
    static final double SECONDS = dbl("bench.seconds", QUICK ? 1 : 5);
    static final double WARMUP = dbl("bench.warmup", QUICK ? 0.5 : 1);
    static final int MESSAGE_SIZE = Integer.getInteger("bench.size", 1024);
    static final int INFLIGHT = Integer.getInteger("bench.inflight", 256);
    static final int CREDIT = Integer.getInteger("bench.credit", 1000);
    static final String SEGMENT_SIZE = System.getProperty("bench.segmentSize", "256m");
    static final String PRODUCERS = System.getProperty("bench.producers", "1,16");
    static final String PERSISTENCE = System.getProperty("bench.persistence", "persistent,nonpersistent");

    private static final String PREFIX = "broker.raw.";
    private static final List<String> RESULTS = new ArrayList<>();

    private ProtocolBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        if (System.getProperty("org.slf4j.simpleLogger.defaultLogLevel") == null) {
            // Warnings and errors of the broker still show; its start/stop lines per phase do not.
            System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
        }
        if (MESSAGE_SIZE < 8) {
            throw new IllegalArgumentException("bench.size must be at least 8 (the send timestamp)");
        }
        String parent = System.getProperty("bench.dir");
        Path base = parent == null ? Files.createTempDirectory("keel-protocol-bench-")
                : Files.createTempDirectory(Files.createDirectories(Paths.get(parent)), "keel-protocol-bench-");
        Thread cleanup = new Thread(() -> BenchBroker.deleteQuietly(base), "bench-cleanup");
        Runtime.getRuntime().addShutdownHook(cleanup);
        long started = System.nanoTime();
        try {
            describeMachine(base);
            baselines(base);
            System.out.printf(Locale.ROOT, "%n== Cases: %d-byte messages to one queue ('%s', %d queue ids; producer i "
                    + "has producer id i, so producer ids spread over the queue ids modulo their count), each producer "
                    + "on its own connection. sync = one SEND outstanding per producer; pipelined = up to %d "
                    + "unanswered SENDs per producer; e2e = pipelined producers + 1 consumer of the queue (credit %d "
                    + "messages, re-granted every %d received), msgs/s = deliveries received, latency = receive "
                    + "time - send time written into the message; e2e-sync = the same with synchronous "
                    + "producers (a load the consumer can follow). MB = 10^6 payload bytes. Latencies in us. ==%n",
                    MESSAGE_SIZE, BenchBroker.QUEUE, BenchBroker.config(base).defaultQueueCount(), INFLIGHT, CREDIT,
                    Math.max(1, CREDIT / 4));
            System.out.printf(Locale.ROOT, "%-13s %4s %-9s %10s %8s %8s %8s %8s %8s %8s %6s  %s%n", "mode", "prod",
                    "phase", "msgs/s", "MB/s", "p50", "p99", "p99.9", "max", "mean", "errors", "remarks");
            for (String mode : PERSISTENCE.split(",")) {
                boolean persistent = switch (mode.trim()) {
                    case "persistent" -> true;
                    case "nonpersistent" -> false;
                    default -> throw new IllegalArgumentException("bench.persistence: unknown mode '" + mode + "'");
                };
                for (String p : PRODUCERS.split(",")) {
                    runCase(base, persistent, Integer.parseInt(p.trim()));
                }
            }
        } finally {
            BenchBroker.deleteQuietly(base);
            Runtime.getRuntime().removeShutdownHook(cleanup);
            System.out.printf(Locale.ROOT, "%nRun time %.0f s. Figures:%n", (System.nanoTime() - started) / 1e9);
            RESULTS.forEach(System.out::println);
            System.out.flush();
        }
    }

    /** One phase on a fresh broker; the store's counters for the whole phase go into the remarks. */
    private interface Phase {
        Outcome run(BenchBroker b) throws Exception;
    }

    private static Outcome phase(Path base, String label, Phase phase) throws Exception {
        try (BenchBroker b = BenchBroker.start(base, label)) {
            // The store's counters when the measured interval starts and ends (phases start their
            // window a few ms later, after connecting: close enough for counts and means).
            CompletableFuture<StoreMetrics> atStart = new CompletableFuture<>();
            CompletableFuture<StoreMetrics> atEnd = new CompletableFuture<>();
            ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "bench-store-sampler");
                t.setDaemon(true);
                return t;
            });
            long warm = (long) (WARMUP * 1e9);
            sampler.schedule(() -> atStart.complete(b.broker.store().metrics()), warm, TimeUnit.NANOSECONDS);
            sampler.schedule(() -> atEnd.complete(b.broker.store().metrics()), warm + (long) (SECONDS * 1e9),
                    TimeUnit.NANOSECONDS);
            Outcome o;
            try {
                o = phase.run(b);
            } finally {
                sampler.shutdown();
            }
            StoreMetrics all = b.broker.store().metrics();
            String store = "store: no samples";
            if (atStart.isDone() && atEnd.isDone()) {
                StoreMetrics s = atStart.get();
                StoreMetrics e = atEnd.get();
                long forces = e.flushes() - s.flushes();
                long appends = e.appendedRecords() - s.appendedRecords();
                double meanUs = forces == 0 ? 0 : ((double) e.averageFlushMicros() * e.flushes()
                        - (double) s.averageFlushMicros() * s.flushes()) / forces;
                store = String.format(Locale.ROOT, "store in the interval: %d appends, %d forces (%.1f appends/force, "
                        + "mean %.0f us); slowest force since start %d us", appends, forces,
                        forces == 0 ? 0.0 : (double) appends / forces, meanUs, all.maxFlushMicros());
            }
            return new Outcome(o.latency(), o.count(), o.seconds(), o.errors(),
                    o.remark().isEmpty() ? store : o.remark() + "; " + store);
        }
    }

    private static void runCase(Path base, boolean persistent, int producers) throws Exception {
        String mode = persistent ? "persistent" : "nonpersistent";
        String key = PREFIX + mode + "." + producers + "p.";
        String label = mode + "-" + producers + "p-";

        Outcome sync = phase(base, label + "sync", b -> RawPhases.syncSends(b, producers, persistent));
        row(mode, producers, "sync", sync, true);
        result(key + "sync_latency_p50_us", us(sync.latency().getValueAtPercentile(50)), 0);
        result(key + "sync_latency_p99_us", us(sync.latency().getValueAtPercentile(99)), 0);
        result(key + "sync_latency_p999_us", us(sync.latency().getValueAtPercentile(99.9)), 0);
        result(key + "sync_latency_max_us", us(sync.latency().getMaxValue()), 0);
        result(key + "sync_msgs_per_s", sync.perSecond(), 0);

        Outcome pipelined = phase(base, label + "pipelined", b -> RawPhases.pipelined(b, producers, persistent));
        row(mode, producers, "pipelined", pipelined, false);
        result(key + "pipelined_msgs_per_s", pipelined.perSecond(), 0);
        result(key + "pipelined_mb_per_s", pipelined.perSecond() * MESSAGE_SIZE / 1e6, 2);

        Outcome e2e = phase(base, label + "e2e", b -> RawPhases.endToEnd(b, producers, persistent, true));
        row(mode, producers, "e2e", e2e, true);
        result(key + "e2e_msgs_per_s", e2e.perSecond(), 0);
        result(key + "e2e_latency_p50_us", us(e2e.latency().getValueAtPercentile(50)), 0);
        result(key + "e2e_latency_p99_us", us(e2e.latency().getValueAtPercentile(99)), 0);
        result(key + "e2e_latency_p999_us", us(e2e.latency().getValueAtPercentile(99.9)), 0);

        Outcome e2eSync = phase(base, label + "e2e-sync", b -> RawPhases.endToEnd(b, producers, persistent, false));
        row(mode, producers, "e2e-sync", e2eSync, true);
        result(key + "e2e_sync_msgs_per_s", e2eSync.perSecond(), 0);
        result(key + "e2e_sync_latency_p50_us", us(e2eSync.latency().getValueAtPercentile(50)), 0);
        result(key + "e2e_sync_latency_p99_us", us(e2eSync.latency().getValueAtPercentile(99)), 0);
        result(key + "e2e_sync_latency_p999_us", us(e2eSync.latency().getValueAtPercentile(99.9)), 0);
        long errors = sync.errors() + pipelined.errors() + e2e.errors() + e2eSync.errors();
        if (errors > 0) {
            result(key + "errors", errors, 0);
        }
    }

    private static void row(String mode, int producers, String phase, Outcome o, boolean latency) {
        Histogram h = o.latency();
        String[] l = latency && h.getTotalCount() > 0
                ? new String[] {fmt(us(h.getValueAtPercentile(50))), fmt(us(h.getValueAtPercentile(99))),
                    fmt(us(h.getValueAtPercentile(99.9))), fmt(us(h.getMaxValue())), fmt(h.getMean() / 1000)}
                : new String[] {"-", "-", "-", "-", "-"};
        System.out.printf(Locale.ROOT, "%-13s %4d %-9s %10.0f %8.2f %8s %8s %8s %8s %8s %6d  %s%n", mode, producers,
                phase, o.perSecond(), o.perSecond() * MESSAGE_SIZE / 1e6, l[0], l[1], l[2], l[3], l[4], o.errors(),
                o.remark());
        System.out.flush();
    }

    // ---- baselines -------------------------------------------------------------------------------

    /** The disk's fsync latency in the data directory, and the loopback round trip of ROUTE_QUERY. */
    private static void baselines(Path base) throws Exception {
        Histogram msync = mappedForces(base, 500);
        Histogram fdatasync = channelForces(base, 500);
        System.out.printf(Locale.ROOT, "%n== Baselines ==%n"
                + "disk: 4 KiB written into a fresh page of a sparse mapped file + MappedByteBuffer.force(range) "
                + "(what the store's flusher does), %d samples: p50 %.0f us, p99 %.0f us, max %.0f us%n"
                + "disk: 4 KiB FileChannel.write + force(false) (fdatasync), %d samples: p50 %.0f us, p99 %.0f us, "
                + "max %.0f us%n", msync.getTotalCount(), us(msync.getValueAtPercentile(50)),
                us(msync.getValueAtPercentile(99)), us(msync.getMaxValue()), fdatasync.getTotalCount(),
                us(fdatasync.getValueAtPercentile(50)), us(fdatasync.getValueAtPercentile(99)),
                us(fdatasync.getMaxValue()));
        result(PREFIX + "msync4k_p50_us", us(msync.getValueAtPercentile(50)), 0);
        result(PREFIX + "msync4k_p99_us", us(msync.getValueAtPercentile(99)), 0);
        result(PREFIX + "fdatasync4k_p50_us", us(fdatasync.getValueAtPercentile(50)), 0);

        Outcome rt;
        try (BenchBroker b = BenchBroker.start(base, "roundtrip")) {
            System.out.printf(Locale.ROOT, "broker start (open the store, create a %s segment, bind): %d ms%n",
                    SEGMENT_SIZE, b.startMillis);
            rt = RawPhases.roundTrips(b);
        }
        Histogram h = rt.latency();
        System.out.printf(Locale.ROOT, "loopback round trip: ROUTE_QUERY answered from memory, 1 connection, one "
                + "at a time: %.0f /s, p50 %.1f us, p99 %.1f us, p99.9 %.1f us, max %.0f us, errors %d%n",
                rt.perSecond(), us(h.getValueAtPercentile(50)), us(h.getValueAtPercentile(99)),
                us(h.getValueAtPercentile(99.9)), us(h.getMaxValue()), rt.errors());
        result(PREFIX + "roundtrip_p50_us", us(h.getValueAtPercentile(50)), 0);
        result(PREFIX + "roundtrip_p99_us", us(h.getValueAtPercentile(99)), 0);
        result(PREFIX + "roundtrip_per_s", rt.perSecond(), 0);
    }

    /** Latency (ns) of writing 4 KiB into a fresh page of a sparse mapped file and forcing that range. */
    private static Histogram mappedForces(Path base, int samples) throws IOException {
        Path file = Files.createTempFile(base, "msync-", ".dat");
        int span = 4 << 20;
        byte[] page = new byte[4096];
        Histogram h = RawPhases.histogram();
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            // Sparse, like the store's CommitLog segments (zeroFillSegments=false, the default): each
            // page written below allocates its block, as appends into a fresh segment do.
            ch.write(ByteBuffer.allocate(1), span - 1);
            ch.force(true);
            MappedByteBuffer map = ch.map(FileChannel.MapMode.READ_WRITE, 0, span);
            for (int i = 0; i < samples + samples / 10; i++) {
                int at = (i * 4096) % span;
                page[0] = (byte) i;
                long t = System.nanoTime();
                map.put(at, page);
                map.force(at, page.length);
                if (i >= samples / 10) {
                    h.recordValue(System.nanoTime() - t);
                }
            }
        } finally {
            Files.deleteIfExists(file);
        }
        return h;
    }

    /** Latency (ns) of a 4 KiB positional write + force(false), at successive positions of a small file. */
    private static Histogram channelForces(Path base, int samples) throws IOException {
        Path file = Files.createTempFile(base, "fdatasync-", ".dat");
        ByteBuffer buf = ByteBuffer.allocateDirect(4096);
        Histogram h = RawPhases.histogram();
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
            for (int i = 0; i < samples + samples / 10; i++) {
                long pos = (i % 64) * 4096L;
                buf.clear().put(0, (byte) i);
                long t = System.nanoTime();
                while (buf.hasRemaining()) {
                    pos += ch.write(buf, pos);
                }
                ch.force(false);
                if (i >= samples / 10) {
                    h.recordValue(System.nanoTime() - t);
                }
            }
        } finally {
            Files.deleteIfExists(file);
        }
        return h;
    }

    // ---- machine and output ----------------------------------------------------------------------

    private static void describeMachine(Path dir) throws IOException {
        Runtime rt = Runtime.getRuntime();
        FileStore fs = Files.getFileStore(dir);
        System.out.printf(Locale.ROOT, "== Keel broker raw protocol benchmark ==%ncpu          %s%nprocessors   %d%n"
                + "max heap     %d MiB%nos           %s %s %s%njava         %s (%s)%ndata dir     %s%n"
                + "file system  %s on %s, %d GiB total, %d GiB usable%n", cpuModel(), rt.availableProcessors(),
                rt.maxMemory() >> 20, System.getProperty("os.name"), System.getProperty("os.version"),
                System.getProperty("os.arch"), System.getProperty("java.version"), System.getProperty("java.vm.name"),
                dir, fs.type(), fs.name(), fs.getTotalSpace() >> 30, fs.getUsableSpace() >> 30);
        System.out.printf(Locale.ROOT, "transport    broker: %s (native epoll %s); clients: NIO, shared event loops%n"
                + "settings     %.1f s measured per phase after %.1f s warm-up, %d-byte messages, producers %s, %d "
                + "in flight per pipelined producer, consumer credit %d, segment %s, flushMode SYNC_FLUSH, broker "
                + "ioThreads default (= processors)%n",
                Epoll.isAvailable() ? "epoll" : "NIO", Epoll.isAvailable() ? "available" : "unavailable: "
                        + Epoll.unavailabilityCause(), SECONDS, WARMUP, MESSAGE_SIZE, PRODUCERS, INFLIGHT, CREDIT,
                SEGMENT_SIZE);
    }

    /** The CPU model from lscpu, or /proc/cpuinfo, or "unknown". */
    static String cpuModel() {
        try {
            Process p = new ProcessBuilder("lscpu").redirectErrorStream(true).start();
            String out;
            try (InputStream in = p.getInputStream()) {
                out = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
            p.waitFor(5, TimeUnit.SECONDS);
            for (String line : out.split("\n")) {
                if (line.startsWith("Model name:")) {
                    return line.substring("Model name:".length()).trim();
                }
            }
        } catch (IOException e) {
            // no lscpu: try /proc below
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (line.startsWith("model name")) {
                    return line.substring(line.indexOf(':') + 1).trim();
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux
        }
        return "unknown";
    }

    private static double us(double nanos) {
        return nanos / 1000.0;
    }

    private static String fmt(double v) {
        return String.format(Locale.ROOT, v < 100 ? "%.1f" : "%.0f", v);
    }

    private static void result(String name, double value, int decimals) {
        RESULTS.add(String.format(Locale.ROOT, "RESULT %s=%." + decimals + "f", name, value));
    }

    private static double dbl(String property, double dflt) {
        String v = System.getProperty(property);
        return v == null ? dflt : Double.parseDouble(v);
    }
}
