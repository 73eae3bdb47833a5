package io.keel.broker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.keel.protocol.client.ProtocolClient;
import io.keel.store.MessageStore;
import io.keel.store.StoreConfig;

/**
 * Starts the broker the way the README tells a new user to ({@code bin/keel broker}), in a child
 * process, uses it over the wire and with {@code keel admin}, then stops it with SIGTERM and checks
 * that it shut down cleanly.
 */
class BrokerProcessIT {

    @TempDir
    Path dataDir;

    private static final Path ROOT = Path.of("").toAbsolutePath().getParent();

    private static boolean free(int port) {
        try (ServerSocket s = new ServerSocket(port, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static ProcessBuilder keel(String... args) {
        List<String> cmd = new ArrayList<>(List.of("bash", ROOT.resolve("bin/keel").toString()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(ROOT.toFile());
        pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
        return pb;
    }

    @Test
    void theReadmeCommandStartsABrokerThatStopsCleanlyOnSigterm() throws Exception {
        List<String> args = new ArrayList<>(List.of("broker", "--data-dir", dataDir.toString(), "--set",
                "segmentSize=16m"));
        int brokerPort = 10911;
        if (!free(10911) || !free(9876)) {
            // The README's ports are taken on this machine; use free ones rather than fail.
            brokerPort = freePort();
            args.addAll(List.of("--set", "brokerPort=" + brokerPort, "--set", "nameServerPort=" + freePort()));
        }
        Process broker = keel(args.toArray(new String[0])).redirectErrorStream(true).start();
        try {
            CompletableFuture<String> started = new CompletableFuture<>();
            List<String> output = new java.util.concurrent.CopyOnWriteArrayList<>();
            Thread reader = new Thread(() -> {
                try (BufferedReader r = new BufferedReader(new InputStreamReader(broker.getInputStream(),
                        StandardCharsets.UTF_8))) {
                    String line;
                    while ((line = r.readLine()) != null) {
                        output.add(line);
                        if (line.contains("listening on")) {
                            started.complete(line);
                        }
                    }
                } catch (IOException e) {
                    started.completeExceptionally(e);
                }
                started.completeExceptionally(new AssertionError("the broker exited: " + output));
            });
            reader.setDaemon(true);
            reader.start();
            String line = started.get(180, TimeUnit.SECONDS);
            assertTrue(line.contains("127.0.0.1:" + brokerPort) && line.contains(dataDir.toString()), line);

            try (ProtocolClient c = ProtocolClient.connect("127.0.0.1", brokerPort, ProtocolClient.Options.defaults())) {
                assertEquals(0, TestBrokers.send(c, "readme-queue", "hello", true).queueOffset());
            }
            Process list = keel("admin", "list", "--broker", "127.0.0.1:" + brokerPort).redirectErrorStream(true).start();
            String listing = new String(list.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(list.waitFor(60, TimeUnit.SECONDS));
            assertEquals(0, list.exitValue(), listing);
            assertTrue(listing.contains("readme-queue"), listing);

            broker.destroy(); // SIGTERM
            assertTrue(broker.waitFor(60, TimeUnit.SECONDS), "the broker did not stop on SIGTERM");
            assertEquals(143, broker.exitValue(), "exit status after SIGTERM: " + output);
        } finally {
            broker.destroyForcibly();
        }
        Path store = dataDir.resolve("store");
        assertFalse(Files.exists(store.resolve("abort")), "a graceful shutdown removes the abort marker");
        try (MessageStore s = MessageStore.open(new StoreConfig(store).segmentSize(16 << 20).maxRecordSize(4 << 20))) {
            assertFalse(s.recoveryReport().scanned(), "no crash scan after a graceful shutdown");
        }
    }

    @Test
    void aSecondBrokerOnTheSameDataDirectoryIsRefusedClearly() throws Exception {
        int port = freePort();
        try (Broker first = Broker.start(TestBrokers.config(dataDir).set("embeddedNameServer", "false"))) {
            Process second = keel("broker", "--data-dir", dataDir.toString(), "--set", "brokerPort=" + port, "--set",
                    "embeddedNameServer=false").redirectErrorStream(true).start();
            String out = new String(second.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(second.waitFor(120, TimeUnit.SECONDS));
            assertEquals(2, second.exitValue(), out);
            assertTrue(out.contains("already in use") && out.contains(dataDir.toString()), out);
        }
    }

    @Test
    void aTakenPortIsRefusedClearly() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
            Process p = keel("broker", "--data-dir", dataDir.toString(), "--set", "brokerPort=" + taken.getLocalPort(),
                    "--set", "embeddedNameServer=false").redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(p.waitFor(120, TimeUnit.SECONDS));
            assertEquals(2, p.exitValue(), out);
            assertTrue(out.contains("broker port " + taken.getLocalPort()) && out.contains("already in use"), out);
        }
    }

    @Test
    void theNameServerRunsOnItsOwnAndStopsOnSigterm() throws Exception {
        int port = freePort();
        Process ns = keel("namesrv", "--port", Integer.toString(port)).redirectErrorStream(true).start();
        try {
            BufferedReader r = new BufferedReader(new InputStreamReader(ns.getInputStream(), StandardCharsets.UTF_8));
            String line = r.readLine();
            assertTrue(line != null && line.contains("name server listening on 127.0.0.1:" + port), line);
            try (Broker b = Broker.start(TestBrokers.config(dataDir).set("embeddedNameServer", "false")
                    .set("nameServers", "127.0.0.1:" + port));
                    ProtocolClient c = ProtocolClient.connect("127.0.0.1", port, ProtocolClient.Options.defaults())) {
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
                int brokers = 0;
                while (brokers == 0 && System.nanoTime() < deadline) {
                    io.keel.protocol.frame.Frame f = c.request(id -> io.keel.protocol.command.RouteData.queryFrame(
                            c.channel().alloc(), id, io.keel.protocol.DestinationType.QUEUE, "q")).get(10, TimeUnit.SECONDS);
                    brokers = io.keel.protocol.command.RouteData.decode(f.body()).brokers().size();
                    f.release();
                }
                assertEquals(1, brokers, "the broker registered with the standalone name server");
            }
            ns.destroy();
            assertTrue(ns.waitFor(60, TimeUnit.SECONDS));
            assertEquals(143, ns.exitValue());
        } finally {
            ns.destroyForcibly();
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
            return s.getLocalPort();
        }
    }
}
