package io.keel.broker.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;

import io.keel.broker.Broker;
import io.keel.broker.config.BrokerConfig;
import io.keel.protocol.DestinationType;
import io.keel.protocol.client.ProtocolClient;
import io.keel.protocol.command.SendCommand;
import io.keel.protocol.frame.Frame;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

/**
 * One in-process broker of the protocol benchmark, in a fresh data directory of its own that
 * {@link #close()} deletes: ephemeral client port, no name server (the benchmark talks to the broker
 * directly), SYNC_FLUSH group commit, and the benchmark's segment size.
 */
final class BenchBroker implements AutoCloseable {

    /** The queue every producer of a case sends to, and the end-to-end consumer drains. */
    static final String QUEUE = "bench";

    final Broker broker;
    final Path dir;
    final long startMillis;

    private BenchBroker(Broker broker, Path dir, long startMillis) {
        this.broker = broker;
        this.dir = dir;
        this.startMillis = startMillis;
    }

    /** System properties {@code bench.broker.<key>} set broker configuration keys (experiments; never in a recorded default run). */
    static final String BROKER_KEY_PREFIX = "bench.broker.";

    static BrokerConfig config(Path dir) {
        return withOverrides(BrokerConfig.defaults().set("dataDir", dir.toString()).set("brokerPort", "0")
                .set("nameServerPort", "0").set("embeddedNameServer", "false").set("flushMode", "SYNC_FLUSH")
                .set("segmentSize", ProtocolBenchmark.SEGMENT_SIZE));
    }

    /** Applies the {@code bench.broker.<key>} system properties to {@code c}. */
    static BrokerConfig withOverrides(BrokerConfig c) {
        for (String name : System.getProperties().stringPropertyNames()) {
            if (name.startsWith(BROKER_KEY_PREFIX)) {
                c.set(name.substring(BROKER_KEY_PREFIX.length()), System.getProperty(name));
            }
        }
        return c.validate();
    }

    static BenchBroker start(Path base, String label) throws IOException {
        Path dir = Files.createTempDirectory(base, label + "-");
        long t = System.nanoTime();
        try {
            Broker.serviceDefaults(); // as `keel broker` does
            Broker b = Broker.start(config(dir));
            return new BenchBroker(b, dir, (System.nanoTime() - t) / 1_000_000);
        } catch (RuntimeException e) {
            deleteQuietly(dir);
            throw e;
        }
    }

    ProtocolClient connect() {
        return ProtocolClient.connect("127.0.0.1", broker.brokerPort(), ProtocolClient.Options.defaults());
    }

    @Override
    public void close() {
        try {
            broker.close();
        } finally {
            retire(dir);
        }
    }

    /** Case directories whose deletion waits for the end of the JVM (see {@link #retire}). */
    private static final java.util.List<Path> AT_EXIT = new java.util.concurrent.CopyOnWriteArrayList<>();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> AT_EXIT.forEach(BenchBroker::deleteQuietly),
                "bench-delete-case-directories"));
    }

    /**
     * Retires a finished case's directory: its dirty pages are written out now ({@code sync}), and the
     * directory is deleted when the JVM ends. Cases run back to back on one file system, and either way
     * of dropping the data at once reached into the next case's measured interval: deleted right away,
     * case 3's 10,000 ConsumeQueue files made ext4 scan its inode tables for every file the next broker
     * created (it avoids reusing recently deleted inodes; about 1.5 s of CPU in the next case, perf:
     * {@code recently_deleted} under {@code ext4_create}); kept without a sync, the kernel wrote their
     * pages back during the next case, beside its forces.
     */
    static void retire(Path dir) {
        AT_EXIT.add(dir);
        try {
            Process sync = new ProcessBuilder("sync").inheritIO().start();
            if (!sync.waitFor(120, java.util.concurrent.TimeUnit.SECONDS)) {
                sync.destroy();
                System.err.println("bench: sync did not finish within 120 s");
            }
        } catch (IOException e) {
            System.err.println("bench: cannot run sync: " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static void deleteQuietly(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> s = Files.walk(dir)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    System.err.println("bench: cannot delete " + p + ": " + e);
                }
            });
        } catch (IOException e) {
            System.err.println("bench: cannot delete " + dir + ": " + e);
        }
    }

    /**
     * One producer: its own connection and a reusable SEND of a fixed-size message whose first 8
     * bytes are overwritten with {@link System#nanoTime()} at each send (the end-to-end consumer
     * measures against it). Used by one thread at a time.
     */
    static final class Producer implements AutoCloseable {
        final ProtocolClient client;
        private final SendCommand command = new SendCommand();
        private final ByteBuf message;

        Producer(ProtocolClient client, int producerId, boolean persistent, int size) {
            this.client = client;
            byte[] bytes = new byte[size];
            new SplittableRandom(producerId).nextBytes(bytes);
            this.message = Unpooled.wrappedBuffer(bytes);
            command.destinationType = DestinationType.QUEUE;
            command.destination = QUEUE;
            command.producerId = producerId;
            command.flags = persistent ? SendCommand.FLAG_PERSISTENT : 0;
            command.message = message;
        }

        /** Sends the next message; the answer frame is the caller's to release. */
        CompletableFuture<Frame> send() {
            command.sequence++;
            message.setLong(0, System.nanoTime());
            return client.request(id -> command.frame(client.channel().alloc(), id));
        }

        @Override
        public void close() {
            client.close();
        }
    }
}
