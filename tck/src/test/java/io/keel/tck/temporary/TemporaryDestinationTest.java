package io.keel.tck.temporary;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import io.keel.tck.TckBase;
import jakarta.jms.Connection;
import jakarta.jms.InvalidDestinationException;
import jakarta.jms.JMSContext;
import jakarta.jms.JMSException;
import jakarta.jms.MessageConsumer;
import jakarta.jms.Session;
import jakarta.jms.TemporaryQueue;
import jakarta.jms.TemporaryTopic;

/** JMS 3.1 §6.2.2 creating temporary destinations, §4.1.5 TemporaryQueue, §4.2.7 temporary topics. */
class TemporaryDestinationTest extends TckBase {

    @Test
    @DisplayName("JMS 3.1 §6.2.2 / §4.1.5: a temporary queue is unique and works as a queue for its connection")
    void temporaryQueue() throws Exception {
        Session s = started().createSession();
        TemporaryQueue a = s.createTemporaryQueue();
        TemporaryQueue b = s.createTemporaryQueue();
        assertNotEquals(a.getQueueName(), b.getQueueName());
        s.createProducer(a).send(s.createTextMessage("tmp"));
        assertEquals("tmp", receiveText(s.createConsumer(a)));
    }

    @Test
    @DisplayName("JMS 3.1 §4.2.7: a temporary topic delivers to its subscribers")
    void temporaryTopic() throws Exception {
        Session s = started().createSession();
        TemporaryTopic t = s.createTemporaryTopic();
        MessageConsumer sub = s.createConsumer(t);
        s.createProducer(t).send(s.createTextMessage("tmp topic"));
        assertEquals("tmp topic", receiveText(sub));
    }

    @Test
    @DisplayName("JMS 3.1 §6.2.2: any connection may send to a temporary destination, only its own connection may consume (InvalidDestinationException)")
    void onlyOwnConnectionConsumes() throws Exception {
        Session own = started().createSession();
        TemporaryQueue q = own.createTemporaryQueue();
        TemporaryTopic t = own.createTemporaryTopic();
        Session other = started().createSession();
        other.createProducer(q).send(other.createTextMessage("from other connection"));
        assertThrows(InvalidDestinationException.class, () -> other.createConsumer(q));
        assertThrows(InvalidDestinationException.class, () -> other.createConsumer(t));
        assertEquals("from other connection", receiveText(own.createConsumer(q)));
    }

    @Test
    @DisplayName("JMS 3.1 §6.2.2: a temporary destination lives as long as its connection; afterwards sending to it fails")
    void livesWithConnection() throws Exception {
        Connection c = cf.createConnection();
        TemporaryQueue q = c.createSession().createTemporaryQueue();
        c.close();
        Session s = connection().createSession();
        assertThrows(InvalidDestinationException.class, () -> s.createProducer(q).send(s.createTextMessage("too late")));
    }

    @Test
    @DisplayName("JMS 3.1 §4.1.5 (TemporaryQueue.delete): delete with an active consumer fails; after delete the destination is unusable")
    void delete() throws Exception {
        Session s = started().createSession();
        TemporaryQueue q = s.createTemporaryQueue();
        MessageConsumer c = s.createConsumer(q);
        assertThrows(JMSException.class, q::delete);
        c.close();
        q.delete();
        assertThrows(InvalidDestinationException.class, () -> s.createProducer(q).send(s.createTextMessage("deleted")));
        assertThrows(InvalidDestinationException.class, () -> s.createConsumer(q));
        TemporaryTopic t = s.createTemporaryTopic();
        t.delete();
        assertThrows(InvalidDestinationException.class, () -> s.createConsumer(t));
    }

    @Test
    @DisplayName("JMS 3.1 §6.2.2: a JMSContext creates temporary destinations for request/reply (§2.16)")
    void contextTemporary() {
        JMSContext ctx = context();
        TemporaryQueue replies = ctx.createTemporaryQueue();
        ctx.createProducer().setJMSReplyTo(replies).send(queue, "request");
        var request = ctx.createConsumer(queue).receive(TIMEOUT);
        try {
            ctx.createProducer().send(request.getJMSReplyTo(), "reply");
        } catch (JMSException e) {
            throw new AssertionError(e);
        }
        assertEquals("reply", ctx.createConsumer(replies).receiveBody(String.class, TIMEOUT));
    }
}
