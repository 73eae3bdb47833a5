package io.keel.broker.delivery;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

import io.keel.broker.Broker;
import io.keel.broker.config.BrokerConfig;
import io.keel.protocol.DestinationType;
import io.keel.protocol.client.ProtocolClient;
import io.keel.protocol.command.SendCommand;
import io.netty.buffer.Unpooled;

/** An in-process broker on ephemeral ports per test, and the connections the test opened, closed after it. */
abstract class BrokerTestBase {

    @TempDir
    Path dir;
    Broker broker;
    final List<AutoCloseable> open = new ArrayList<>();

    static BrokerConfig config(Path dir) {
        return BrokerConfig.defaults().set("dataDir", dir.toString()).set("brokerPort", "0").set("nameServerPort", "0")
                .set("segmentSize", "4m").set("maxMessageSize", "1m").set("ioThreads", "2");
    }

    @BeforeEach
    void startBroker() {
        broker = Broker.start(config(dir));
    }

    @AfterEach
    void stopBroker() throws Exception {
        closeConnections();
        if (broker != null) {
            broker.close();
        }
    }

    /** Closes the broker while the test's connections are open, closes them, and starts it again on the same data. */
    void restartBrokerUnderOpenConnections() throws Exception {
        broker.close();
        closeConnections();
        broker = Broker.start(config(dir));
    }

    /** Closes every connection the test opened (e.g. before restarting the broker). */
    void closeConnections() throws Exception {
        for (AutoCloseable c : open) {
            c.close();
        }
        open.clear();
    }

    /** A connection to the broker, closed after the test. */
    ProtocolClient connect() {
        ProtocolClient c = ProtocolClient.connect("127.0.0.1", broker.brokerPort(), ProtocolClient.Options.defaults());
        open.add(c);
        return c;
    }

    /** Sends persistent JMS text messages of priority 4 that never expire, each answered before the next. */
    static void sendTexts(ProtocolClient p, DestinationType type, String destination, String... texts) throws Exception {
        sendTexts(p, type, destination, 0, 4, texts);
    }

    /** Sends persistent JMS text messages (producer id 1), each answered before the next. */
    static void sendTexts(ProtocolClient p, DestinationType type, String destination, long expiration, int priority,
            String... texts) throws Exception {
        SendCommand s = new SendCommand();
        s.destinationType = type;
        s.destination = destination;
        s.producerId = 1;
        s.flags = SendCommand.FLAG_PERSISTENT;
        s.priority(priority);
        for (String t : texts) {
            s.message = Unpooled.wrappedBuffer(JmsConsumerClient.text(t, expiration, priority));
            p.request(id -> s.frame(p.channel().alloc(), id)).get(10, TimeUnit.SECONDS).release();
        }
    }

    /** Polls {@code condition} until it holds, failing after 10 s. */
    static void awaitTrue(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean()) {
            assertTrue(System.nanoTime() < deadline, "timed out waiting until " + what);
            Thread.sleep(5); // polling the condition, with a deadline
        }
    }
}
