package io.keel.broker.delivery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.keel.broker.Broker;
import io.keel.broker.config.BrokerConfig;
import io.keel.protocol.DestinationType;
import io.keel.protocol.client.ProtocolClient;
import io.keel.protocol.command.SendCommand;
import io.netty.buffer.Unpooled;

/** Delivery delay: never early, on time, kept across a restart, not duplicated. */
class DeliveryDelayTest {

    @TempDir
    Path dir;
    private Broker broker;

    private BrokerConfig config() {
        return BrokerConfig.defaults().set("dataDir", dir.toString()).set("brokerPort", "0").set("nameServerPort", "0")
                .set("segmentSize", "4m").set("maxMessageSize", "1m").set("ioThreads", "2");
    }

    @BeforeEach
    void start() {
        broker = Broker.start(config());
    }

    @AfterEach
    void stop() {
        if (broker != null) {
            broker.close();
        }
    }

    private void send(String text, long deliveryTime) throws Exception {
        try (ProtocolClient p = ProtocolClient.connect("127.0.0.1", broker.brokerPort(), ProtocolClient.Options.defaults())) {
            SendCommand s = new SendCommand();
            s.destinationType = DestinationType.QUEUE;
            s.destination = "later";
            s.producerId = 1;
            s.flags = SendCommand.FLAG_PERSISTENT;
            s.priority(4);
            s.deliveryTime = deliveryTime;
            s.message = Unpooled.wrappedBuffer(JmsConsumerClient.text(text, 0, 4));
            p.request(id -> s.frame(p.channel().alloc(), id)).get(10, TimeUnit.SECONDS).release();
        }
    }

    @Test
    void delayedMessagesAreNeverEarlyAndArriveOnTime() throws Exception {
        try (ProtocolClient c = ProtocolClient.connect("127.0.0.1", broker.brokerPort(), ProtocolClient.Options.defaults())) {
            JmsConsumerClient consumer = new JmsConsumerClient(c, 1, "later", 100);
            long base = System.currentTimeMillis();
            long[] due = new long[10];
            for (int i = 0; i < due.length; i++) {
                due[i] = base + 400 + 100 * i;
                send("d" + i, due[i]);
            }
            send("now", 0);
            assertEquals("now", consumer.next().text(), "a message without delay is not held up by delayed ones");
            long maxLate = 0;
            for (int i = 0; i < due.length; i++) {
                JmsConsumerClient.Delivery d = consumer.next();
                long at = System.currentTimeMillis();
                int index = Integer.parseInt(d.text().substring(1));
                assertTrue(at >= due[index], d.text() + " arrived " + (due[index] - at) + " ms early");
                maxLate = Math.max(maxLate, at - due[index]);
                consumer.ack(d);
            }
            System.out.println("delivery delay: latest arrival " + maxLate + " ms after its delivery time");
            assertTrue(maxLate < 1000, "a delayed message arrived " + maxLate + " ms late");
        }
    }

    @Test
    void aDelayedMessageSurvivesARestartAndIsDeliveredOnce() throws Exception {
        long due = System.currentTimeMillis() + 1500;
        send("after-restart", due);
        broker.close();
        broker = Broker.start(config());
        try (ProtocolClient c = ProtocolClient.connect("127.0.0.1", broker.brokerPort(), ProtocolClient.Options.defaults())) {
            JmsConsumerClient consumer = new JmsConsumerClient(c, 1, "later", 100);
            JmsConsumerClient.Delivery d = consumer.next();
            assertTrue(System.currentTimeMillis() >= due, "not before its delivery time");
            assertEquals("after-restart", d.text());
            consumer.ack(d);
            assertNull(consumer.deliveries.poll(500, TimeUnit.MILLISECONDS), "delivered once");
        }
        broker.close();
        broker = Broker.start(config());
        try (ProtocolClient c = ProtocolClient.connect("127.0.0.1", broker.brokerPort(), ProtocolClient.Options.defaults())) {
            JmsConsumerClient consumer = new JmsConsumerClient(c, 2, "later", 100);
            assertNull(consumer.deliveries.poll(500, TimeUnit.MILLISECONDS),
                    "after another restart the forwarded message is not scheduled again");
        }
    }
}
