package io.keel.tck.producer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import io.keel.tck.TckBase;
import jakarta.jms.DeliveryMode;
import jakarta.jms.InvalidDestinationException;
import jakarta.jms.InvalidDestinationRuntimeException;
import jakarta.jms.JMSContext;
import jakarta.jms.JMSProducer;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageFormatRuntimeException;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;

/** JMS 3.1 chapter 7: producers, synchronous send, delivery options, time to live, delivery delay, JMSProducer. */
class ProducerTest extends TckBase {

    @Test
    @DisplayName("JMS 3.1 §7.1: an unidentified producer names the destination per send; an identified one must not (UnsupportedOperationException)")
    void identifiedAndUnidentified() throws Exception {
        Session s = connection().createSession();
        MessageProducer anon = s.createProducer(null);
        anon.send(queue, s.createTextMessage("to q"));
        anon.send(queue2, s.createTextMessage("to q2"));
        assertThrows(UnsupportedOperationException.class, () -> anon.send(s.createTextMessage("no destination")));
        assertThrows(InvalidDestinationException.class, () -> anon.send(null, s.createTextMessage("null destination")));
        MessageProducer fixed = s.createProducer(queue);
        assertThrows(UnsupportedOperationException.class, () -> fixed.send(queue2, s.createTextMessage("x")));
        Session r = started().createSession();
        assertEquals("to q", receiveText(r.createConsumer(queue)));
        assertEquals("to q2", receiveText(r.createConsumer(queue2)));
    }

    @Test
    @DisplayName("JMS 3.1 §7.4: delivery mode, priority and time to live per producer and per send; defaults PERSISTENT, 4, 0")
    void deliveryOptions() throws Exception {
        Session s = connection().createSession();
        MessageProducer p = s.createProducer(queue);
        assertEquals(DeliveryMode.PERSISTENT, p.getDeliveryMode());
        assertEquals(4, p.getPriority());
        assertEquals(0, p.getTimeToLive());
        assertEquals(0, p.getDeliveryDelay());
        p.send(s.createTextMessage("per-send"), DeliveryMode.NON_PERSISTENT, 9, 60_000);
        Message got = started().createSession().createConsumer(queue).receive(TIMEOUT);
        assertEquals(DeliveryMode.NON_PERSISTENT, got.getJMSDeliveryMode());
        assertEquals(9, got.getJMSPriority());
        assertTrue(got.getJMSExpiration() > 0);
        assertThrows(Exception.class, () -> p.setPriority(10), "priority is 0-9");
        assertThrows(Exception.class, () -> p.setDeliveryMode(3));
    }

    @Test
    @DisplayName("JMS 3.1 §7.7: a NON_PERSISTENT message is delivered at most once, a PERSISTENT one exactly once")
    void deliveryModes() throws Exception {
        Session s = connection().createSession();
        MessageProducer p = s.createProducer(queue);
        p.setDeliveryMode(DeliveryMode.NON_PERSISTENT);
        p.send(s.createTextMessage("np"));
        p.setDeliveryMode(DeliveryMode.PERSISTENT);
        p.send(s.createTextMessage("p"));
        MessageConsumer c = started().createSession().createConsumer(queue);
        assertEquals("np", receiveText(c));
        assertEquals("p", receiveText(c));
        assertNull(c.receive(ABSENT));
    }

    @Test
    @DisplayName("JMS 3.1 §7.8: an expired message is never delivered")
    void expiredNotDelivered() throws Exception {
        Session s = connection().createSession();
        MessageProducer p = s.createProducer(queue);
        p.setTimeToLive(100);
        Message m = s.createTextMessage("expires");
        p.send(m);
        p.setTimeToLive(0);
        long expiration = m.getJMSExpiration();
        await("expiry time passed", () -> System.currentTimeMillis() > expiration + 50);
        p.send(s.createTextMessage("marker"));
        MessageConsumer c = started().createSession().createConsumer(queue);
        assertEquals("marker", receiveText(c), "the expired message must not be delivered");
    }

    @Test
    @DisplayName("JMS 3.1 §7.9: a message with delivery delay is not delivered before JMSDeliveryTime; others overtake it")
    void deliveryDelay() throws Exception {
        Session s = connection().createSession();
        MessageProducer p = s.createProducer(queue);
        p.setDeliveryDelay(700);
        assertEquals(700, p.getDeliveryDelay());
        Message delayed = s.createTextMessage("delayed");
        p.send(delayed);
        p.setDeliveryDelay(0);
        p.send(s.createTextMessage("now"));
        MessageConsumer c = started().createSession().createConsumer(queue);
        assertEquals("now", receiveText(c));
        Message got = c.receive(TIMEOUT);
        assertEquals("delayed", text(got));
        assertTrue(System.currentTimeMillis() >= delayed.getJMSDeliveryTime(), "delivered before its delivery time");
    }

    @Test
    @DisplayName("JMS 3.1 §7.9: delivery delay applies to topic subscriptions too")
    void deliveryDelayTopic() throws Exception {
        Session s = started().createSession();
        MessageConsumer sub = s.createConsumer(topic);
        MessageProducer p = s.createProducer(topic);
        p.setDeliveryDelay(400);
        Message m = s.createTextMessage("later");
        p.send(m);
        assertNull(sub.receive(200), "delivered before its delivery time");
        assertEquals("later", receiveText(sub));
        assertTrue(System.currentTimeMillis() >= m.getJMSDeliveryTime());
    }

    @Test
    @DisplayName("JMS 3.1 §7.10 / §7.5 / §7.6: JMSProducer setters chain and set properties and headers on every message it sends")
    void jmsProducerChaining() throws Exception {
        JMSContext ctx = context();
        JMSProducer p = ctx.createProducer();
        assertSame(p, p.setProperty("region", "EU").setJMSCorrelationID("c-1").setJMSType("T")
                .setPriority(6).setDeliveryMode(DeliveryMode.NON_PERSISTENT).setTimeToLive(60_000));
        p.send(queue, "chained");
        Message got = ctx.createConsumer(queue).receive(TIMEOUT);
        assertEquals("chained", text(got));
        assertEquals("EU", got.getStringProperty("region"));
        assertEquals("c-1", got.getJMSCorrelationID());
        assertEquals("T", got.getJMSType());
        assertEquals(6, got.getJMSPriority());
        assertEquals(DeliveryMode.NON_PERSISTENT, got.getJMSDeliveryMode());
        assertTrue(p.propertyExists("region"));
        assertEquals("EU", p.getStringProperty("region"));
        p.clearProperties();
        assertTrue(p.getPropertyNames().isEmpty());
        assertThrows(MessageFormatRuntimeException.class, () -> p.setProperty("bad", new Object()));
    }

    @Test
    @DisplayName("JMS 3.1 §7.10: JMSProducer sends String, Map, byte[] and Serializable bodies as the matching message types")
    void jmsProducerBodies() throws Exception {
        JMSContext ctx = context();
        JMSProducer p = ctx.createProducer();
        p.send(queue, "text");
        p.send(queue, java.util.Map.of("k", 1));
        p.send(queue, new byte[] {7});
        p.send(queue, Integer.valueOf(5));
        var c = ctx.createConsumer(queue);
        assertTrue(c.receive(TIMEOUT) instanceof jakarta.jms.TextMessage);
        assertTrue(c.receive(TIMEOUT) instanceof jakarta.jms.MapMessage);
        assertTrue(c.receive(TIMEOUT) instanceof jakarta.jms.BytesMessage);
        assertTrue(c.receive(TIMEOUT) instanceof jakarta.jms.ObjectMessage);
    }

    @Test
    @DisplayName("JMS 3.1 §7.10 / §10.3: JMSProducer.send to a null destination must be InvalidDestinationRuntimeException")
    void jmsProducerNullDestination() {
        JMSContext ctx = context();
        assertThrows(InvalidDestinationRuntimeException.class, () -> ctx.createProducer().send(null, "x"));
    }

    @Test
    @DisplayName("JMS 3.1 §7.2: a synchronous send of a persistent message returns once the message is safe: another connection receives it")
    void synchronousSend() throws Exception {
        Session s = connection().createSession();
        s.createProducer(queue).send(s.createTextMessage("durable"));
        assertEquals("durable", receiveText(started().createSession().createConsumer(queue)));
    }
}
