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

    /** Polls {@code condition} until it holds, failing after 10 s. */
    static void awaitTrue(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean()) {
            assertTrue(System.nanoTime() < deadline, "timed out waiting until " + what);
            Thread.sleep(5); // polling the condition, with a deadline
        }
    }
}
