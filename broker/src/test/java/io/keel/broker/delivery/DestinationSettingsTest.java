package io.keel.broker.delivery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import io.keel.broker.Broker;
import io.keel.broker.delivery.JmsConsumerClient.Delivery;
import io.keel.protocol.DestinationType;
import io.keel.protocol.client.ProtocolClient;
import io.keel.protocol.client.RemoteError;
import io.keel.protocol.command.AdminCommands;
import io.keel.protocol.command.ErrorCode;
import io.keel.protocol.command.SendCommand;
import io.keel.protocol.frame.Frame;
import io.netty.buffer.Unpooled;

/**
 * Per-destination delivery settings: maximum deliveries, dead-letter queue, expiry queue, redelivery
 * delay and lease expiry; kept across restarts.
 */
class DestinationSettingsTest extends BrokerTestBase {

    private void send(String queue, long expiration, String text) throws Exception {
        ProtocolClient p = connect();
        SendCommand s = new SendCommand();
        s.destinationType = DestinationType.QUEUE;
        s.destination = queue;
        s.flags = SendCommand.FLAG_PERSISTENT;
        s.priority(4);
        s.message = Unpooled.wrappedBuffer(JmsConsumerClient.text(text, expiration, 4));
        p.request(id -> s.frame(p.channel().alloc(), id)).get(10, TimeUnit.SECONDS).release();
    }

    private Map<String, String> configure(String queue, Map<String, String> changes) throws Exception {
        ProtocolClient c = connect();
        Frame f = c.request(id -> new AdminCommands.Configure(DestinationType.QUEUE, queue, changes)
                .frame(c.channel().alloc(), id)).get(10, TimeUnit.SECONDS);
        try {
            return AdminCommands.decodeStats(f.body());
        } finally {
            f.release();
        }
    }

    private JmsConsumerClient consumer(long id, String queue) throws Exception {
        JmsConsumerClient c = new JmsConsumerClient(connect(), id, queue, 10);
        open.add(c);
        return c;
    }

    @Test
    void aQueueWithItsOwnMaximumAndDeadLetterQueueKeepsThemAcrossARestart() throws Exception {
        send("orders", 0, "first");
        Map<String, String> shown = configure("orders", Map.of("maxDeliveries", "3", "deadLetterQueue", "orders.DLQ"));
        assertEquals("3", shown.get("maxDeliveries"));
        closeConnections();
        broker.close();
        broker = Broker.start(config(dir));
        assertEquals("orders.DLQ", configure("orders", Map.of()).get("deadLetterQueue"), "kept across a restart");
        send("orders", 0, "poison");
        JmsConsumerClient a = consumer(1, "orders");
        Delivery first = a.next();
        a.ack(first);
        for (int attempt = 1; attempt <= 3; attempt++) {
            Delivery d = a.next();
            assertEquals("poison", d.text());
            assertEquals(attempt, d.count());
            a.release(d);
        }
        JmsConsumerClient dead = consumer(2, "orders.DLQ");
        assertEquals("poison", dead.next().text(), "moved after 3 deliveries, to this queue's own dead-letter queue");
        configure("orders", Map.of("maxDeliveries", "")); // back to the broker default
        assertEquals("10", configure("orders", Map.of()).get("maxDeliveries"));
    }

    @Test
    void expiredMessagesGoToTheExpiryQueueWhenOneIsSet() throws Exception {
        send("quotes", System.currentTimeMillis() + 600_000, "probe"); // creates the queue
        configure("quotes", Map.of("expiryQueue", "quotes.expired"));
        send("quotes", System.currentTimeMillis() - 1, "stale");
        send("quotes", 0, "fresh");
        JmsConsumerClient a = consumer(1, "quotes");
        assertEquals("probe", a.next().text());
        assertEquals("fresh", a.next().text(), "an expired message is never delivered");
        JmsConsumerClient expired = consumer(2, "quotes.expired");
        assertEquals("stale", expired.next().text());
        assertTrue(broker.context().delivery().subscriptions().stream()
                .anyMatch(s -> s.destination().id().name().equals("quotes") && s.expired() == 1));
    }

    @Test
    void badSettingsAreRefusedNamingTheKeyAndTheRule() throws Exception {
        send("q", 0, "x");
        ExecutionException unknown = assertThrows(ExecutionException.class,
                () -> configure("q", Map.of("retries", "3")));
        RemoteError e = (RemoteError) unknown.getCause();
        assertEquals(ErrorCode.INVALID_REQUEST, e.code());
        assertTrue(e.getMessage().contains("unknown delivery setting 'retries'"), e.getMessage());
        ExecutionException zero = assertThrows(ExecutionException.class,
                () -> configure("q", Map.of("maxDeliveries", "0")));
        assertTrue(zero.getCause().getMessage().contains("maxDeliveries=0 is not within 1-1000000"),
                zero.getCause().getMessage());
        ExecutionException missing = assertThrows(ExecutionException.class,
                () -> configure("nowhere", Map.of("maxDeliveries", "2")));
        assertEquals(ErrorCode.INVALID_DESTINATION, ((RemoteError) missing.getCause()).code());
        assertEquals("10", configure("q", Map.of()).get("maxDeliveries"), "nothing changed");
    }
    /** Polls the engine's count of subscriptions with timed work until it is {@code expected} or 10 s pass. */
    private void awaitTimedWork(int expected) throws InterruptedException {
        DeliveryEngine engine = broker.context().delivery();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (engine.timedWorkSize() != expected && System.nanoTime() < deadline) {
            TimeUnit.MILLISECONDS.sleep(20); // polling interval of a condition, not a synchronisation
        }
        assertEquals(expected, engine.timedWorkSize(), "subscriptions the 100 ms tick visits");
    }

    @Test
    void aReturnedMessageWaitsOutTheRedeliveryDelayAndTheTickThenForgetsTheQueue() throws Exception {
        send("slow", 0, "m");
        configure("slow", Map.of("redeliveryDelayMillis", "400"));
        JmsConsumerClient c = consumer(1, "slow");
        Delivery first = c.next();
        assertEquals(0, broker.context().delivery().timedWorkSize(), "a lease without expiry is nothing to time");
        long released = System.nanoTime();
        c.release(first);
        assertEquals(1, broker.context().delivery().timedWorkSize(), "a returned message waits for its time");
        Delivery again = c.next();
        long waitedMillis = (System.nanoTime() - released) / 1_000_000;
        assertEquals("m", again.text());
        assertEquals(2, again.count());
        assertTrue(waitedMillis >= 400, "redelivered after " + waitedMillis + " ms, before the 400 ms delay");
        c.ack(again);
        awaitTimedWork(0);
    }

    @Test
    void aLeaseThatExpiresReturnsTheMessageWithItsCountRaised() throws Exception {
        send("leased", 0, "m");
        configure("leased", Map.of("leaseMillis", "300"));
        JmsConsumerClient c = consumer(1, "leased");
        long leased = System.nanoTime();
        Delivery first = c.next();
        assertEquals(1, first.count());
        assertEquals(1, broker.context().delivery().timedWorkSize(), "an expiring lease is timed work");
        Delivery again = c.next(); // never acknowledged: the lease runs out and the message comes back
        long heldMillis = (System.nanoTime() - leased) / 1_000_000;
        assertEquals("m", again.text());
        assertEquals(2, again.count());
        assertTrue(heldMillis >= 300, "returned after " + heldMillis + " ms, before the 300 ms lease ended");
        c.ack(again);
        awaitTimedWork(0);
    }
}
