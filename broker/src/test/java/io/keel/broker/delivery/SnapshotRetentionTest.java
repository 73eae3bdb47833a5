package io.keel.broker.delivery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import io.keel.broker.Broker;
import io.keel.broker.delivery.JmsConsumerClient.Delivery;
import io.keel.protocol.DestinationType;
import io.keel.protocol.client.ProtocolClient;
import io.keel.protocol.command.CreateConsumer;
import io.keel.protocol.command.SendCommand;
import io.netty.buffer.Unpooled;

/**
 * Delivery snapshots and retention: a restart restores the state from the snapshot and replays only
 * the log after it; retention deletes CommitLog segments only below every consumer, timer and
 * snapshot; a damaged snapshot falls back to the previous one.
 */
class SnapshotRetentionTest extends BrokerTestBase {

    private static final String PAD = "x".repeat(64 * 1024);

    private JmsConsumerClient consumer(long id, String queue, int credit) throws Exception {
        JmsConsumerClient c = new JmsConsumerClient(connect(), id, queue, credit);
        open.add(c);
        return c;
    }

    private void send(DestinationType type, String destination, long deliveryTime, String... texts) throws Exception {
        ProtocolClient p = connect();
        SendCommand s = new SendCommand();
        s.destinationType = type;
        s.destination = destination;
        s.queueId = 0;
        s.flags = SendCommand.FLAG_PERSISTENT;
        s.priority(4);
        s.deliveryTime = deliveryTime;
        for (String t : texts) {
            s.message = Unpooled.wrappedBuffer(JmsConsumerClient.text(t, 0, 4));
            p.request(id -> s.frame(p.channel().alloc(), id)).get(10, TimeUnit.SECONDS).release();
        }
    }

    private void send(String queue, String... texts) throws Exception {
        send(DestinationType.QUEUE, queue, 0, texts);
    }

    /** n messages of about 64 KiB: 64 of them fill a 4 MiB test segment. */
    private static String[] big(String prefix, int n) {
        String[] t = new String[n];
        for (int i = 0; i < n; i++) {
            t[i] = prefix + i + ":" + PAD;
        }
        return t;
    }

    private static String name(Delivery d) {
        int colon = d.text().indexOf(':');
        return colon < 0 ? d.text() : d.text().substring(0, colon);
    }

    private void restart() throws Exception {
        closeConnections();
        broker.close();
        broker = Broker.start(config(dir));
    }

    private void consumeAll(String queue, long consumerId, int n) throws Exception {
        JmsConsumerClient c = consumer(consumerId, queue, 50);
        for (int i = 0; i < n; i++) {
            c.ack(c.next());
            c.credit(1);
        }
    }

    @Test
    void aRestartRestoresTheSnapshotAndReplaysOnlyTheLogAfterIt() throws Exception {
        send("snap", "s0", "s1", "s2", "s3", "s4");
        JmsConsumerClient a = consumer(1, "snap", 10);
        List<Delivery> got = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            got.add(a.next());
        }
        a.ack(got.get(0), got.get(1));
        a.release(got.get(2));
        Delivery again = a.next();
        assertEquals(List.of("s2", 2), List.of(again.text(), again.count()));
        broker.context().delivery().checkpoint();
        assertTrue(Files.exists(dir.resolve("broker").resolve(DeliverySnapshot.FILE)));
        a.ack(got.get(3)); // after the snapshot: only in the log
        restart();
        JmsConsumerClient b = consumer(2, "snap", 10);
        Delivery first = b.next();
        Delivery second = b.next();
        assertEquals(List.of("s2", "s4"), List.of(first.text(), second.text()));
        assertEquals(List.of(3, 2), List.of(first.count(), second.count()),
                "s2 was delivered twice before the restart, s4 once");
    }

    @Test
    void retentionDeletesSegmentsOnlyBelowEverySubscription() throws Exception {
        send("slow", "keep-me");
        new JmsConsumerClient(connect(), 9, DestinationType.TOPIC, "news", CreateConsumer.KIND_SHARED_DURABLE, "sub", null,
                10).closeConsumer(); // a durable subscription recorded in the first segment
        send("fast", big("f", 200)); // about three 4 MiB segments
        consumeAll("fast", 1, 200);
        long kept = broker.context().delivery().checkpoint();
        broker.context().delivery().checkpoint();
        assertEquals(0, kept, "'keep-me' in the first segment is not consumed yet");
        assertEquals(0, broker.store().minOffset());

        consumeAll("slow", 2, 1);
        broker.context().delivery().checkpoint(); // the previous snapshot still predates the ack
        long oldest = broker.context().delivery().checkpoint();
        assertTrue(oldest > 0, "with everything consumed, old segments go: oldest offset " + oldest);

        restart();
        assertTrue(broker.context().delivery().subscriptions().stream().anyMatch(x -> "sub".equals(x.spec().name())),
                "the durable subscription, recorded in a deleted segment, comes back from the snapshot");
        send("fast", "after-restart");
        send("slow", "after-restart");
        JmsConsumerClient f = consumer(3, "fast", 10);
        assertEquals("after-restart", f.next().text(), "acknowledged messages stay consumed after retention");
        JmsConsumerClient s = consumer(4, "slow", 10);
        assertEquals("after-restart", s.next().text());
    }

    @Test
    void aDelayedMessageKeepsItsSegmentUntilDelivered() throws Exception {
        long due = System.currentTimeMillis() + 1500;
        send(DestinationType.QUEUE, "later", due, "delayed");
        send("fill", big("g", 200));
        consumeAll("fill", 1, 200);
        broker.context().delivery().checkpoint();
        long oldest = broker.context().delivery().checkpoint();
        assertEquals(0, oldest, "the delayed body in the first segment is kept");
        JmsConsumerClient c = consumer(2, "later", 10);
        Delivery d = c.next();
        assertEquals("delayed", d.text());
        assertTrue(System.currentTimeMillis() >= due);
    }

    @Test
    void aDamagedSnapshotFallsBackToThePreviousOne() throws Exception {
        send("dmg", "d0", "d1", "d2");
        JmsConsumerClient a = consumer(1, "dmg", 10);
        Delivery d0 = a.next();
        a.ack(d0);
        broker.context().delivery().checkpoint();
        Delivery d1 = a.next();
        a.ack(d1);
        broker.context().delivery().checkpoint();
        closeConnections();
        broker.close();
        Path snapshot = dir.resolve("broker").resolve(DeliverySnapshot.FILE);
        byte[] bytes = Files.readAllBytes(snapshot);
        bytes[bytes.length / 2] ^= 0x5A;
        Files.write(snapshot, bytes);
        broker = Broker.start(config(dir));
        send("dmg", "d3");
        JmsConsumerClient b = consumer(2, "dmg", 10);
        assertEquals(List.of("d2", "d3"), List.of(b.next().text(), b.next().text()),
                "the older snapshot plus the log after it give the same state");
    }
}
