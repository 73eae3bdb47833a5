package io.keel.broker.delivery;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import io.keel.broker.Broker;
import io.keel.broker.delivery.JmsConsumerClient.Delivery;
import io.keel.protocol.DestinationType;
import io.keel.protocol.client.ProtocolClient;
import io.keel.protocol.command.AdminCommands;
import io.keel.protocol.command.CommandCode;
import io.keel.protocol.command.CreateConsumer;
import io.keel.protocol.command.SendCommand;
import io.keel.protocol.frame.Frame;
import io.netty.buffer.Unpooled;

/** What {@code keel admin list} and {@code keel admin subscriptions} report: depth, in-flight, consumers, dead-letter and expiry counts. */
class AdminVisibilityTest extends BrokerTestBase {

    private static void send(ProtocolClient p, DestinationType type, String destination, long expiration, String text)
            throws Exception {
        SendCommand s = new SendCommand();
        s.destinationType = type;
        s.destination = destination;
        s.flags = SendCommand.FLAG_PERSISTENT;
        s.priority(4);
        s.message = Unpooled.wrappedBuffer(JmsConsumerClient.text(text, expiration, 4));
        p.request(id -> s.frame(p.channel().alloc(), id)).get(10, TimeUnit.SECONDS).release();
    }

    private <T> T admin(short command, java.util.function.Function<io.netty.buffer.ByteBuf, T> decode) throws Exception {
        ProtocolClient c = connect();
        Frame f = c.request(id -> AdminCommands.empty(c.channel().alloc(), command, 0, id)).get(10, TimeUnit.SECONDS);
        try {
            return decode.apply(f.body());
        } finally {
            f.release();
        }
    }

    private AdminCommands.SubscriptionInfo subscription(String destination, String name) throws Exception {
        return admin(CommandCode.ADMIN_SUBSCRIPTIONS, AdminCommands::decodeSubscriptions).stream()
                .filter(s -> s.destination().equals(destination) && java.util.Objects.equals(s.name(), name))
                .findFirst().orElseThrow(() -> new AssertionError("no subscription " + name + " on " + destination));
    }

    private AdminCommands.DestinationInfo destination(String name) throws Exception {
        return admin(CommandCode.ADMIN_LIST, AdminCommands::decodeList).stream().filter(d -> d.name().equals(name))
                .findFirst().orElseThrow(() -> new AssertionError("no destination " + name));
    }

    @Test
    void deadLetterAndExpiryCountsPerDestinationAndSubscriptionSurviveARestart() throws Exception {
        ProtocolClient p = connect();
        send(p, DestinationType.QUEUE, "poison", 0, "bad");
        send(p, DestinationType.QUEUE, "poison", System.currentTimeMillis() - 1, "stale");
        send(p, DestinationType.QUEUE, "poison", 0, "good");
        JmsConsumerClient a = new JmsConsumerClient(connect(), 1, "poison", 100);
        open.add(a);
        for (int attempt = 1; attempt <= 10; attempt++) {
            Delivery d = a.next();
            if (d.text().equals("good")) {
                d = a.next(); // keep it leased: it is the in-flight one
            }
            assertEquals("bad", d.text());
            a.release(d);
        }
        JmsConsumerClient dlq = new JmsConsumerClient(connect(), 2, "DLQ", 10);
        open.add(dlq);
        assertEquals("bad", dlq.next().text()); // the move has happened

        AdminCommands.DestinationInfo q = destination("poison");
        assertEquals(1, q.deadLettered());
        assertEquals(1, q.expired());
        assertEquals(1, q.inFlight(), "'good' is leased to the consumer");
        AdminCommands.SubscriptionInfo s = subscription("poison", null);
        assertEquals("queue", s.kind());
        assertEquals(List.of(1L, 1L, 1), List.of(s.deadLettered(), s.expired(), s.consumers()));

        closeConnections();
        broker.close();
        broker = Broker.start(config(dir));
        AdminCommands.DestinationInfo after = destination("poison");
        assertEquals(List.of(1L, 1L), List.of(after.deadLettered(), after.expired()), "counted again from the log");
        assertEquals(1, after.depth(), "'good' is still there");
    }

    @Test
    void topicSubscriptionsAreListedWithTheirKindClientAndSelector() throws Exception {
        ProtocolClient c = connect();
        new JmsConsumerClient(c, 1, DestinationType.TOPIC, "prices", CreateConsumer.KIND_SHARED_DURABLE, "audit",
                "region = 'EU'", 10);
        ProtocolClient p = connect();
        send(p, DestinationType.TOPIC, "prices", 0, "p1");
        AdminCommands.SubscriptionInfo s = subscription("prices", "audit");
        assertEquals("shared-durable", s.kind());
        assertEquals("region = 'EU'", s.selector());
        assertEquals(1, s.consumers());
    }
}
