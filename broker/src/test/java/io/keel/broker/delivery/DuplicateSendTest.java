package io.keel.broker.delivery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.util.ArrayList;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.keel.broker.Broker;
import io.keel.broker.produce.ProducerWindow;
import io.keel.protocol.DestinationType;
import io.keel.protocol.client.ProtocolClient;
import io.keel.protocol.command.SendCommand;
import io.keel.protocol.command.SendResult;
import io.keel.protocol.frame.Frame;
import io.netty.buffer.Unpooled;

/**
 * Duplicate detection of idempotent producers: a resent (producer id, sequence) is answered as stored
 * and not stored again, across connections and restarts (snapshot and log replay).
 */
class DuplicateSendTest extends BrokerTestBase {

    private static final long PRODUCER = 0x5EED_0000_0001L;

    /** Sends "m{seq}" with the producer id and sequence; returns the queue offset the broker answered. */
    private static long send(ProtocolClient p, String queue, long seq, boolean idempotent) throws Exception {
        SendCommand s = new SendCommand();
        s.destinationType = DestinationType.QUEUE;
        s.destination = queue;
        s.queueId = 0;
        s.producerId = PRODUCER;
        s.sequence = seq;
        s.flags = SendCommand.FLAG_PERSISTENT | (idempotent ? SendCommand.FLAG_IDEMPOTENT : 0);
        s.priority(4);
        s.message = Unpooled.wrappedBuffer(JmsConsumerClient.text("m" + seq, 0, 4));
        Frame f = p.request(id -> s.frame(p.channel().alloc(), id)).get(10, TimeUnit.SECONDS);
        try {
            return SendResult.decode(f.body()).queueOffset();
        } finally {
            f.release();
        }
    }

    /** Every text the queue holds, in order, ending when a marker sent last arrives. */
    private List<String> drain(String queue) throws Exception {
        ProtocolClient p = connect();
        SendCommand end = new SendCommand();
        end.destinationType = DestinationType.QUEUE;
        end.destination = queue;
        end.queueId = 0;
        end.priority(4);
        end.message = Unpooled.wrappedBuffer(JmsConsumerClient.text("end", 0, 4));
        p.request(id -> end.frame(p.channel().alloc(), id)).get(10, TimeUnit.SECONDS).release();
        JmsConsumerClient c = new JmsConsumerClient(p, 1, queue, 1000);
        open.add(c);
        List<String> texts = new ArrayList<>();
        for (String t = c.next().text(); !t.equals("end"); t = c.next().text()) {
            texts.add(t);
        }
        return texts;
    }

    private void restart() throws Exception {
        closeConnections();
        broker.close();
        broker = Broker.start(config(dir));
    }

    @Test
    void aResentSequenceIsAnsweredButStoredOnce() throws Exception {
        ProtocolClient p = connect();
        assertEquals(0, send(p, "dq", 1, true));
        assertEquals(1, send(p, "dq", 2, true));
        assertEquals(2, send(p, "dq", 3, true));
        // The client lost its connection before the answers: it resends 2 and 3 on a new one.
        ProtocolClient q = connect();
        assertEquals(-1, send(q, "dq", 2, true), "a repeat is answered without a queue offset");
        assertEquals(-1, send(q, "dq", 3, true));
        assertEquals(3, send(q, "dq", 4, true));
        assertEquals(List.of("m1", "m2", "m3", "m4"), drain("dq"));
    }

    @Test
    void sendsWithoutTheFlagAreNeverDropped() throws Exception {
        ProtocolClient p = connect();
        send(p, "nq", 7, false);
        send(p, "nq", 7, false);
        send(p, "nq", 7, true);
        send(p, "nq", 7, true);
        assertEquals(List.of("m7", "m7", "m7"), drain("nq"));
    }

    @Test
    void theWindowSurvivesARestartThroughTheSnapshot() throws Exception {
        ProtocolClient p = connect();
        send(p, "rq", 1, true);
        send(p, "rq", 2, true);
        restart();
        assertTrue(Files.exists(dir.resolve("broker").resolve("delivery.snapshot")));
        ProtocolClient q = connect();
        assertEquals(-1, send(q, "rq", 2, true));
        send(q, "rq", 3, true);
        assertEquals(List.of("m1", "m2", "m3"), drain("rq"));
    }

    @Test
    void theWindowIsRebuiltFromTheLogWithoutASnapshot() throws Exception {
        ProtocolClient p = connect();
        send(p, "lq", 1, true);
        send(p, "lq", 2, true);
        closeConnections();
        broker.close();
        Files.delete(dir.resolve("broker").resolve("delivery.snapshot"));
        Files.deleteIfExists(dir.resolve("broker").resolve("delivery.snapshot.1"));
        broker = Broker.start(config(dir));
        ProtocolClient q = connect();
        assertEquals(-1, send(q, "lq", 1, true));
        assertEquals(-1, send(q, "lq", 2, true));
        send(q, "lq", 3, true);
        assertEquals(List.of("m1", "m2", "m3"), drain("lq"));
    }

    /**
     * A snapshot taken while an idempotent send is written but not yet forced covers its record (the
     * cut is the written offset), so it must also hold its sequence: replay starts above the record, and
     * a resend after a crash would otherwise be stored a second time (BrokerCrashTest saw it once: an
     * acknowledged message delivered again). The force is held by holding the dispatch watermark, which
     * completes appends; the crash is a copy of the data directory taken while the broker runs.
     */
    @Test
    void aSnapshotTakenWhileAnIdempotentSendAwaitsItsForceKeepsItsSequence(@TempDir Path crashImage) throws Exception {
        ProtocolClient p = connect();
        send(p, "sq", 1, true);
        long held = broker.store().writtenOffset();
        broker.store().setDispatchWatermarkHook(confirmed -> Math.min(confirmed, held));
        SendCommand s = new SendCommand();
        s.destinationType = DestinationType.QUEUE;
        s.destination = "sq";
        s.queueId = 0;
        s.producerId = PRODUCER;
        s.sequence = 2;
        s.flags = SendCommand.FLAG_PERSISTENT | SendCommand.FLAG_IDEMPOTENT;
        s.priority(4);
        s.message = Unpooled.wrappedBuffer(JmsConsumerClient.text("m2", 0, 4));
        CompletableFuture<Frame> second = p.request(id -> s.frame(p.channel().alloc(), id));
        awaitTrue(() -> broker.store().writtenOffset() > held, "the second send is written");
        Thread checkpoint = new Thread(() -> {
            try {
                broker.context().delivery().checkpoint();
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        checkpoint.start();
        // Either it waits for the held send (right) or it has already written the snapshot (the bug).
        awaitTrue(() -> checkpoint.getState() == Thread.State.TIMED_WAITING || !checkpoint.isAlive(),
                "the checkpoint waits or ended");
        assertFalse(second.isDone(), "the second send is not answered while its force is held");
        broker.store().setDispatchWatermarkHook(java.util.function.LongUnaryOperator.identity());
        checkpoint.join(30_000);
        second.get(10, TimeUnit.SECONDS).release();
        copyTree(dir, crashImage);
        closeConnections();
        broker.close();
        broker = Broker.start(config(crashImage));
        assertTrue(broker.store().recoveryReport().crashed(), "the copy is a crash image");
        ProtocolClient q = connect();
        assertEquals(-1, send(q, "sq", 2, true), "the resend after the crash is a repeat");
        assertEquals(List.of("m1", "m2"), drain("sq"));
    }

    private static void copyTree(Path from, Path to) throws java.io.IOException {
        try (java.util.stream.Stream<Path> files = Files.walk(from)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                Path target = to.resolve(from.relativize(f).toString());
                if (Files.isDirectory(f)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(f, target, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
    }

    @Test
    void idleProducersAreForgottenAfterTheWindowAndRefusedAppendsCanBeResent() throws Exception {
        ProducerWindow w = new ProducerWindow(1_000);
        ProducerWindow.Entry e = w.entry(9);
        synchronized (e) {
            assertTrue(ProducerWindow.admit(e, 5, 10_000));
            assertFalse(ProducerWindow.admit(e, 5, 10_000));
            ProducerWindow.undo(e, 5, 0);
            assertTrue(ProducerWindow.admit(e, 5, 10_000), "a refused append does not count as stored");
        }
        ProducerWindow.stored(e, 4, ProducerWindow.appending(e));
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        w.writeTo(new java.io.DataOutputStream(bytes));
        ProducerWindow restored = new ProducerWindow(1_000);
        restored.readFrom(new java.io.DataInputStream(new java.io.ByteArrayInputStream(bytes.toByteArray())));
        assertEquals(4, restored.entry(9).lastSequence(),
                "a snapshot promises only completed appends: 5 was admitted, not stored, and a crash may cut it");
        assertEquals(0, w.forgetIdle(10_500));
        assertEquals(1, w.forgetIdle(11_001));
        assertTrue(ProducerWindow.isForgotten(e));
        assertEquals(0, w.size());
        assertEquals(0, w.entry(9).lastSequence(), "a forgotten producer starts afresh");
    }
}
