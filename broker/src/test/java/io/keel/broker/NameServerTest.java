package io.keel.broker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.keel.broker.namesrv.NameServer;
import io.keel.protocol.DestinationType;
import io.keel.protocol.client.ProtocolClient;
import io.keel.protocol.command.BrokerRegistration;
import io.keel.protocol.command.RouteData;
import io.keel.protocol.frame.Frame;

class NameServerTest {

    @TempDir
    Path dir;

    private static RouteData route(ProtocolClient c, DestinationType type, String name) throws Exception {
        Frame f = c.request(id -> RouteData.queryFrame(c.channel().alloc(), id, type, name)).get(10, TimeUnit.SECONDS);
        try {
            return RouteData.decode(f.body());
        } finally {
            f.release();
        }
    }

    /** Polls {@code value} until it equals {@code expected} or 10 s pass. */
    private static <T> void await(Supplier<T> value, T expected, String what) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        T last = value.get();
        while (!expected.equals(last) && System.nanoTime() < deadline) {
            TimeUnit.MILLISECONDS.sleep(20); // polling interval of a condition, not a synchronisation
            last = value.get();
        }
        assertEquals(expected, last, what);
    }

    private static <T> Supplier<T> unchecked(java.util.concurrent.Callable<T> c) {
        return () -> {
            try {
                return c.call();
            } catch (Exception e) {
                throw new RuntimeException(e);
            }
        };
    }

    @Test
    void brokersRegisterAreRoutedAndUnregisterOnShutdown() throws Exception {
        try (Broker a = Broker.start(TestBrokers.config(dir.resolve("a")).set("brokerName", "a"))) {
            String nsAddress = "127.0.0.1:" + a.nameServerPort();
            try (ProtocolClient ns = ProtocolClient.connect("127.0.0.1", a.nameServerPort(),
                    ProtocolClient.Options.defaults())) {
                await(unchecked(() -> route(ns, DestinationType.QUEUE, "new-queue").brokers().size()), 1,
                        "a broker that auto-creates is offered for an unknown queue");
                a.destinations().createExplicitly(DestinationType.QUEUE, "eight", 8);
                await(unchecked(() -> route(ns, DestinationType.QUEUE, "eight").brokers()),
                        List.of(new RouteData.BrokerRoute("a", a.clientAddress(), 8)), "the registered destination");
                assertEquals(List.of(), route(ns, DestinationType.TEMPORARY_QUEUE, "tmp").brokers(),
                        "temporary destinations are never auto-created");
                Broker b = Broker.start(TestBrokers.config(dir.resolve("b")).set("brokerName", "b")
                        .set("embeddedNameServer", "false").set("nameServers", nsAddress));
                await(unchecked(() -> route(ns, DestinationType.QUEUE, "anything").brokers().size()), 2,
                        "both brokers are offered");
                b.close();
                await(unchecked(() -> route(ns, DestinationType.QUEUE, "anything").brokers().size()), 1,
                        "a broker that shut down is gone at once");
            }
        }
    }

    @Test
    void aSilentBrokerIsDroppedAfterTheExpiryTime() throws Exception {
        try (NameServer ns = NameServer.start("127.0.0.1", 0, 300, 1000, 1 << 20, 1);
                ProtocolClient broker = ProtocolClient.connect("127.0.0.1", ns.port(), ProtocolClient.Options.defaults());
                ProtocolClient client = ProtocolClient.connect("127.0.0.1", ns.port(), ProtocolClient.Options.defaults())) {
            BrokerRegistration r = new BrokerRegistration("ghost", "127.0.0.1:1", false, 4,
                    List.of(new BrokerRegistration.Entry(DestinationType.TOPIC, "t", 2)));
            broker.request(id -> r.frame(broker.channel().alloc(), id)).get(10, TimeUnit.SECONDS).release();
            assertEquals(1, route(client, DestinationType.TOPIC, "t").brokers().size());
            assertEquals(0, route(client, DestinationType.TOPIC, "other").brokers().size(),
                    "a broker that does not auto-create is offered only for its destinations");
            await(unchecked(() -> route(client, DestinationType.TOPIC, "t").brokers().size()), 0,
                    "dropped after 300 ms of silence");
            broker.request(id -> r.frame(broker.channel().alloc(), id)).get(10, TimeUnit.SECONDS).release();
            assertEquals(1, route(client, DestinationType.TOPIC, "t").brokers().size(), "back after registering again");
        }
    }

    @Test
    void aBrokerAnswersRouteQueriesAboutItself() throws Exception {
        try (Broker a = Broker.start(TestBrokers.config(dir).set("brokerName", "solo"));
                ProtocolClient c = TestBrokers.connect(a)) {
            assertEquals(List.of(new RouteData.BrokerRoute("solo", a.clientAddress(), 1)),
                    route(c, DestinationType.QUEUE, "q").brokers());
        }
    }
}
