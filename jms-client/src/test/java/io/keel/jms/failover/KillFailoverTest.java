package io.keel.jms.failover;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.keel.jms.KeelConnectionFactory;
import jakarta.jms.Connection;
import jakarta.jms.JMSException;
import jakarta.jms.MessageProducer;
import jakarta.jms.Queue;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;

/**
 * Failover across real crashes: the broker runs in a child JVM that is killed (SIGKILL) three times
 * while a JMS producer sends persistent messages synchronously and a listener consumes them, each
 * time restarted on the same data directory. Every send returns normally (resent after the restart
 * if unconfirmed; stored once), every message arrives, and a message seen twice is marked redelivered.
 */
class KillFailoverTest {

    @TempDir
    Path dir;

    @Test
    void sendsAndListenersSurviveBrokerKills() throws Exception {
        Path data = dir.resolve("data");
        Path errors = dir.resolve("child.err");
        ChildBroker.Running broker = ChildBroker.start(data, errors);
        TcpProxy proxy = new TcpProxy(broker.port());
        KeelConnectionFactory cf = new KeelConnectionFactory("keel://127.0.0.1:" + proxy.port()
                + "?reconnectDelay=50&maxReconnectDelay=500");
        Connection pc = cf.createConnection();
        Connection cc = cf.createConnection();
        try {
            Session ps = pc.createSession(false, Session.AUTO_ACKNOWLEDGE);
            Queue q = ps.createQueue("kill.failover");
            MessageProducer p = ps.createProducer(q);
            Set<String> received = Collections.synchronizedSet(new HashSet<>());
            List<String> unflaggedRepeats = Collections.synchronizedList(new ArrayList<>());
            cc.createSession(false, Session.AUTO_ACKNOWLEDGE).createConsumer(q).setMessageListener(m -> {
                try {
                    String t = ((TextMessage) m).getText();
                    if (!received.add(t) && !m.getJMSRedelivered()) {
                        unflaggedRepeats.add(t);
                    }
                } catch (JMSException e) {
                    throw new IllegalStateException(e);
                }
            });
            cc.start();
            int total = 1200;
            AtomicInteger confirmed = new AtomicInteger();
            AtomicReference<Exception> failure = new AtomicReference<>();
            Thread producer = new Thread(() -> {
                try {
                    for (int i = 0; i < total; i++) {
                        p.send(ps.createTextMessage("m" + i));
                        confirmed.incrementAndGet();
                    }
                } catch (Exception e) {
                    failure.set(e);
                }
            });
            producer.start();
            for (int kill = 1; kill <= 3; kill++) {
                int at = kill * total / 4;
                awaitTrue(() -> confirmed.get() >= at || failure.get() != null, "the producer reached " + at);
                broker.process().destroyForcibly();
                assertTrue(broker.process().waitFor(30, TimeUnit.SECONDS));
                broker = ChildBroker.start(data, errors);
                proxy.target(broker.port());
                proxy.cut(); // connections half-open through the relay go too
            }
            producer.join(120_000);
            assertNull(failure.get(), "no send failed across three kills");
            assertEquals(total, confirmed.get());
            awaitTrue(() -> received.size() == total, "every message arrived (" + received.size() + " of " + total + ")");
            assertEquals(List.of(), unflaggedRepeats, "a message seen twice is marked redelivered");
            List<String> logged = Files.readAllLines(errors).stream().filter(l -> l.contains(" ERROR ")).toList();
            assertEquals(List.of(), logged, "the broker logged no errors");
        } finally {
            pc.close();
            cc.close();
            proxy.close();
            broker.process().destroyForcibly();
        }
    }

    private static void awaitTrue(java.util.function.BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting until " + what);
            }
            Thread.sleep(10); // polling interval of the condition, not a synchronisation
        }
    }
}
