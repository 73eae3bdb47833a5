package io.keel.broker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.keel.protocol.DestinationType;
import io.keel.protocol.client.ProtocolClient;
import io.keel.protocol.command.Ack;
import io.keel.protocol.command.CommandCode;
import io.keel.protocol.command.CreateConsumer;
import io.keel.protocol.command.Credit;
import io.keel.protocol.command.Deliver;
import io.keel.protocol.command.SendCommand;
import io.netty.buffer.Unpooled;

/**
 * Kills a broker running in a child JVM (kill -9) at random moments while a producer sends
 * persistent messages and a consumer acknowledges what it gets, restarts it, and checks the oracle:
 * no message whose acknowledgement the broker confirmed is ever delivered again, and every message
 * whose send the broker confirmed is delivered in the end. 20 rounds; {@code -Dkeel.brokercrash.rounds}
 * runs more, {@code -Dkeel.brokercrash.seed} replays one.
 */
class BrokerCrashTest {

    @TempDir
    Path dir;

    private final Set<String> sent = ConcurrentHashMap.newKeySet();
    private final Set<String> delivered = ConcurrentHashMap.newKeySet();
    private final Set<String> acknowledged = ConcurrentHashMap.newKeySet();
    private final Set<String> violations = ConcurrentHashMap.newKeySet();

    @Test
    void acknowledgedSendsAreNeverLostAndAcknowledgedMessagesNeverComeBack() throws Exception {
        int rounds = Integer.getInteger("keel.brokercrash.rounds", 20);
        long seed = Long.getLong("keel.brokercrash.seed", System.nanoTime());
        Random random = new Random(seed);
        for (int round = 1; round <= rounds; round++) {
            Process broker = startBroker();
            try {
                int port = port(broker);
                AtomicBoolean running = new AtomicBoolean(true);
                int r = round;
                Thread producer = new Thread(() -> produce(port, r, running));
                producer.start();
                Thread consumer = new Thread(() -> consume(port, running));
                consumer.start();
                // The kill moment is the random variable of this test, not a synchronisation.
                Thread.sleep(200 + random.nextInt(600));
                broker.destroyForcibly();
                broker.waitFor(30, TimeUnit.SECONDS);
                running.set(false);
                producer.join(30_000);
                consumer.join(30_000);
            } finally {
                broker.destroyForcibly();
            }
            assertTrue(violations.isEmpty(), "seed " + seed + ", round " + round + ": " + violations);
        }
        // Drain: everything confirmed as sent must arrive.
        Process broker = startBroker();
        try {
            int port = port(broker);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            AtomicBoolean running = new AtomicBoolean(true);
            Thread consumer = new Thread(() -> consume(port, running));
            consumer.start();
            while (!delivered.containsAll(sent) && System.nanoTime() < deadline) {
                Thread.sleep(50); // polling the oracle's condition, with a deadline
            }
            running.set(false);
            consumer.join(30_000);
        } finally {
            broker.destroyForcibly();
        }
        Set<String> missing = ConcurrentHashMap.newKeySet();
        missing.addAll(sent);
        missing.removeAll(delivered);
        assertEquals(Set.of(), missing, "seed " + seed + ": confirmed sends never delivered");
        assertTrue(violations.isEmpty(), "seed " + seed + ": " + violations);
        System.out.println("broker crash test (seed " + seed + "): " + rounds + " kills, " + sent.size()
                + " confirmed sends, " + acknowledged.size() + " confirmed acks, " + delivered.size() + " delivered");
        assertTrue(sent.size() > rounds && acknowledged.size() > rounds,
                "the rounds did real work: " + sent.size() + " sent, " + acknowledged.size() + " acknowledged");
    }

    private Process startBroker() throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String cp = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        ProcessBuilder pb = new ProcessBuilder(java, "-Xmx256m", "-cp", cp,
                "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn", BrokerChild.class.getName(), dir.resolve("data").toString());
        pb.redirectError(ProcessBuilder.Redirect.appendTo(new File(dir.toFile(), "broker-child.err")));
        return pb.start();
    }

    private static int port(Process broker) throws Exception {
        BufferedReader r = new BufferedReader(new InputStreamReader(broker.getInputStream(), StandardCharsets.UTF_8));
        String line = r.readLine();
        if (line == null || !line.startsWith("PORT ")) {
            throw new AssertionError("the broker did not start: " + line);
        }
        return Integer.parseInt(line.substring(5).trim());
    }

    private void produce(int port, int round, AtomicBoolean running) {
        try (ProtocolClient c = ProtocolClient.connect("127.0.0.1", port, ProtocolClient.Options.defaults()
                .withRequestTimeoutMillis(10_000))) {
            SendCommand s = new SendCommand();
            s.destinationType = DestinationType.QUEUE;
            s.destination = "crash";
            s.producerId = round;
            s.flags = SendCommand.FLAG_PERSISTENT;
            for (int seq = 0; running.get(); seq++) {
                String id = round + "-" + seq;
                s.message = Unpooled.wrappedBuffer(id.getBytes(StandardCharsets.UTF_8));
                c.request(i -> s.frame(c.channel().alloc(), i)).get(10, TimeUnit.SECONDS).release();
                sent.add(id); // confirmed durable by the broker
            }
        } catch (Exception brokerKilled) {
            // The broker died; sends not confirmed are not in the oracle.
        }
    }

    private void consume(int port, AtomicBoolean running) {
        try (ProtocolClient c = ProtocolClient.connect("127.0.0.1", port, ProtocolClient.Options.defaults()
                .withRequestTimeoutMillis(10_000))) {
            java.util.concurrent.BlockingQueue<Object[]> got = new java.util.concurrent.LinkedBlockingQueue<>();
            c.onPush(f -> {
                try {
                    if (f.command() == CommandCode.DELIVER) {
                        Deliver d = new Deliver().decode(f.body());
                        got.add(new Object[] {d.queueId, d.queueOffset, d.message.toString(StandardCharsets.UTF_8)});
                    }
                } finally {
                    f.release();
                }
            });
            CreateConsumer cc = new CreateConsumer(1, DestinationType.QUEUE, "crash", CreateConsumer.KIND_QUEUE, null, null,
                    false, 50, Long.MAX_VALUE);
            c.request(i -> cc.frame(c.channel().alloc(), i)).get(10, TimeUnit.SECONDS).release();
            Ack ack = new Ack();
            while (running.get() && c.isOpen()) {
                Object[] d = got.poll(50, TimeUnit.MILLISECONDS);
                if (d == null) {
                    continue;
                }
                String id = (String) d[2];
                if (acknowledged.contains(id)) {
                    violations.add("acknowledged message " + id + " was delivered again");
                }
                delivered.add(id);
                ack.clear(1).add((Integer) d[0], (Long) d[1]);
                c.request(i -> ack.frame(c.channel().alloc(), i)).get(10, TimeUnit.SECONDS).release();
                acknowledged.add(id); // the broker confirmed the ack durable
                c.send(new Credit(1, 1, Long.MAX_VALUE).frame(c.channel().alloc()));
            }
        } catch (Exception brokerKilled) {
            // The broker died mid-way; what was confirmed stands.
        }
    }
}
