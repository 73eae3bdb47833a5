package io.keel.tck.consumer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import io.keel.tck.TckBase;
import jakarta.jms.Connection;
import jakarta.jms.JMSConsumer;
import jakarta.jms.JMSContext;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageFormatRuntimeException;
import jakarta.jms.MessageListener;
import jakarta.jms.Session;

/** JMS 3.1 chapter 8 (consumers, receive, receiveBody, listeners) and §4.1.2/§4.2.2 queue and topic semantics. */
class ConsumerTest extends TckBase {

    @Test
    @DisplayName("JMS 3.1 §8.5: receive(), receive(timeout) and receiveNoWait")
    void synchronousReceive() throws Exception {
        MessageConsumer c = started().createSession().createConsumer(queue);
        assertNull(c.receiveNoWait());
        assertNull(c.receive(ABSENT));
        sendTexts(queue, "a", "b", "c");
        assertEquals("a", text(c.receive()));
        assertEquals("b", receiveText(c));
        assertEquals("c", text(c.receive(TIMEOUT)));
        sendTexts(queue, "d");
        Message d = null;
        long deadline = System.currentTimeMillis() + TIMEOUT;
        while (d == null && System.currentTimeMillis() < deadline) {
            d = c.receiveNoWait(); // polled: receiveNoWait may miss a message still in flight
        }
        assertEquals("d", text(d));
    }

    @Test
    @DisplayName("JMS 3.1 §4.1.2: competing queue consumers each get a message exactly once")
    void queueCompetingConsumers() throws Exception {
        Connection conn = started();
        MessageConsumer a = conn.createSession().createConsumer(queue);
        MessageConsumer b = conn.createSession().createConsumer(queue);
        String[] bodies = new String[40];
        for (int i = 0; i < bodies.length; i++) {
            bodies[i] = "m" + i;
        }
        sendTexts(queue, bodies);
        Set<String> got = Collections.synchronizedSet(new HashSet<>());
        List<String> dup = new CopyOnWriteArrayList<>();
        MessageListener l = m -> {
            try {
                if (!got.add(text(m))) {
                    dup.add(text(m));
                }
            } catch (Exception e) {
                throw new RuntimeException(e);
            }
        };
        a.setMessageListener(l);
        b.setMessageListener(l);
        await("40 distinct messages", () -> got.size() == 40, () -> got.size());
        assertNull(conn.createSession().createConsumer(queue).receive(ABSENT));
        assertTrue(dup.isEmpty(), dup.toString());
    }

    @Test
    @DisplayName("JMS 3.1 §4.2.2 / §8.3.1: every topic subscriber gets each message published while it is active, and nothing before")
    void topicEverySubscriber() throws Exception {
        Session s = started().createSession();
        s.createProducer(topic).send(s.createTextMessage("before"));
        MessageConsumer a = s.createConsumer(topic);
        MessageConsumer b = started().createSession().createConsumer(topic);
        s.createProducer(topic).send(s.createTextMessage("after"));
        assertEquals("after", receiveText(a));
        assertEquals("after", receiveText(b));
        assertNull(a.receive(ABSENT));
    }

    @Test
    @DisplayName("JMS 3.1 §8.3.1: noLocal: a subscriber does not get messages published by its own connection")
    void noLocal() throws Exception {
        Connection own = started();
        Session s = own.createSession();
        MessageConsumer local = s.createConsumer(topic, null, true);
        MessageConsumer normal = s.createConsumer(topic);
        s.createProducer(topic).send(s.createTextMessage("mine"));
        sendTexts(topic, "theirs");
        assertEquals("theirs", receiveText(local));
        assertEquals("mine", receiveText(normal));
        assertEquals("theirs", receiveText(normal));
    }

    @Test
    @DisplayName("JMS 3.1 §8.7: a MessageListener receives asynchronously; getMessageListener returns it")
    void listener() throws Exception {
        MessageConsumer c = started().createSession().createConsumer(queue);
        List<String> got = new CopyOnWriteArrayList<>();
        MessageListener l = m -> {
            try {
                got.add(text(m));
            } catch (Exception e) {
                throw new RuntimeException(e);
            }
        };
        c.setMessageListener(l);
        assertSame(l, c.getMessageListener());
        sendTexts(queue, "a", "b", "c");
        await("three messages", () -> got.size() == 3, () -> got);
        assertEquals(List.of("a", "b", "c"), got);
    }

    @Test
    @DisplayName("JMS 3.1 §8.4 / §6.1.4: a JMSContext starts its connection when the first consumer is created, unless autoStart is off")
    void contextAutoStart() throws Exception {
        sendTexts(queue, "auto");
        JMSContext ctx = context();
        assertTrue(ctx.getAutoStart());
        assertEquals("auto", ctx.createConsumer(queue).receiveBody(String.class, TIMEOUT));
        sendTexts(queue2, "manual");
        JMSContext off = context();
        off.setAutoStart(false);
        JMSConsumer c = off.createConsumer(queue2);
        assertNull(c.receive(ABSENT), "no delivery before start() with autoStart off");
        off.start();
        assertEquals("manual", c.receiveBody(String.class, TIMEOUT));
    }

    @Test
    @DisplayName("JMS 3.1 §8.6: receiveBody returns String, byte[], Map and Serializable bodies")
    void receiveBodyTypes() throws Exception {
        JMSContext ctx = context();
        var p = ctx.createProducer();
        p.send(queue, "text");
        p.send(queue, new byte[] {1, 2});
        p.send(queue, Map.of("k", "v"));
        p.send(queue, new ArrayList<>(List.of(1)));
        JMSConsumer c = ctx.createConsumer(queue);
        assertEquals("text", c.receiveBody(String.class, TIMEOUT));
        assertArrayEquals(new byte[] {1, 2}, c.receiveBody(byte[].class, TIMEOUT));
        assertEquals(Map.of("k", "v"), c.receiveBody(Map.class, TIMEOUT));
        assertEquals(List.of(1), c.receiveBody(Serializable.class, TIMEOUT));
        assertNull(c.receiveBodyNoWait(String.class));
        assertNull(c.receiveBody(String.class, 100));
    }

    @Test
    @DisplayName("JMS 3.1 §8.6: receiveBody of an unassignable body is MessageFormatRuntimeException; in AUTO_ACKNOWLEDGE the message comes again, not flagged redelivered")
    void receiveBodyWrongTypeAuto() throws Exception {
        JMSContext ctx = context();
        ctx.createProducer().send(queue, "not a number");
        JMSConsumer c = ctx.createConsumer(queue);
        assertThrows(MessageFormatRuntimeException.class, () -> c.receiveBody(Integer.class, TIMEOUT));
        Message again = c.receive(TIMEOUT);
        assertEquals("not a number", text(again));
        assertFalse(again.getJMSRedelivered(), "§8.6: not considered a redelivery");
        assertEquals(1, again.getIntProperty("JMSXDeliveryCount"));
    }

    @Test
    @DisplayName("JMS 3.1 §8.6: receiveBody of a StreamMessage or plain Message is MessageFormatRuntimeException")
    void receiveBodyUnsupportedTypes() throws Exception {
        Session s = connection().createSession();
        s.createProducer(queue).send(s.createStreamMessage());
        s.createProducer(queue2).send(s.createMessage());
        JMSContext ctx = context();
        assertThrows(MessageFormatRuntimeException.class, () -> ctx.createConsumer(queue).receiveBody(Object.class, TIMEOUT));
        assertThrows(MessageFormatRuntimeException.class, () -> ctx.createConsumer(queue2).receiveBody(Object.class, TIMEOUT));
    }

    @Test
    @DisplayName("JMS 3.1 §8.6: in CLIENT_ACKNOWLEDGE a failed receiveBody counts as delivered; recover() brings it back flagged redelivered")
    void receiveBodyWrongTypeClient() throws Exception {
        JMSContext ctx = context(JMSContext.CLIENT_ACKNOWLEDGE);
        ctx.createProducer().send(queue, "x").send(queue, "marker");
        JMSConsumer c = ctx.createConsumer(queue);
        assertThrows(MessageFormatRuntimeException.class, () -> c.receiveBody(byte[].class, TIMEOUT));
        assertEquals("marker", c.receiveBody(String.class, TIMEOUT), "the failed message is not delivered again");
        ctx.recover();
        Message again = c.receive(TIMEOUT);
        assertEquals("x", text(again));
        assertTrue(again.getJMSRedelivered());
        assertEquals(2, again.getIntProperty("JMSXDeliveryCount"));
    }

    @Test
    @DisplayName("JMS 3.1 §8.6: in a transacted context a failed receiveBody counts as delivered; rollback brings it back")
    void receiveBodyWrongTypeTransacted() throws Exception {
        JMSContext ctx = context(JMSContext.SESSION_TRANSACTED);
        ctx.createProducer().send(queue, "x").send(queue, "marker");
        ctx.commit();
        JMSConsumer c = ctx.createConsumer(queue);
        assertThrows(MessageFormatRuntimeException.class, () -> c.receiveBody(Long.class, TIMEOUT));
        assertEquals("marker", c.receiveBody(String.class, TIMEOUT));
        ctx.rollback();
        Message again = c.receive(TIMEOUT);
        assertEquals("x", text(again));
        assertTrue(again.getJMSRedelivered());
        ctx.commit();
    }
}
