package io.keel.tck.message;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Set;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import io.keel.tck.TckBase;
import jakarta.jms.DeliveryMode;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;

/** JMS 3.1 §3.4 message header fields, §3.9 access to sent messages. */
class HeadersTest extends TckBase {

    /** One consumer per test: a second open consumer on the queue would compete for the messages. */
    private MessageConsumer consumer;

    private Message roundTrip(Message sent, MessageProducer p) throws Exception {
        p.send(sent);
        return receive();
    }

    private Message receive() throws Exception {
        if (consumer == null) {
            consumer = started().createSession().createConsumer(queue);
        }
        return consumer.receive(TIMEOUT);
    }

    @Test
    @DisplayName("JMS 3.1 §3.4.1/§3.4.2/§3.4.11: send sets JMSDestination and JMSDeliveryMode (default PERSISTENT) on sent and received message")
    void destinationAndDeliveryMode() throws Exception {
        Session s = connection().createSession();
        MessageProducer p = s.createProducer(queue);
        assertEquals(DeliveryMode.PERSISTENT, p.getDeliveryMode());
        Message sent = s.createMessage();
        sent.setJMSDestination(queue2); // ignored: send sets it (§3.4.11)
        sent.setJMSDeliveryMode(DeliveryMode.NON_PERSISTENT);
        Message got = roundTrip(sent, p);
        assertEquals(queue, sent.getJMSDestination());
        assertEquals(queue, got.getJMSDestination());
        assertEquals(DeliveryMode.PERSISTENT, sent.getJMSDeliveryMode());
        assertEquals(DeliveryMode.PERSISTENT, got.getJMSDeliveryMode());
        p.setDeliveryMode(DeliveryMode.NON_PERSISTENT);
        p.send(s.createMessage());
        Message np = receive();
        assertEquals(DeliveryMode.NON_PERSISTENT, np.getJMSDeliveryMode());
    }

    @Test
    @DisplayName("JMS 3.1 §3.4.3: JMSMessageID starts with 'ID:', is unique per message and the same on sender and receiver")
    void messageId() throws Exception {
        Session s = connection().createSession();
        MessageProducer p = s.createProducer(queue);
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < 20; i++) {
            Message m = s.createMessage();
            p.send(m);
            assertTrue(m.getJMSMessageID().startsWith("ID:"), m.getJMSMessageID());
            assertTrue(ids.add(m.getJMSMessageID()), "duplicate id");
        }
        MessageConsumer c = started().createSession().createConsumer(queue);
        for (int i = 0; i < 20; i++) {
            assertTrue(ids.contains(c.receive(TIMEOUT).getJMSMessageID()));
        }
    }

    @Test
    @DisplayName("JMS 3.1 §3.4.3/§3.4.4: disableMessageID/Timestamp are hints; if honoured the header is null/0")
    void disableHints() throws Exception {
        Session s = connection().createSession();
        MessageProducer p = s.createProducer(queue);
        p.setDisableMessageID(true);
        p.setDisableMessageTimestamp(true);
        assertTrue(p.getDisableMessageID());
        assertTrue(p.getDisableMessageTimestamp());
        Message m = s.createMessage();
        Message got = roundTrip(m, p);
        assertNotNull(got);
        assertTrue(got.getJMSMessageID() == null || got.getJMSMessageID().startsWith("ID:"));
        assertTrue(got.getJMSTimestamp() >= 0);
    }

    @Test
    @DisplayName("JMS 3.1 §3.4.4: JMSTimestamp is the time the message was handed to the provider")
    void timestamp() throws Exception {
        Session s = connection().createSession();
        long before = System.currentTimeMillis();
        Message sent = s.createMessage();
        Message got = roundTrip(sent, s.createProducer(queue));
        long after = System.currentTimeMillis();
        assertTrue(sent.getJMSTimestamp() >= before && sent.getJMSTimestamp() <= after, "" + sent.getJMSTimestamp());
        assertEquals(sent.getJMSTimestamp(), got.getJMSTimestamp());
    }

    @Test
    @DisplayName("JMS 3.1 §3.4.5: JMSCorrelationID carries a string (also an 'ID:' message id) or bytes unchanged")
    void correlationId() throws Exception {
        Session s = connection().createSession();
        MessageProducer p = s.createProducer(queue);
        Message a = s.createMessage();
        a.setJMSCorrelationID("order-42");
        assertEquals("order-42", roundTrip(a, p).getJMSCorrelationID());
        Message b = s.createMessage();
        b.setJMSCorrelationID("ID:some-message-id");
        assertEquals("ID:some-message-id", roundTrip(b, p).getJMSCorrelationID());
        Message c = s.createMessage();
        byte[] bytes = "native".getBytes(StandardCharsets.UTF_8);
        c.setJMSCorrelationIDAsBytes(bytes);
        // Bytes correlation ids are optional for providers; if supported they must round-trip.
        byte[] back = roundTrip(c, p).getJMSCorrelationIDAsBytes();
        if (back != null) {
            assertArrayEquals(bytes, back);
        }
    }

    @Test
    @DisplayName("JMS 3.1 §3.4.6/§2.16: JMSReplyTo carries a destination; a reply sent there reaches the requester")
    void replyTo() throws Exception {
        Session s = started().createSession();
        var tmp = s.createTemporaryQueue();
        Message req = s.createTextMessage("request");
        req.setJMSReplyTo(tmp);
        s.createProducer(queue).send(req);
        Message got = s.createConsumer(queue).receive(TIMEOUT);
        assertEquals(tmp, got.getJMSReplyTo());
        Message reply = s.createTextMessage("reply");
        reply.setJMSCorrelationID(got.getJMSMessageID());
        s.createProducer(got.getJMSReplyTo()).send(reply);
        Message r = s.createConsumer(tmp).receive(TIMEOUT);
        assertEquals("reply", text(r));
        assertEquals(req.getJMSMessageID(), r.getJMSCorrelationID());
    }

    @Test
    @DisplayName("JMS 3.1 §3.4.8: JMSType is carried unchanged")
    void type() throws Exception {
        Session s = connection().createSession();
        Message m = s.createMessage();
        m.setJMSType("Invoice");
        assertEquals("Invoice", roundTrip(m, s.createProducer(queue)).getJMSType());
    }

    @Test
    @DisplayName("JMS 3.1 §3.4.9: JMSExpiration = send time + time to live; 0 means never")
    void expiration() throws Exception {
        Session s = connection().createSession();
        MessageProducer p = s.createProducer(queue);
        Message forever = s.createMessage();
        assertEquals(0, roundTrip(forever, p).getJMSExpiration());
        p.setTimeToLive(60_000);
        Message limited = s.createMessage();
        Message got = roundTrip(limited, p);
        assertEquals(limited.getJMSTimestamp() + 60_000, limited.getJMSExpiration());
        assertEquals(limited.getJMSExpiration(), got.getJMSExpiration());
    }

    @Test
    @DisplayName("JMS 3.1 §3.4.10: JMSPriority defaults to 4 and carries the producer's 0-9 value")
    void priority() throws Exception {
        Session s = connection().createSession();
        MessageProducer p = s.createProducer(queue);
        assertEquals(Message.DEFAULT_PRIORITY, p.getPriority());
        assertEquals(4, roundTrip(s.createMessage(), p).getJMSPriority());
        p.setPriority(7);
        Message m = s.createMessage();
        m.setJMSPriority(1); // overridden by send (§3.4.11)
        assertEquals(7, roundTrip(m, p).getJMSPriority());
        assertEquals(7, m.getJMSPriority());
    }

    @Test
    @DisplayName("JMS 3.1 §3.4.7: JMSRedelivered is false on first delivery")
    void redeliveredFalseFirst() throws Exception {
        Session s = connection().createSession();
        assertFalse(roundTrip(s.createMessage(), s.createProducer(queue)).getJMSRedelivered());
    }

    @Test
    @DisplayName("JMS 3.1 §3.4.13: JMSDeliveryTime = send time + delivery delay (send time without delay)")
    void deliveryTime() throws Exception {
        Session s = connection().createSession();
        MessageProducer p = s.createProducer(queue);
        Message now = s.createMessage();
        Message got = roundTrip(now, p);
        assertEquals(now.getJMSTimestamp(), now.getJMSDeliveryTime());
        assertEquals(now.getJMSDeliveryTime(), got.getJMSDeliveryTime());
        p.setDeliveryDelay(500);
        Message later = s.createMessage();
        p.send(later);
        assertEquals(later.getJMSTimestamp() + 500, later.getJMSDeliveryTime());
        Message delayed = receive();
        assertEquals(later.getJMSDeliveryTime(), delayed.getJMSDeliveryTime());
    }

    @Test
    @DisplayName("JMS 3.1 §3.9: after send the sender may modify and resend its message; what was sent is unaffected")
    void sentMessageMayBeReused() throws Exception {
        Session s = connection().createSession();
        MessageProducer p = s.createProducer(queue);
        TextMessage m = s.createTextMessage("one");
        m.setStringProperty("n", "1");
        p.send(m);
        m.setText("two");
        m.setStringProperty("n", "2");
        p.send(m);
        MessageConsumer c = started().createSession().createConsumer(queue);
        Message first = c.receive(TIMEOUT);
        Message second = c.receive(TIMEOUT);
        assertEquals("one", text(first));
        assertEquals("1", first.getStringProperty("n"));
        assertEquals("two", text(second));
        assertNotEquals(first.getJMSMessageID(), second.getJMSMessageID());
    }
}
