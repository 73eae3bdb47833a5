package io.keel.store.bench;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.stream.Stream;

import org.HdrHistogram.Histogram;

import io.keel.store.FlushMode;
import io.keel.store.StoreConfig;

/**
 * The store against the raw disk under it, in one run and one directory: append throughput (payload
 * size x flush mode x appending threads), raw sequential writes and fsync latency, and many queues
 * read by consumers while they are written. Prints tables, then one {@code RESULT name=value} line per
 * figure. Not a test (surefire ignores it); docs/benchmarks.md has the command and the meaning of
 * each figure.
 *
 * <p>System properties: bench.seconds (measured per case, default 3), bench.warmup (default 1),
 * bench.quick (1 s per case, 0.5 s warm-up), bench.dir (parent of the data directories, default
 * java.io.tmpdir), bench.segmentSize (default 1 GiB), bench.inflight (appends in flight per thread,
 * default 64), bench.consumers (default 2), bench.fsyncs (default 500), bench.cases (default
 * raw,append,queues), bench.queueRounds (default 3), bench.zeroFill, bench.cqEntriesPerSegment and bench.writeMode
 * (default: the store's defaults).
 */
public final class StoreBenchmark {

    static final boolean QUICK = Boolean.getBoolean("bench.quick");
    static final double SECONDS = dbl("bench.seconds", QUICK ? 1 : 3);
    static final double WARMUP = dbl("bench.warmup", QUICK ? 0.5 : 1);
    static final int SEGMENT_SIZE = Integer.getInteger("bench.segmentSize", StoreConfig.DEFAULT_SEGMENT_SIZE);
    static final int INFLIGHT = Integer.getInteger("bench.inflight", 64);
    static final int CONSUMERS = Integer.getInteger("bench.consumers", 2);
    static final int FSYNCS = Integer.getInteger("bench.fsyncs", 500);
    static final String CASES = System.getProperty("bench.cases", "raw,append,queues");
    static final String ZERO_FILL = System.getProperty("bench.zeroFill");
    static final Integer CQ_ENTRIES = Integer.getInteger("bench.cqEntriesPerSegment");
    static final String WRITE_MODE = System.getProperty("bench.writeMode");
    static final Long CQ_FLUSH_MILLIS = Long.getLong("bench.cqFlushMillis");
    /** Data directories deleted with the base directory at the end of the run. */
    static final List<Path> LEFT_FOR_THE_END = new java.util.concurrent.CopyOnWriteArrayList<>();

    static final int[] SIZES = {100, 1024, 16 * 1024};
    static final String[] SIZE_NAMES = {"100b", "1k", "16k"};
    static final int[] THREADS = {1, 8, 64};
    /** The first count is the reference the others are compared with. */
    static final int[] QUEUE_COUNTS = java.util.Arrays.stream(System.getProperty("bench.queueCounts", "8,1000,10000")
            .split(",")).mapToInt(v -> Integer.parseInt(v.trim())).toArray();
    static final int QUEUE_ROUNDS = Integer.getInteger("bench.queueRounds", 3);
    static final String CONSUMER_MODE = System.getProperty("bench.consumerMode", "notified");

    private static final List<String> RESULTS = new ArrayList<>();

    private StoreBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        String parent = System.getProperty("bench.dir");
        Path base = parent == null ? Files.createTempDirectory("keel-store-bench-")
                : Files.createTempDirectory(Files.createDirectories(Paths.get(parent)), "keel-store-bench-");
        Thread cleanup = new Thread(() -> deleteQuietly(base), "bench-cleanup");
        Runtime.getRuntime().addShutdownHook(cleanup);
        long started = System.nanoTime();
        try {
            describeMachine(base);
            double[] raw = CASES.contains("raw") ? rawDisk(base) : new double[SIZES.length];
            if (CASES.contains("append")) {
                appendCases(base, raw);
            }
            if (CASES.contains("queues")) {
                queueCases(base);
            }
        } finally {
            deleteQuietly(base);
            Runtime.getRuntime().removeShutdownHook(cleanup);
            System.out.printf(Locale.ROOT, "%nRun time %.0f s. Figures:%n", (System.nanoTime() - started) / 1e9);
            RESULTS.forEach(System.out::println);
            System.out.flush();
        }
    }

    private static void describeMachine(Path dir) throws IOException {
        Runtime rt = Runtime.getRuntime();
        FileStore fs = Files.getFileStore(dir);
        System.out.printf(Locale.ROOT, "== Keel store benchmark ==%nprocessors   %d%nmax heap     %d MiB%n"
                + "os           %s %s %s%njava         %s (%s)%ndata dir     %s%n"
                + "file system  %s on %s, %d GiB total, %d GiB usable%n", rt.availableProcessors(),
                rt.maxMemory() >> 20, System.getProperty("os.name"), System.getProperty("os.version"),
                System.getProperty("os.arch"), System.getProperty("java.version"), System.getProperty("java.vm.name"),
                dir, fs.type(), fs.name(), fs.getTotalSpace() >> 30, fs.getUsableSpace() >> 30);
        System.out.printf(Locale.ROOT, "settings     %.1f s per case after >= %.1f s warm-up, segment %d MiB, %d "
                + "appends in flight per thread, %d consumers, zeroFill %s, consume queue segment %s entries, "
                + "write mode %s%n",
                SECONDS, WARMUP, SEGMENT_SIZE >> 20, INFLIGHT, CONSUMERS, ZERO_FILL == null ? "default" : ZERO_FILL,
                CQ_ENTRIES == null ? "default" : CQ_ENTRIES, WRITE_MODE == null ? "default" : WRITE_MODE);
    }

    // ---- raw disk --------------------------------------------------------------------------------

    /** Sequential FileChannel writes of each size into a preallocated file; returns MB/s per size. */
    private static double[] rawDisk(Path base) throws IOException {
        Path dir = Files.createTempDirectory(base, "raw-");
        Path file = dir.resolve("raw.dat");
        long t = System.nanoTime();
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.READ,
                StandardOpenOption.WRITE)) {
            ByteBuffer zeros = ByteBuffer.allocateDirect(1 << 20);
            for (long pos = 0; pos < SEGMENT_SIZE; pos += ch.write(zeros.clear(), pos)) {
                // zero-fill like a store segment, so the writes below allocate no blocks
            }
            ch.force(true);
            System.out.printf(Locale.ROOT, "%n== Raw disk, same directory: 1 thread, FileChannel.write into a "
                    + "%d MiB file zero-filled beforehand (%.0f ms), one force() at the end ==%n%-6s %12s %10s%n",
                    SEGMENT_SIZE >> 20, (System.nanoTime() - t) / 1e6, "size", "writes/s", "MB/s");
            double[] mbPerS = new double[SIZES.length];
            for (int i = 0; i < SIZES.length; i++) {
                ByteBuffer buf = ByteBuffer.allocateDirect(SIZES[i]).put(randomBytes(SIZES[i], i));
                writeFor(ch, buf, WARMUP);
                long[] done = writeFor(ch, buf, SECONDS);
                double perS = done[0] / (done[1] / 1e9);
                mbPerS[i] = perS * SIZES[i] / 1e6;
                System.out.printf(Locale.ROOT, "%-6s %12.0f %10.2f%n", SIZE_NAMES[i], perS, mbPerS[i]);
                result("raw.write." + SIZE_NAMES[i] + ".writes_per_s", perS, 0);
                result("raw.write." + SIZE_NAMES[i] + ".mb_per_s", mbPerS[i], 2);
            }
            fsyncLatency(ch);
            return mbPerS;
        } finally {
            deleteQuietly(dir);
        }
    }

    /** Writes {@code buf} sequentially (wrapping at the end of the file) for {@code seconds}, then forces. */
    private static long[] writeFor(FileChannel ch, ByteBuffer buf, double seconds) throws IOException {
        int size = buf.capacity();
        long start = System.nanoTime();
        long deadline = start + (long) (seconds * 1e9);
        long pos = 0;
        long writes = 0;
        do {
            for (int k = 0; k < 64; k++, writes++) {
                pos = pos + size > SEGMENT_SIZE ? 0 : pos;
                for (buf.clear(); buf.hasRemaining(); ) {
                    pos += ch.write(buf, pos);
                }
            }
        } while (System.nanoTime() < deadline);
        ch.force(false);
        return new long[] {writes, System.nanoTime() - start};
    }

    /** Prints the latency of "write 4 KiB, force(false)" at successive positions of the preallocated file. */
    private static void fsyncLatency(FileChannel ch) throws IOException {
        Histogram h = fsyncs(ch, Math.max(10, FSYNCS / 10), FSYNCS, SEGMENT_SIZE);
        System.out.printf(Locale.ROOT, "fsync: write 4 KiB + force(false), %d samples: p50 %d us, p99 %d us, "
                + "max %d us, mean %.0f us%n", h.getTotalCount(), h.getValueAtPercentile(50),
                h.getValueAtPercentile(99), h.getMaxValue(), h.getMean());
        result("raw.fsync4k.p50_us", h.getValueAtPercentile(50), 0);
        result("raw.fsync4k.p99_us", h.getValueAtPercentile(99), 0);
        result("raw.fsync4k.max_us", h.getMaxValue(), 0);
    }

    /** Latency (us) of "write 4 KiB, force(false)" at successive positions below {@code span}. */
    private static Histogram fsyncs(FileChannel ch, int warm, int samples, long span) throws IOException {
        ByteBuffer buf = ByteBuffer.allocateDirect(4096).put(randomBytes(4096, 99));
        Histogram h = new Histogram(60_000_000L, 3);
        for (int i = 0; i < warm + samples; i++) {
            long pos = (long) i * 4096 % (span - 4096);
            long t = System.nanoTime();
            for (buf.clear(); buf.hasRemaining(); ) {
                pos += ch.write(buf, pos);
            }
            ch.force(false);
            if (i >= warm) {
                h.recordValue(Math.min((System.nanoTime() - t) / 1000, h.getHighestTrackableValue()));
            }
        }
        return h;
    }

    /** The disk's fsync latency right now: p50 of 50 4 KiB write + force(false) in a small file (us). */
    private static long diskProbe(Path base) throws IOException {
        Path file = Files.createTempFile(base, "probe-", ".dat");
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
            return fsyncs(ch, 10, 50, 9 * 4096).getValueAtPercentile(50);
        } finally {
            Files.deleteIfExists(file);
        }
    }

    // ---- store -----------------------------------------------------------------------------------

    private static void appendCases(Path base, double[] raw) throws Exception {
        System.out.printf(Locale.ROOT, "%n== Store append, 1 queue, %d appends in flight per thread. MB = 10^6 "
                + "payload bytes; vs raw = store MB/s / raw MB/s of the same size; probe = p50 us of 4 KiB write + "
                + "fsync just before the case ==%n%-5s %-4s %7s %10s %9s %7s "
                + "%8s %10s %8s %8s %11s %6s %7s %7s %5s %5s%n", INFLIGHT, "flush", "size", "threads", "msgs/s",
                "MB/s", "vs raw", "fsyncs/s", "msgs/fsync", "fsync us", "pause ms", "disp lag MB", "errors", "open ms",
                "prep ms", "rolls", "probe");
        for (FlushMode mode : new FlushMode[] {FlushMode.ASYNC_FLUSH, FlushMode.SYNC_FLUSH}) {
            boolean sync = mode == FlushMode.SYNC_FLUSH;
            for (int s = 0; s < SIZES.length; s++) {
                for (int threads : THREADS) {
                    long probe = diskProbe(base);
                    BenchCase.Result r = new BenchCase(base, mode, SIZES[s], threads, 1, 0).run();
                    double mb = r.appendedPerSecond() * SIZES[s] / 1e6;
                    double vsRaw = raw[s] > 0 ? mb / raw[s] : 0;
                    String perFsync = sync ? String.format(Locale.ROOT, "%.1f", r.msgsPerFsync()) : "-";
                    System.out.printf(Locale.ROOT, "%-5s %-4s %7d %10.0f %9.2f %7.3f %8.0f %10s %8.0f %8d %11.1f "
                            + "%6d %7d %7d %5d %5d%n", sync ? "sync" : "async", SIZE_NAMES[s], threads,
                            r.appendedPerSecond(), mb, vsRaw, r.fsyncsPerSecond(), perFsync, r.fsyncMicros(),
                            r.longestPauseMillis(), r.dispatchLagBytes() / 1e6, r.errors(), r.openMillis(),
                            r.prepareMillis(), r.rolls(), probe);
                    warnings(r);
                    String name = "store.append." + (sync ? "sync." : "async.") + SIZE_NAMES[s] + "." + threads
                            + "threads.";
                    result(name + "msgs_per_s", r.appendedPerSecond(), 0);
                    result(name + "mb_per_s", mb, 2);
                    result(name + "ratio_vs_raw", vsRaw, 3);
                    result(name + "disk_probe_p50_us", probe, 0);
                    if (sync) {
                        result(name + "msgs_per_fsync", r.msgsPerFsync(), 1);
                        result(name + "fsync_avg_us", r.fsyncMicros(), 0);
                    }
                    if (r.errors() > 0) {
                        result(name + "errors", r.errors(), 0);
                    }
                }
            }
        }
    }

    /**
     * The queue counts run in {@code bench.queueRounds} interleaved rounds (8, 1,000, 10,000, then again):
     * on a small shared machine one case can be off by a factor of two, so each round's ratio is taken
     * against the 8-queue figure of the same round and the median ratio is reported, with the extremes.
     */
    private static void queueCases(Path base) throws Exception {
        System.out.printf(Locale.ROOT, "%n== Many queues: 1 KiB SYNC_FLUSH, 8 appending threads round-robin over "
                + "the queues, %d consumer threads reading every queue (%s), %d interleaved rounds ==%n%-5s %-6s %11s %11s "
                + "%8s %7s %10s %8s %11s %10s %10s %6s %5s%n", CONSUMERS, CONSUMER_MODE, QUEUE_ROUNDS, "round", "queues",
                "appended/s", "consumed/s", "MB/s", "vs 8 q", "msgs/fsync", "pause ms", "disp lag MB", "unconsumed",
                "create ms", "errors", "probe");
        double[][] appended = new double[QUEUE_ROUNDS][QUEUE_COUNTS.length];
        double[][] consumed = new double[QUEUE_ROUNDS][QUEUE_COUNTS.length];
        long[] errors = new long[QUEUE_COUNTS.length];
        long[][] createMillis = new long[QUEUE_ROUNDS][QUEUE_COUNTS.length];
        for (int round = 0; round < QUEUE_ROUNDS; round++) {
            for (int i = 0; i < QUEUE_COUNTS.length; i++) {
                int n = QUEUE_COUNTS[i];
                long probe = diskProbe(base);
                BenchCase.Result r = new BenchCase(base, FlushMode.SYNC_FLUSH, 1024, 8, n, CONSUMERS).run();
                double[] a = appended[round];
                a[i] = r.appendedPerSecond();
                consumed[round][i] = r.consumedPerSecond();
                createMillis[round][i] = r.createMillis();
                errors[i] += r.errors();
                System.out.printf(Locale.ROOT, "%-5d %-6d %11.0f %11.0f %8.2f %7.3f %10.1f %8d %11.1f %10d %10d %6d %5d%n",
                        round + 1, n, a[i], consumed[round][i], a[i] * 1024 / 1e6, a[0] > 0 ? a[i] / a[0] : 0,
                        r.msgsPerFsync(), r.longestPauseMillis(), r.dispatchLagBytes() / 1e6, r.unconsumed(),
                        r.createMillis(), r.errors(), probe);
                warnings(r);
            }
        }
        for (int i = 0; i < QUEUE_COUNTS.length; i++) {
            int n = QUEUE_COUNTS[i];
            int col = i;
            result("store.queues." + n + ".msgs_per_s", median(appended, r -> r[col]), 0);
            result("store.queues." + n + ".consumed_msgs_per_s", median(consumed, r -> r[col]), 0);
            result("store.queues." + n + ".create_ms", median(createMillis, col), 0);
            if (errors[i] > 0) {
                result("store.queues." + n + ".errors", errors[i], 0);
            }
        }
        double goalRatio = 0;
        for (int i = 1; i < QUEUE_COUNTS.length; i++) {
            int col = i;
            String tag = "ratio_" + QUEUE_COUNTS[i] + "_vs_8";
            double[] ratios = new double[QUEUE_ROUNDS];
            for (int round = 0; round < QUEUE_ROUNDS; round++) {
                ratios[round] = appended[round][0] > 0 ? appended[round][i] / appended[round][0] : 0;
            }
            double med = medianOf(ratios);
            result("store.queues." + tag, med, 3);
            result("store.queues." + tag + ".min", java.util.Arrays.stream(ratios).min().orElse(0), 3);
            result("store.queues." + tag + ".max", java.util.Arrays.stream(ratios).max().orElse(0), 3);
            result("store.queues.consumed_" + tag, median(consumed, r -> r[0] > 0 ? r[col] / r[0] : 0), 3);
            goalRatio = med;
        }
        System.out.printf(Locale.ROOT, "appended msgs/s, %d queues vs 8 (median of %d rounds): %.3f (goal >= 0.90: %s)%n",
                QUEUE_COUNTS[QUEUE_COUNTS.length - 1], QUEUE_ROUNDS, goalRatio, goalRatio >= 0.90 ? "met" : "MISSED");
    }

    private static double median(double[][] rows, java.util.function.ToDoubleFunction<double[]> f) {
        double[] v = new double[rows.length];
        for (int i = 0; i < rows.length; i++) {
            v[i] = f.applyAsDouble(rows[i]);
        }
        return medianOf(v);
    }

    private static double median(long[][] rows, int col) {
        double[] v = new double[rows.length];
        for (int i = 0; i < rows.length; i++) {
            v[i] = rows[i][col];
        }
        return medianOf(v);
    }

    private static double medianOf(double[] values) {
        double[] v = values.clone();
        java.util.Arrays.sort(v);
        int m = v.length / 2;
        return v.length % 2 == 1 ? v[m] : (v[m - 1] + v[m]) / 2;
    }

    private static void warnings(BenchCase.Result r) {
        if (r.firstError() != null) {
            System.out.println("   ! " + r.errors() + " errors, first: " + r.firstError());
        }
        if (r.stall() != null) {
            System.out.println("   ! " + r.stall());
        }
    }

    // ---- helpers ---------------------------------------------------------------------------------

    static void result(String name, double value, int decimals) {
        RESULTS.add("RESULT " + name + "=" + String.format(Locale.ROOT, "%." + decimals + "f", value));
    }

    static byte[] randomBytes(int n, long seed) {
        byte[] b = new byte[n];
        SplittableRandom r = new SplittableRandom(seed);
        for (int i = 0; i < n; i++) {
            b[i] = (byte) r.nextInt(256);
        }
        return b;
    }

    static void deleteQuietly(Path root) {
        try (Stream<Path> s = Files.exists(root) ? Files.walk(root) : Stream.empty()) {
            for (Path p : (Iterable<Path>) s.sorted(Comparator.reverseOrder())::iterator) {
                Files.deleteIfExists(p);
            }
        } catch (IOException | RuntimeException e) {
            System.out.println("   ! cannot delete " + root + ": " + e);
        }
    }

    private static double dbl(String property, double fallback) {
        String v = System.getProperty(property);
        return v == null ? fallback : Double.parseDouble(v);
    }
}
