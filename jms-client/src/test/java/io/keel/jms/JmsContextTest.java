package io.keel.jms;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.keel.broker.Broker;
import io.keel.broker.config.BrokerConfig;
import jakarta.jms.IllegalStateRuntimeException;
import jakarta.jms.InvalidDestinationRuntimeException;
import jakarta.jms.InvalidSelectorRuntimeException;
import jakarta.jms.JMSConsumer;
import jakarta.jms.JMSContext;
import jakarta.jms.MessageFormatRuntimeException;
import jakarta.jms.Queue;

/** The simplified API: JMSContext, JMSProducer, JMSConsumer and the unchecked exceptions. */
class JmsContextTest {

    @TempDir
    Path dir;
    private Broker broker;
    private KeelConnectionFactory factory;

    @BeforeEach
    void start() {
        broker = Broker.start(BrokerConfig.defaults().set("dataDir", dir.toString()).set("brokerPort", "0")
                .set("nameServerPort", "0").set("segmentSize", "4m").set("maxMessageSize", "1m").set("ioThreads", "2"));
        factory = new KeelConnectionFactory("keel://127.0.0.1:" + broker.brokerPort());
    }

    @AfterEach
    void stop() {
        broker.close();
    }

    @Test
    void aCompletionListenerMayStopButNotCloseItsContext() throws Exception {
        try (JMSContext ctx = factory.createContext()) {
            Queue q = ctx.createQueue("ctx.completion");
            java.util.concurrent.CompletableFuture<Object> stopped = new java.util.concurrent.CompletableFuture<>();
            java.util.concurrent.CompletableFuture<Object> closed = new java.util.concurrent.CompletableFuture<>();
            ctx.createProducer().setAsync(new jakarta.jms.CompletionListener() {
                @Override
                public void onCompletion(jakarta.jms.Message m) {
                    try {
                        ctx.stop(); // JMS 3.1 §7.3.8 forbids only close, commit and rollback here
                        stopped.complete("stopped");
                    } catch (RuntimeException e) {
                        stopped.complete(e);
                    }
                    try {
                        ctx.close();
                        closed.complete("closed");
                    } catch (RuntimeException e) {
                        closed.complete(e);
                    }
                }

                @Override
                public void onException(jakarta.jms.Message m, Exception e) {
                    stopped.complete(e);
                    closed.complete(e);
                }
            }).send(q, "x");
            assertEquals("stopped", stopped.get(10, java.util.concurrent.TimeUnit.SECONDS));
            assertEquals(IllegalStateRuntimeException.class, closed.get(10, java.util.concurrent.TimeUnit.SECONDS).getClass());
        }
    }

    @Test
    void producerPropertiesAndBodies() {
        try (JMSContext ctx = factory.createContext()) {
            Queue q = ctx.createQueue("simple");
            ctx.createProducer().setProperty("n", 7).setJMSType("greeting").send(q, "hi")
                    .send(q, Map.of("k", "v")).send(q, new byte[] {1, 2, 3});
            JMSConsumer c = ctx.createConsumer(q);
            jakarta.jms.Message first = c.receive(10_000);
            assertEquals("hi", first.getBody(String.class));
            assertEquals(7, first.getIntProperty("n"));
            assertEquals("greeting", first.getJMSType());
            assertEquals(Map.of("k", "v"), c.receiveBody(Map.class, 10_000));
            assertEquals(3, c.receiveBody(byte[].class, 10_000).length);
        } catch (jakarta.jms.JMSException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void receiveBodyOfTheWrongTypeLeavesTheMessage() {
        try (JMSContext ctx = factory.createContext()) {
            Queue q = ctx.createQueue("typed");
            ctx.createProducer().send(q, "text");
            JMSConsumer c = ctx.createConsumer(q);
            assertThrows(MessageFormatRuntimeException.class, () -> c.receiveBody(Map.class, 10_000));
            assertEquals("text", c.receiveBody(String.class, 10_000), "the message was not consumed");
        }
    }

    @Test
    void uncheckedExceptions() {
        try (JMSContext ctx = factory.createContext()) {
            assertThrows(InvalidSelectorRuntimeException.class, () -> ctx.createConsumer(ctx.createQueue("q"), "x ="));
            assertThrows(InvalidDestinationRuntimeException.class, () -> ctx.createConsumer(null));
            JMSContext second = ctx.createContext(JMSContext.SESSION_TRANSACTED);
            second.createProducer().send(second.createQueue("shared"), "in tx");
            second.commit();
            assertEquals("in tx", ctx.createConsumer(ctx.createQueue("shared")).receiveBody(String.class, 10_000));
            second.close();
            assertThrows(IllegalStateRuntimeException.class, second::commit, "a closed context");
            assertNull(ctx.createConsumer(ctx.createQueue("empty")).receiveNoWait());
        }
    }
}
