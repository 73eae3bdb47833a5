package io.keel.tck.context;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import io.keel.tck.TckBase;
import jakarta.jms.IllegalStateRuntimeException;
import jakarta.jms.JMSConsumer;
import jakarta.jms.JMSContext;
import jakarta.jms.JMSException;
import jakarta.jms.Message;

/** The simplified API: JMS 3.1 §2.8 (JMSContext), §6.1 / §6.2 as they apply to a context. */
class JmsContextTest extends TckBase {

    @Test
    @DisplayName("JMS 3.1 §2.8.2 / §6.1: createContext variants report their session mode; default AUTO_ACKNOWLEDGE")
    void sessionModes() {
        assertEquals(JMSContext.AUTO_ACKNOWLEDGE, context().getSessionMode());
        for (int mode : new int[] {JMSContext.CLIENT_ACKNOWLEDGE, JMSContext.DUPS_OK_ACKNOWLEDGE, JMSContext.SESSION_TRANSACTED}) {
            JMSContext ctx = context(mode);
            assertEquals(mode, ctx.getSessionMode());
            assertEquals(mode == JMSContext.SESSION_TRANSACTED, ctx.getTransacted());
        }
        JMSContext auth = track(cf.createContext(USER, PASSWORD, JMSContext.CLIENT_ACKNOWLEDGE));
        assertEquals(JMSContext.CLIENT_ACKNOWLEDGE, auth.getSessionMode());
    }

    @Test
    @DisplayName("JMS 3.1 §6.1.8: createContext(int) shares the connection: closing the first context leaves the second working")
    void sharedConnection() {
        JMSContext first = cf.createContext();
        JMSContext second = track(first.createContext(JMSContext.AUTO_ACKNOWLEDGE));
        first.close();
        second.createProducer().send(queue, "still connected");
        assertEquals("still connected", second.createConsumer(queue).receiveBody(String.class, TIMEOUT));
    }

    @Test
    @DisplayName("JMS 3.1 §6.1.2: setClientID on a context works first, is IllegalStateRuntimeException after other use")
    void clientId() {
        JMSContext ctx = context();
        ctx.setClientID(unique);
        assertEquals(unique, ctx.getClientID());
        JMSContext used = context();
        used.createProducer().send(queue, "use");
        assertThrows(IllegalStateRuntimeException.class, () -> used.setClientID(unique + "-2"));
    }

    @Test
    @DisplayName("JMS 3.1 §6.2.10: JMSContext.acknowledge() in CLIENT_ACKNOWLEDGE acknowledges; recover() redelivers the rest")
    void contextAcknowledge() throws Exception {
        JMSContext ctx = context(JMSContext.CLIENT_ACKNOWLEDGE);
        ctx.createProducer().send(queue, "a").send(queue, "b");
        JMSConsumer c = ctx.createConsumer(queue);
        assertEquals("a", c.receiveBody(String.class, TIMEOUT));
        ctx.acknowledge();
        assertEquals("b", c.receiveBody(String.class, TIMEOUT));
        ctx.recover();
        Message b = c.receive(TIMEOUT);
        assertEquals("b", text(b));
        assertTrue(b.getJMSRedelivered());
        ctx.acknowledge();
        assertNull(c.receive(ABSENT));
    }

    @Test
    @DisplayName("JMS 3.1 §6.1.5: stop()/start() on a context pause and resume delivery")
    void stopStart() {
        JMSContext ctx = context();
        JMSConsumer c = ctx.createConsumer(queue);
        ctx.stop();
        ctx.createProducer().send(queue, "paused");
        assertNull(c.receive(ABSENT));
        ctx.start();
        assertEquals("paused", c.receiveBody(String.class, TIMEOUT));
    }

    @Test
    @DisplayName("JMS 3.1 §6.1.5 / §6.1.8: a listener stopping or closing its own context fails with IllegalStateRuntimeException (or succeeds)")
    void listenerStopsOwnContext() throws Exception {
        JMSContext ctx = context();
        List<Object> outcomes = new CopyOnWriteArrayList<>();
        CountDownLatch done = new CountDownLatch(1);
        ctx.createConsumer(queue).setMessageListener(m -> {
            for (Runnable call : List.<Runnable>of(ctx::stop, ctx::close)) {
                try {
                    call.run();
                    outcomes.add("ok");
                } catch (RuntimeException e) {
                    outcomes.add(e.getClass());
                }
            }
            done.countDown();
        });
        sendTexts(queue, "x");
        assertTrue(done.await(TIMEOUT, TimeUnit.MILLISECONDS), "stop()/close() from onMessage must not deadlock");
        for (Object o : outcomes) {
            assertTrue("ok".equals(o) || o == IllegalStateRuntimeException.class, outcomes.toString());
        }
    }

    @Test
    @DisplayName("JMS 3.1 §2.8.2: the context creates every message type and destination")
    void factories() throws JMSException {
        JMSContext ctx = context();
        assertNotNull(ctx.createMessage());
        assertEquals("t", ctx.createTextMessage("t").getText());
        assertNotNull(ctx.createBytesMessage());
        assertNotNull(ctx.createMapMessage());
        assertNotNull(ctx.createStreamMessage());
        assertEquals(5, ctx.createObjectMessage(5).getObject());
        assertEquals(queue.getQueueName(), ctx.createQueue(queue.getQueueName()).getQueueName());
        assertEquals(topic.getTopicName(), ctx.createTopic(topic.getTopicName()).getTopicName());
        assertNotNull(ctx.getMetaData().getJMSProviderName());
        assertFalse(ctx.getTransacted());
    }

    @Test
    @DisplayName("JMS 3.1 §8.3.3: durable subscriptions through a context (createDurableConsumer, unsubscribe)")
    void durableThroughContext() throws Exception {
        JMSContext ctx = track(lookupFactory("ClientIdConnectionFactory").createContext());
        assertEquals(adminClientId, ctx.getClientID());
        ctx.createDurableConsumer(topic, "ctxsub").close();
        sendTexts(topic, "kept");
        JMSConsumer c = ctx.createDurableConsumer(topic, "ctxsub");
        assertEquals("kept", c.receiveBody(String.class, TIMEOUT));
        c.close();
        ctx.unsubscribe("ctxsub");
    }
}
