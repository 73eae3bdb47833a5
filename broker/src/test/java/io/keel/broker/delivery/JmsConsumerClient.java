package io.keel.broker.delivery;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import io.keel.protocol.DestinationType;
import io.keel.protocol.client.ProtocolClient;
import io.keel.protocol.command.Ack;
import io.keel.protocol.command.CommandCode;
import io.keel.protocol.command.CreateConsumer;
import io.keel.protocol.command.Credit;
import io.keel.protocol.command.Deliver;
import io.keel.protocol.message.MessageCodec;
import io.keel.protocol.message.MessageData;

/** A protocol-level JMS consumer for the delivery tests: collects deliveries, acks, releases. */
final class JmsConsumerClient implements AutoCloseable {

    /** One delivery: where it came from, its count, and the message text. */
    record Delivery(int storeQueueId, long offset, int count, String text) {
        boolean redelivered() {
            return count > 1;
        }
    }

    final ProtocolClient client;
    final long consumerId;
    final BlockingQueue<Delivery> deliveries = new LinkedBlockingQueue<>();

    JmsConsumerClient(ProtocolClient client, long consumerId, String queue, int credit) throws Exception {
        this(client, consumerId, queue, credit, null);
    }

    JmsConsumerClient(ProtocolClient client, long consumerId, String queue, int credit, String selector) throws Exception {
        this(client, consumerId, DestinationType.QUEUE, queue, CreateConsumer.KIND_QUEUE, null, selector, credit);
    }

    /** A consumer of any kind: a queue, or a topic subscription of {@code kind} named {@code subscription}. */
    JmsConsumerClient(ProtocolClient client, long consumerId, DestinationType type, String destination, byte kind,
            String subscription, String selector, int credit) throws Exception {
        this(client, consumerId, type, destination, kind, subscription, selector, false, credit);
    }

    JmsConsumerClient(ProtocolClient client, long consumerId, DestinationType type, String destination, byte kind,
            String subscription, String selector, boolean noLocal, int credit) throws Exception {
        this.client = client;
        this.consumerId = consumerId;
        java.util.Map<Long, JmsConsumerClient> onThisConnection = CONSUMERS.computeIfAbsent(client, k -> {
            java.util.Map<Long, JmsConsumerClient> byId = new java.util.concurrent.ConcurrentHashMap<>();
            k.onPush(f -> route(byId, f));
            return byId;
        });
        onThisConnection.put(consumerId, this);
        CreateConsumer cc = new CreateConsumer(consumerId, type, destination, kind, subscription, selector, noLocal, credit,
                Long.MAX_VALUE);
        client.request(id -> cc.frame(client.channel().alloc(), id)).get(10, TimeUnit.SECONDS).release();
    }

    /** Consumers of each connection, so several consumers can share one (as JMS sessions of one connection do). */
    private static final java.util.Map<ProtocolClient, java.util.Map<Long, JmsConsumerClient>> CONSUMERS =
            java.util.Collections.synchronizedMap(new java.util.WeakHashMap<>());

    private static void route(java.util.Map<Long, JmsConsumerClient> byId, io.keel.protocol.frame.Frame f) {
            try {
                if (f.command() == CommandCode.DELIVER) {
                    Deliver d = new Deliver().decode(f.body());
                    JmsConsumerClient target = byId.get(d.consumerId);
                    if (target == null) {
                        return;
                    }
                    byte[] bytes = new byte[d.message.readableBytes()];
                    d.message.readBytes(bytes);
                    String text;
                    try {
                        text = MessageCodec.decode(bytes).text();
                    } catch (RuntimeException notJms) {
                        text = new String(bytes, StandardCharsets.UTF_8);
                    }
                    target.deliveries.add(new Delivery(d.queueId, d.queueOffset, d.deliveryCount, text));
                }
            } finally {
                f.release();
            }
    }

    Delivery next() throws InterruptedException {
        Delivery d = deliveries.poll(10, TimeUnit.SECONDS);
        if (d == null) {
            throw new AssertionError("no delivery within 10 s");
        }
        return d;
    }

    void ack(Delivery... ds) throws Exception {
        settle(CommandCode.ACK, ds);
    }

    /** A one-way ACK, as a JMS session's automatic acknowledgement: not answered. */
    void ackOneWay(Delivery... ds) {
        Ack a = new Ack().clear(consumerId);
        for (Delivery d : ds) {
            a.add(d.storeQueueId(), d.offset());
        }
        client.send(a.onewayFrame(client.channel().alloc()));
    }

    void release(Delivery... ds) throws Exception {
        settle(CommandCode.RELEASE, ds);
    }

    private void settle(short command, Delivery... ds) throws Exception {
        Ack a = new Ack().clear(consumerId);
        for (Delivery d : ds) {
            a.add(d.storeQueueId(), d.offset());
        }
        client.request(id -> a.frame(client.channel().alloc(), id, command)).get(10, TimeUnit.SECONDS).release();
    }

    void credit(int n) {
        client.send(new Credit(consumerId, n, Long.MAX_VALUE).frame(client.channel().alloc()));
    }

    void closeConsumer() throws Exception {
        client.request(id -> Credit.closeConsumerFrame(client.channel().alloc(), id, consumerId))
                .get(10, TimeUnit.SECONDS).release();
    }

    @Override
    public void close() {
        client.close();
    }

    /** A JMS text message, encoded as the client will. */
    static byte[] text(String text, long expiration, int priority) {
        return MessageCodec.encode(new MessageData().setBodyType(io.keel.protocol.message.BodyType.TEXT).setText(text)
                .setExpiration(expiration).setPriority(priority));
    }

    /** A JMS text message with one string property. */
    static byte[] text(String text, String property, String value) {
        return MessageCodec.encode(new MessageData().setBodyType(io.keel.protocol.message.BodyType.TEXT).setText(text)
                .setPriority(4).setProperty(property, value));
    }
}
