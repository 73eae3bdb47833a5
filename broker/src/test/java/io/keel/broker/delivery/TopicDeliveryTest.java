package io.keel.broker.delivery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import io.keel.protocol.DestinationType;
import io.keel.protocol.client.ProtocolClient;
import io.keel.protocol.client.RemoteError;
import io.keel.protocol.command.CommandCode;
import io.keel.protocol.command.CreateConsumer;
import io.keel.protocol.command.SendCommand;
import io.keel.protocol.frame.FrameLayout;
import io.keel.protocol.frame.Wire;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

/** Topic subscriptions through the protocol: fan-out, durable, shared, replacement, unsubscribe. */
class TopicDeliveryTest extends BrokerTestBase {

    private ProtocolClient connect(String clientId) {
        ProtocolClient c = ProtocolClient.connect("127.0.0.1", broker.brokerPort(),
                ProtocolClient.Options.defaults().withClientId(clientId));
        open.add(c);
        return c;
    }

    private JmsConsumerClient subscriber(String clientId, long id, byte kind, String name, String selector) throws Exception {
        JmsConsumerClient c = new JmsConsumerClient(connect(clientId), id, DestinationType.TOPIC, "news", kind, name,
                selector, 100);
        open.add(c);
        return c;
    }

    private void publish(String... texts) throws Exception {
        publishOn(connect(null), texts);
    }

    private void publishOn(ProtocolClient p, String... texts) throws Exception {
        SendCommand s = new SendCommand();
        s.destinationType = DestinationType.TOPIC;
        s.destination = "news";
        s.producerId = 1;
        s.flags = SendCommand.FLAG_PERSISTENT;
        s.priority(4);
        for (String t : texts) {
            s.message = Unpooled.wrappedBuffer(JmsConsumerClient.text(t, 0, 4));
            p.request(id -> s.frame(p.channel().alloc(), id)).get(10, TimeUnit.SECONDS).release();
        }
    }

    private static List<String> take(JmsConsumerClient c, int n) throws InterruptedException {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(c.next().text());
        }
        return out;
    }

    @Test
    void everySubscriberGetsEveryMessagePublishedAfterItSubscribed() throws Exception {
        publish("before");
        JmsConsumerClient a = subscriber(null, 1, CreateConsumer.KIND_NON_DURABLE, null, null);
        JmsConsumerClient b = subscriber(null, 2, CreateConsumer.KIND_NON_DURABLE, null, null);
        publish("n1", "n2");
        assertEquals(List.of("n1", "n2"), take(a, 2));
        assertEquals(List.of("n1", "n2"), take(b, 2));
        assertNull(a.deliveries.poll(200, TimeUnit.MILLISECONDS), "nothing published before the subscription");
    }

    @Test
    void aDurableSubscriptionKeepsMessagesWhileItsConsumerIsAwayAndAcrossARestart() throws Exception {
        JmsConsumerClient c = subscriber("client-1", 1, CreateConsumer.KIND_DURABLE, "daily", null);
        publish("d1");
        JmsConsumerClient.Delivery d1 = c.next();
        c.ack(d1);
        c.closeConsumer();
        publish("d2", "d3");
        restartBrokerUnderOpenConnections();
        JmsConsumerClient again = subscriber("client-1", 2, CreateConsumer.KIND_DURABLE, "daily", null);
        assertEquals(List.of("d2", "d3"), take(again, 2));
        assertNull(again.deliveries.poll(200, TimeUnit.MILLISECONDS), "d1 was acknowledged before the restart");
    }

    @Test
    void aSharedSubscriptionSplitsMessagesBetweenItsConsumers() throws Exception {
        JmsConsumerClient a = subscriber(null, 1, CreateConsumer.KIND_SHARED_DURABLE, "workers", null);
        JmsConsumerClient b = subscriber(null, 2, CreateConsumer.KIND_SHARED_DURABLE, "workers", null);
        String[] texts = new String[40];
        for (int i = 0; i < texts.length; i++) {
            texts[i] = "w" + i;
        }
        publish(texts);
        Set<String> seen = new HashSet<>();
        int fromA = 0;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (seen.size() < 40 && System.nanoTime() < deadline) {
            JmsConsumerClient.Delivery d = a.deliveries.poll(10, TimeUnit.MILLISECONDS);
            if (d != null) {
                fromA++;
            } else {
                d = b.deliveries.poll(10, TimeUnit.MILLISECONDS);
            }
            if (d != null) {
                assertTrue(seen.add(d.text()), "delivered twice: " + d);
            }
        }
        assertEquals(40, seen.size());
        assertTrue(fromA > 0, "the first consumer took part");
    }

    @Test
    void jmsRulesOnNamesClientIdsAndActiveConsumers() throws Exception {
        ExecutionException e = assertThrows(ExecutionException.class,
                () -> subscriber(null, 1, CreateConsumer.KIND_DURABLE, "needs-id", null));
        assertTrue(e.getCause().getMessage().contains("needs a client id"), e.getCause().getMessage());

        JmsConsumerClient first = subscriber("c", 2, CreateConsumer.KIND_DURABLE, "one", null);
        ProtocolClient same = first.client; // one client id, one connection
        e = assertThrows(ExecutionException.class, () -> new JmsConsumerClient(same, 3, DestinationType.TOPIC, "news",
                CreateConsumer.KIND_DURABLE, "one", null, 10));
        assertTrue(e.getCause().getMessage().contains("already has an active consumer"), e.getCause().getMessage());
        e = assertThrows(ExecutionException.class, () -> new JmsConsumerClient(same, 4, DestinationType.TOPIC, "news",
                CreateConsumer.KIND_SHARED_DURABLE, "one", null, 10));
        assertTrue(e.getCause().getMessage().contains("exists as a durable subscription"), e.getCause().getMessage());

        RemoteError r = (RemoteError) assertThrows(ExecutionException.class, () -> unsubscribe(same, "one")).getCause();
        assertTrue(r.getMessage().contains("has an active consumer"), r.getMessage());
        RemoteError none = (RemoteError) assertThrows(ExecutionException.class, () -> unsubscribe(same, "nope")).getCause();
        assertTrue(none.getMessage().contains("no durable subscription 'nope'"), none.getMessage());
    }

    @Test
    void changingTheSelectorOfAnInactiveDurableSubscriptionReplacesIt() throws Exception {
        JmsConsumerClient c = subscriber("c", 1, CreateConsumer.KIND_DURABLE, "sel", null);
        c.closeConsumer();
        publish("kept-for-the-old-one");
        JmsConsumerClient replaced = new JmsConsumerClient(c.client, 2, DestinationType.TOPIC, "news",
                CreateConsumer.KIND_DURABLE, "sel", "JMSPriority = 4", 100);
        publish("new");
        assertEquals("new", replaced.next().text(), "the replacement starts empty, at the topic's end");
        assertNull(replaced.deliveries.poll(200, TimeUnit.MILLISECONDS));
        replaced.closeConsumer();
        unsubscribe(replaced.client, "sel");
        JmsConsumerClient fresh = new JmsConsumerClient(c.client, 3, DestinationType.TOPIC, "news",
                CreateConsumer.KIND_DURABLE, "sel", "JMSPriority = 4", 100);
        assertNull(fresh.deliveries.poll(200, TimeUnit.MILLISECONDS), "unsubscribe deleted what it held");
    }

    @Test
    void noLocalSubscribersDoNotGetTheirOwnConnectionsMessages() throws Exception {
        ProtocolClient mine = connect(null);
        JmsConsumerClient c = new JmsConsumerClient(mine, 1, DestinationType.TOPIC, "news",
                CreateConsumer.KIND_NON_DURABLE, null, null, true, 100);
        open.add(c);
        publishOn(mine, "own-1");
        publish("other");
        publishOn(mine, "own-2");
        assertEquals("other", c.next().text());
        assertNull(c.deliveries.poll(200, TimeUnit.MILLISECONDS));
    }

    @Test
    void aDurableNoLocalSubscriptionSkipsMessagesOfItsClientIdAcrossReconnects() throws Exception {
        ProtocolClient first = connect("me");
        JmsConsumerClient c = new JmsConsumerClient(first, 1, DestinationType.TOPIC, "news", CreateConsumer.KIND_DURABLE,
                "mine", null, true, 100);
        c.closeConsumer();
        first.close();
        ProtocolClient second = connect("me");
        publishOn(second, "from-me-again");
        publish("from-someone-else");
        JmsConsumerClient back = new JmsConsumerClient(second, 2, DestinationType.TOPIC, "news",
                CreateConsumer.KIND_DURABLE, "mine", null, true, 100);
        open.add(back);
        assertEquals("from-someone-else", back.next().text());
        assertNull(back.deliveries.poll(200, TimeUnit.MILLISECONDS));
    }

    @Test
    void aClientThatClosesAndReconnectsAtOnceGetsItsClientIdBack() throws Exception {
        for (int i = 0; i < 200; i++) {
            ProtocolClient c = connect("again"); // refused with CLIENT_ID_IN_USE if the last close had not released it
            c.close();
        }
    }

    @Test
    void aClientIdIsUniqueAcrossTheBrokerAndFreedWhenItsConnectionCloses() throws Exception {
        ProtocolClient first = connect("unique");
        RemoteError e = assertThrows(RemoteError.class, () -> connect("unique"));
        assertEquals(io.keel.protocol.command.ErrorCode.CLIENT_ID_IN_USE, e.code());
        assertTrue(e.getMessage().contains("'unique' is already in use"), e.getMessage());
        ProtocolClient later = connect(null);
        RemoteError set = (RemoteError) assertThrows(ExecutionException.class, () -> setClientId(later, "unique"))
                .getCause();
        assertEquals(io.keel.protocol.command.ErrorCode.CLIENT_ID_IN_USE, set.code());
        first.close();
        setClientId(later, "unique"); // free as soon as close() returned: the broker released it before answering CLOSE
        RemoteError twice = (RemoteError) assertThrows(ExecutionException.class, () -> setClientId(later, "other"))
                .getCause();
        assertTrue(twice.getMessage().contains("already has client id 'unique'"), twice.getMessage());
    }

    private static void setClientId(ProtocolClient c, String id) throws Exception {
        c.request(i -> {
            ByteBuf b = FrameLayout.begin(c.channel().alloc(), 32, CommandCode.SET_CLIENT_ID, 0, i);
            Wire.writeString(b, id);
            return FrameLayout.end(b);
        }).get(10, TimeUnit.SECONDS).release();
    }

    private static void unsubscribe(ProtocolClient c, String name) throws Exception {
        c.request(id -> {
            ByteBuf b = FrameLayout.begin(c.channel().alloc(), 32, CommandCode.UNSUBSCRIBE, 0, id);
            Wire.writeString(b, name);
            return FrameLayout.end(b);
        }).get(10, TimeUnit.SECONDS).release();
    }
}
