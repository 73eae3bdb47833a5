package io.keel.broker.delivery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import io.keel.broker.delivery.JmsConsumerClient.Delivery;
import io.keel.protocol.DestinationType;
import io.keel.protocol.client.ProtocolClient;
import io.keel.protocol.command.SendCommand;
import io.netty.buffer.Unpooled;

/** Queue semantics through the protocol: competing consumers, acks, returns, counts, DLQ, expiry, restarts. */
class QueueDeliveryTest extends BrokerTestBase {

    private JmsConsumerClient consumer(long id, String queue, int credit) throws Exception {
        JmsConsumerClient c = new JmsConsumerClient(connect(), id, queue, credit);
        open.add(c);
        return c;
    }

    private void send(String queue, String... texts) throws Exception {
        sendWith(queue, 0, 4, texts);
    }

    private void sendWith(String queue, long expiration, int priority, String... texts) throws Exception {
        sendTexts(connect(), DestinationType.QUEUE, queue, expiration, priority, texts);
    }

    private static String[] texts(String prefix, int n) {
        String[] t = new String[n];
        for (int i = 0; i < n; i++) {
            t[i] = prefix + i;
        }
        return t;
    }

    @Test
    void competingConsumersEachGetDistinctMessages() throws Exception {
        send("work", texts("m", 100));
        JmsConsumerClient a = consumer(1, "work", 10);
        JmsConsumerClient b = consumer(2, "work", 10);
        Set<String> seen = new HashSet<>();
        int fromA = 0;
        while (seen.size() < 100) {
            Delivery d = a.deliveries.poll(20, TimeUnit.MILLISECONDS);
            JmsConsumerClient who = a;
            if (d == null) {
                d = b.deliveries.poll(20, TimeUnit.MILLISECONDS);
                who = b;
            } else {
                fromA++;
            }
            if (d != null) {
                assertTrue(seen.add(d.text()), "delivered twice: " + d);
                assertEquals(1, d.count());
                who.ack(d);
                who.credit(1);
            }
        }
        assertTrue(fromA > 0 && fromA < 100, "both consumers took part: " + fromA);
        assertNull(a.deliveries.poll(100, TimeUnit.MILLISECONDS));
        assertNull(b.deliveries.poll(100, TimeUnit.MILLISECONDS));
    }

    @Test
    void closingAConsumerRedeliversWhatItHeldToAnother() throws Exception {
        send("held", texts("h", 5));
        JmsConsumerClient a = consumer(1, "held", 5);
        List<Delivery> got = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            got.add(a.next());
        }
        a.ack(got.get(0));
        a.closeConsumer();
        JmsConsumerClient b = consumer(2, "held", 10);
        for (int i = 1; i < 5; i++) {
            Delivery d = b.next();
            assertEquals("h" + i, d.text(), "redelivered in order");
            assertEquals(2, d.count(), "JMSXDeliveryCount 2, JMSRedelivered");
        }
        assertNull(b.deliveries.poll(200, TimeUnit.MILLISECONDS), "the acked message is never redelivered");
    }

    @Test
    void aDroppedConnectionReturnsItsMessages() throws Exception {
        send("dropped", texts("d", 3));
        JmsConsumerClient a = new JmsConsumerClient(connect(), 1, "dropped", 3);
        for (int i = 0; i < 3; i++) {
            a.next();
        }
        a.client.close();
        JmsConsumerClient b = consumer(2, "dropped", 10);
        for (int i = 0; i < 3; i++) {
            Delivery d = b.next();
            assertEquals("d" + i, d.text());
            assertTrue(d.redelivered());
        }
    }

    @Test
    void releasedMessagesComeBackWithIncreasingCountsThenGoToTheDeadLetterQueue() throws Exception {
        send("poison", "bad");
        JmsConsumerClient a = consumer(1, "poison", 100);
        for (int attempt = 1; attempt <= 10; attempt++) {
            Delivery d = a.next();
            assertEquals("bad", d.text());
            assertEquals(attempt, d.count());
            a.release(d); // the listener threw, or the session recovered
        }
        assertNull(a.deliveries.poll(300, TimeUnit.MILLISECONDS), "not delivered an 11th time");
        JmsConsumerClient dlq = consumer(2, "DLQ", 10);
        Delivery dead = dlq.next();
        assertEquals("bad", dead.text());
        assertEquals(1, dead.count(), "a new message in the dead-letter queue");
    }

    @Test
    void expiredMessagesAreNeverDelivered() throws Exception {
        sendWith("expiring", System.currentTimeMillis() - 1, 4, "old");
        sendWith("expiring", System.currentTimeMillis() + 600_000, 4, "fresh");
        JmsConsumerClient a = consumer(1, "expiring", 10);
        assertEquals("fresh", a.next().text());
        assertNull(a.deliveries.poll(200, TimeUnit.MILLISECONDS));
    }

    @Test
    void selectorsPickTheirMessagesAndLeaveTheRestForOthers() throws Exception {
        ProtocolClient p = connect();
        SendCommand s = new SendCommand();
        s.destinationType = DestinationType.QUEUE;
        s.destination = "colors";
        s.producerId = 1;
        s.flags = SendCommand.FLAG_PERSISTENT;
        s.priority(4);
        String[] colors = {"red", "blue", "red", "green", "red"};
        for (int i = 0; i < colors.length; i++) {
            s.message = Unpooled.wrappedBuffer(JmsConsumerClient.text("c" + i, "color", colors[i]));
            p.request(id -> s.frame(p.channel().alloc(), id)).get(10, TimeUnit.SECONDS).release();
        }
        JmsConsumerClient red = new JmsConsumerClient(connect(), 1, "colors", 10, "color = 'red'");
        open.add(red);
        assertEquals("c0", red.next().text());
        assertEquals("c2", red.next().text());
        assertEquals("c4", red.next().text());
        assertNull(red.deliveries.poll(200, TimeUnit.MILLISECONDS), "non-matching messages wait");
        JmsConsumerClient rest = consumer(2, "colors", 10);
        assertEquals("c1", rest.next().text());
        assertEquals("c3", rest.next().text());
        assertNull(rest.deliveries.poll(200, TimeUnit.MILLISECONDS), "the red ones are leased to the first consumer");
    }

    @Test
    void anInvalidSelectorIsRefusedAtConsumerCreation() {
        ProtocolClient c = connect();
        var e = org.junit.jupiter.api.Assertions.assertThrows(Exception.class,
                () -> new JmsConsumerClient(c, 1, "q", 10, "color = "));
        var remote = (io.keel.protocol.client.RemoteError) e.getCause();
        assertEquals(io.keel.protocol.command.ErrorCode.INVALID_SELECTOR, remote.code());
        assertTrue(remote.getMessage().contains("at column 9"), remote.getMessage());
    }

    private static io.keel.protocol.command.Browse.Page browse(ProtocolClient c, long id, int max) throws Exception {
        io.keel.protocol.frame.Frame f = c.request(i -> io.keel.protocol.command.Browse.nextFrame(c.channel().alloc(), i,
                id, max)).get(10, TimeUnit.SECONDS);
        try {
            return io.keel.protocol.command.Browse.decodePage(f.body());
        } finally {
            f.release();
        }
    }

    private static List<String> texts(io.keel.protocol.command.Browse.Page page) {
        List<String> out = new ArrayList<>();
        for (io.keel.protocol.command.Browse.Entry e : page.entries()) {
            out.add(io.keel.protocol.message.MessageCodec.decode(e.message()).text());
        }
        return out;
    }

    @Test
    void aBrowserShowsASnapshotOfWhatIsNotConsumedWithoutTakingIt() throws Exception {
        send("browsed", texts("b", 5));
        JmsConsumerClient c = consumer(1, "browsed", 2);
        Delivery b0 = c.next();
        c.next(); // b1 stays leased, unacknowledged: still on the queue
        c.ack(b0);
        ProtocolClient browser = connect();
        browser.request(i -> new io.keel.protocol.command.Browse.Open(7, DestinationType.QUEUE, "browsed", null)
                .frame(browser.channel().alloc(), i)).get(10, TimeUnit.SECONDS).release();
        send("browsed", "after-the-snapshot");
        io.keel.protocol.command.Browse.Page first = browse(browser, 7, 2);
        assertEquals(List.of("b1", "b2"), texts(first));
        assertFalse(first.done());
        io.keel.protocol.command.Browse.Page rest = browse(browser, 7, 10);
        assertEquals(List.of("b3", "b4"), texts(rest), "the snapshot ends where the queue ended when it opened");
        assertTrue(rest.done());
        JmsConsumerClient later = consumer(2, "browsed", 10);
        assertEquals("b2", later.next().text(), "browsing took nothing");
    }

    @Test
    void aBrowserHonoursItsSelector() throws Exception {
        ProtocolClient p = connect();
        SendCommand s = new SendCommand();
        s.destinationType = DestinationType.QUEUE;
        s.destination = "browse-sel";
        s.producerId = 1;
        s.flags = SendCommand.FLAG_PERSISTENT; // answered once visible: SYNC_FLUSH dispatches after the force
        s.priority(4);
        for (String color : new String[] {"red", "blue", "red"}) {
            s.message = Unpooled.wrappedBuffer(JmsConsumerClient.text(color, "color", color));
            p.request(id -> s.frame(p.channel().alloc(), id)).get(10, TimeUnit.SECONDS).release();
        }
        p.request(i -> new io.keel.protocol.command.Browse.Open(3, DestinationType.QUEUE, "browse-sel", "color <> 'red'")
                .frame(p.channel().alloc(), i)).get(10, TimeUnit.SECONDS).release();
        assertEquals(List.of("blue"), texts(browse(p, 3, 10)));
    }

    @Test
    void aMessageGroupGoesToOneConsumerAtATimeAndMovesWhenItCloses() throws Exception {
        ProtocolClient p = connect();
        SendCommand s = new SendCommand();
        s.destinationType = DestinationType.QUEUE;
        s.destination = "grouped";
        s.flags = SendCommand.FLAG_PERSISTENT;
        s.priority(4);
        for (int i = 0; i < 20; i++) {
            s.producerId = i; // spread over the queue ids, so queue order alone would not keep a group together
            s.message = Unpooled.wrappedBuffer(JmsConsumerClient.text("g" + i, "JMSXGroupID", i % 2 == 0 ? "even" : "odd"));
            p.request(id -> s.frame(p.channel().alloc(), id)).get(10, TimeUnit.SECONDS).release();
        }
        JmsConsumerClient a = consumer(1, "grouped", 1);
        Delivery first = a.next();
        assertEquals("g0", first.text(), "a takes the first message and with it the group 'even'");
        JmsConsumerClient b = consumer(2, "grouped", 100);
        Set<String> odd = new HashSet<>();
        for (int i = 0; i < 10; i++) {
            String t = b.next().text();
            assertTrue(Integer.parseInt(t.substring(1)) % 2 == 1, "b only gets the group nobody owned: " + t);
            odd.add(t);
        }
        assertNull(b.deliveries.poll(200, TimeUnit.MILLISECONDS), "the 'even' group belongs to a");
        a.closeConsumer();
        Set<String> even = new HashSet<>();
        for (int i = 0; i < 10; i++) {
            String t = b.next().text();
            assertTrue(Integer.parseInt(t.substring(1)) % 2 == 0, "after a closed, b owns 'even' too: " + t);
            even.add(t);
        }
        assertEquals(10, odd.size());
        assertEquals(10, even.size());
    }

    @Test
    void higherPrioritiesAreDeliveredFirst() throws Exception {
        sendWith("prio", 0, 1, "low");
        sendWith("prio", 0, 9, "urgent");
        sendWith("prio", 0, 4, "normal");
        // A send is answered once durable; it is dispatched (visible) right after. Priority orders what is
        // visible when the consumer looks, so let all three become visible first.
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (broker.store().dispatchedOffset() < broker.store().writtenOffset() && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
        JmsConsumerClient a = consumer(1, "prio", 10);
        assertEquals("urgent", a.next().text());
        assertEquals("normal", a.next().text());
        assertEquals("low", a.next().text());
    }

    @Test
    void acknowledgedStaysConsumedAndCountsSurviveARestart() throws Exception {
        send("restart", texts("r", 4));
        JmsConsumerClient a = consumer(1, "restart", 3);
        Delivery r0 = a.next();
        Delivery r1 = a.next();
        a.next();
        a.ack(r0);
        a.release(r1);
        restartBrokerUnderOpenConnections();
        JmsConsumerClient b = consumer(2, "restart", 10);
        List<String> after = new ArrayList<>();
        List<Integer> counts = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            Delivery d = b.next();
            after.add(d.text());
            counts.add(d.count());
        }
        assertFalse(after.contains("r0"), "acknowledged before the restart: " + after);
        assertEquals(List.of("r1", "r2", "r3"), after);
        assertEquals(List.of(2, 2, 1), counts, "r1 and r2 were delivered before the restart, r3 was not");
    }

    /**
     * A one-way ACK (a JMS session's automatic acknowledgement) settles at once (its record rides along
     * with the next force instead of waiting for one) and is on disk for a restart.
     */
    @Test
    void aOneWayAckSettlesAtOnceAndSurvivesARestart() throws Exception {
        send("oneway", texts("w", 3));
        JmsConsumerClient a = consumer(1, "oneway", 3);
        Delivery w0 = a.next();
        Delivery w1 = a.next();
        a.next();
        a.ackOneWay(w0);
        a.ackOneWay(w0); // again: ignored (no longer leased)
        a.release(w1); // answered; the connection handles frames in order, so both ACKs were handled first
        JmsConsumerClient other = consumer(3, "oneway", 10);
        assertEquals("w1", other.next().text(), "w0 is settled, w1 returned, w2 still leased to the first consumer");
        restartBrokerUnderOpenConnections();
        JmsConsumerClient b = consumer(2, "oneway", 10);
        assertEquals(List.of("w1", "w2"), List.of(b.next().text(), b.next().text()),
                "w0 was acknowledged one-way before the restart");
    }

    @Test
    void consumersOfDifferentConnectionsWithTheSameIdDoNotShareLeases() throws Exception {
        send("ids", "m0", "m1");
        JmsConsumerClient a = consumer(1, "ids", 1);
        Delivery m0 = a.next();
        JmsConsumerClient b = consumer(1, "ids", 1); // another connection, the same client-chosen id
        Delivery m1 = b.next();
        assertEquals(List.of("m0", "m1"), List.of(m0.text(), m1.text()));
        a.closeConsumer(); // returns what a holds, and only that
        send("ids", "after");
        JmsConsumerClient c = consumer(1, "ids", 10);
        Delivery back = c.next();
        assertEquals("m0", back.text());
        assertEquals(2, back.count());
        assertEquals("after", c.next().text(), "m1 is still leased to the other connection's consumer 1");
        b.ack(m1);
    }
}
