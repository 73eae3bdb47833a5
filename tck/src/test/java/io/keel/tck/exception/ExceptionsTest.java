package io.keel.tck.exception;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import io.keel.tck.TckBase;
import jakarta.jms.BytesMessage;
import jakarta.jms.IllegalStateException;
import jakarta.jms.IllegalStateRuntimeException;
import jakarta.jms.InvalidClientIDRuntimeException;
import jakarta.jms.InvalidDestinationException;
import jakarta.jms.InvalidDestinationRuntimeException;
import jakarta.jms.JMSContext;
import jakarta.jms.JMSException;
import jakarta.jms.JMSRuntimeException;
import jakarta.jms.JMSSecurityRuntimeException;
import jakarta.jms.MessageEOFException;
import jakarta.jms.MessageFormatException;
import jakarta.jms.MessageFormatRuntimeException;
import jakarta.jms.MessageNotReadableException;
import jakarta.jms.MessageNotWriteableException;
import jakarta.jms.MessageNotWriteableRuntimeException;
import jakarta.jms.QueueConnection;
import jakarta.jms.QueueConnectionFactory;
import jakarta.jms.QueueSession;
import jakarta.jms.Session;
import jakarta.jms.StreamMessage;
import jakarta.jms.TopicConnection;
import jakarta.jms.TopicConnectionFactory;
import jakarta.jms.TopicSession;

/** JMS 3.1 chapter 10: the "must be" cases of §10.3 and the checked/unchecked pairs of §10.2. */
class ExceptionsTest extends TckBase {

    @Test
    @DisplayName("JMS 3.1 §10.2: JMSException and JMSRuntimeException carry message, error code and linked exception")
    void exceptionFields() {
        JMSException e = new JMSException("reason", "CODE");
        Exception cause = new RuntimeException("cause");
        e.setLinkedException(cause);
        assertEquals("reason", e.getMessage());
        assertEquals("CODE", e.getErrorCode());
        assertSame(cause, e.getLinkedException());
        JMSRuntimeException r = new JMSRuntimeException("r", "C2", cause);
        assertEquals("C2", r.getErrorCode());
        assertSame(cause, r.getCause());
    }

    @Test
    @DisplayName("JMS 3.1 §9.2 table 9-1 / §10.3: the domain-inappropriate session methods must throw IllegalStateException")
    void domainInappropriateMethods() throws Exception {
        TopicConnection tc = track(((TopicConnectionFactory) cf).createTopicConnection());
        TopicSession ts = tc.createTopicSession(false, Session.AUTO_ACKNOWLEDGE);
        QueueConnection qc = track(((QueueConnectionFactory) cf).createQueueConnection());
        // With a client id, so durable methods cannot throw IllegalStateException for lacking one.
        qc.setClientID(unique);
        QueueSession qs = qc.createQueueSession(false, Session.AUTO_ACKNOWLEDGE);
        // assertAll: report every method that does not throw, not only the first.
        assertAll(
                () -> assertThrows(IllegalStateException.class, () -> ts.createBrowser(queue), "TopicSession.createBrowser"),
                () -> assertThrows(IllegalStateException.class, () -> ts.createQueue("q"), "TopicSession.createQueue"),
                () -> assertThrows(IllegalStateException.class, ts::createTemporaryQueue, "TopicSession.createTemporaryQueue"),
                () -> assertThrows(IllegalStateException.class, () -> qs.createDurableSubscriber(topic, "x"),
                        "QueueSession.createDurableSubscriber"),
                () -> assertThrows(IllegalStateException.class, () -> qs.createTopic("t"), "QueueSession.createTopic"),
                () -> assertThrows(IllegalStateException.class, qs::createTemporaryTopic, "QueueSession.createTemporaryTopic"),
                () -> assertThrows(IllegalStateException.class, () -> qs.unsubscribe("x"), "QueueSession.unsubscribe"),
                () -> assertThrows(IllegalStateException.class, () -> qs.createSharedConsumer(topic, "x"),
                        "QueueSession.createSharedConsumer"),
                () -> assertThrows(IllegalStateException.class, () -> qs.createDurableConsumer(topic, "x"),
                        "QueueSession.createDurableConsumer"),
                () -> assertThrows(IllegalStateException.class, () -> qs.createSharedDurableConsumer(topic, "x"),
                        "QueueSession.createSharedDurableConsumer"));
    }

    @Test
    @DisplayName("JMS 3.1 §10.3: InvalidDestinationException must be thrown for a destination not understood (null) in the classic API")
    void invalidDestination() throws Exception {
        Session s = connection().createSession();
        assertThrows(InvalidDestinationException.class, () -> s.createConsumer(null));
        assertThrows(InvalidDestinationException.class, () -> s.createBrowser(null));
        assertThrows(InvalidDestinationException.class, () -> s.createDurableSubscriber(null, "x"));
        assertThrows(InvalidDestinationException.class, () -> s.createSharedConsumer(null, "x"));
    }

    @Test
    @DisplayName("JMS 3.1 §10.3: the simplified API throws the unchecked twins (InvalidDestinationRuntimeException, IllegalStateRuntimeException, InvalidClientIDRuntimeException, JMSSecurityRuntimeException)")
    void uncheckedTwins() throws Exception {
        JMSContext ctx = context();
        assertThrows(InvalidDestinationRuntimeException.class, () -> ctx.createConsumer(null));
        assertThrows(InvalidDestinationRuntimeException.class, () -> ctx.createBrowser(null));
        assertThrows(IllegalStateRuntimeException.class, ctx::commit);
        JMSContext first = context();
        first.setClientID(unique);
        JMSContext second = context();
        assertThrows(InvalidClientIDRuntimeException.class, () -> second.setClientID(unique));
        assertThrows(JMSSecurityRuntimeException.class, () -> track(cf.createContext(USER, "wrong")));
    }

    @Test
    @DisplayName("JMS 3.1 §10.3: MessageEOFException, MessageNotReadableException, MessageNotWriteableException, MessageFormatException and NumberFormatException cases")
    void messageExceptions() throws Exception {
        Session s = connection().createSession();
        BytesMessage b = s.createBytesMessage();
        assertThrows(MessageNotReadableException.class, b::readByte);
        b.reset();
        assertThrows(MessageEOFException.class, b::readByte);
        assertThrows(MessageNotWriteableException.class, () -> b.writeByte((byte) 1));
        StreamMessage sm = s.createStreamMessage();
        sm.writeBoolean(true);
        sm.writeString("abc");
        assertThrows(MessageFormatException.class, () -> sm.writeObject(new Object()), "§10.3 example: writeObject of an unsupported class");
        sm.reset();
        assertThrows(MessageFormatException.class, sm::readShort, "§10.3 example: readShort of a boolean");
        sm.readBoolean();
        assertThrows(NumberFormatException.class, sm::readLong, "§10.3: improperly formatted String read as numeric");
        JMSContext ctx = context();
        ctx.createProducer().send(queue, "read-only");
        var got = ctx.createConsumer(queue).receive(TIMEOUT);
        assertThrows(MessageNotWriteableException.class, () -> got.setStringProperty("p", "v"));
        // JMSProducer property errors are unchecked twins.
        assertThrows(MessageFormatRuntimeException.class, () -> ctx.createProducer().setProperty("p", new StringBuilder()));
        assertTrue(MessageNotWriteableRuntimeException.class.getSuperclass() == JMSRuntimeException.class);
    }

    @Test
    @DisplayName("JMS 3.1 §10.3 / §6.1.8: use of a closed context must be IllegalStateRuntimeException")
    void closedContext() {
        JMSContext ctx = cf.createContext();
        ctx.close();
        ctx.close();
        assertThrows(IllegalStateRuntimeException.class, () -> ctx.createProducer().send(queue, "x"));
        assertThrows(IllegalStateRuntimeException.class, () -> ctx.createConsumer(queue));
        assertThrows(IllegalStateRuntimeException.class, ctx::createTextMessage);
    }
}
