package io.keel.tck.ack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import io.keel.tck.TckBase;
import jakarta.jms.Connection;
import jakarta.jms.IllegalStateException;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.Session;

/** JMS 3.1 §6.2.10 message acknowledgment (and §3.6), §4.2.8 recovery and redelivery. */
class AcknowledgementTest extends TckBase {

    @Test
    @DisplayName("JMS 3.1 §6.2.10: AUTO_ACKNOWLEDGE acknowledges each received message: it does not come back after the session closes")
    void autoAcknowledge() throws Exception {
        sendTexts(queue, "a", "b");
        Connection c = started();
        Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
        assertEquals("a", receiveText(s.createConsumer(queue)));
        s.close();
        MessageConsumer again = c.createSession().createConsumer(queue);
        Message m = again.receive(TIMEOUT);
        assertEquals("b", text(m), "a was acknowledged when receive returned");
        assertFalse(m.getJMSRedelivered());
    }

    @Test
    @DisplayName("JMS 3.1 §6.2.10: AUTO_ACKNOWLEDGE recover() redelivers the unacknowledged (none after receive returned)")
    void autoRecover() throws Exception {
        sendTexts(queue, "a", "b");
        Session s = started().createSession();
        MessageConsumer c = s.createConsumer(queue);
        assertEquals("a", receiveText(c));
        s.recover();
        Message next = c.receive(TIMEOUT);
        assertEquals("b", text(next));
    }

    @Test
    @DisplayName("JMS 3.1 §6.2.10: CLIENT_ACKNOWLEDGE: acknowledge() acknowledges every message the session consumed so far")
    void clientAcknowledgeAcksWholeSession() throws Exception {
        sendTexts(queue, "a", "b", "c");
        sendTexts(queue2, "x");
        Connection conn = started();
        Session s = conn.createSession(false, Session.CLIENT_ACKNOWLEDGE);
        MessageConsumer c1 = s.createConsumer(queue);
        MessageConsumer c2 = s.createConsumer(queue2);
        Message a = c1.receive(TIMEOUT);
        assertEquals("b", receiveText(c1));
        assertEquals("x", receiveText(c2));
        a.acknowledge(); // acknowledging the first message acknowledges b and x too
        s.close();
        Session t = conn.createSession();
        assertEquals("c", receiveText(t.createConsumer(queue)));
        assertNull(t.createConsumer(queue2).receive(ABSENT));
    }

    @Test
    @DisplayName("JMS 3.1 §6.2.10 / §4.2.8: CLIENT_ACKNOWLEDGE recover() redelivers unacknowledged messages in order, flagged redelivered")
    void clientRecover() throws Exception {
        sendTexts(queue, "a", "b", "c");
        Session s = started().createSession(false, Session.CLIENT_ACKNOWLEDGE);
        MessageConsumer c = s.createConsumer(queue);
        Message a = c.receive(TIMEOUT);
        a.acknowledge();
        assertEquals("b", receiveText(c));
        assertEquals("c", receiveText(c));
        s.recover();
        Message b2 = c.receive(TIMEOUT);
        Message c2 = c.receive(TIMEOUT);
        assertEquals("b", text(b2));
        assertEquals("c", text(c2));
        assertTrue(b2.getJMSRedelivered() && c2.getJMSRedelivered());
        assertEquals(2, b2.getIntProperty("JMSXDeliveryCount"));
        c2.acknowledge();
        assertNull(c.receive(ABSENT));
    }

    @Test
    @DisplayName("JMS 3.1 §6.2.10: CLIENT_ACKNOWLEDGE with a listener: recover() restarts delivery from the first unacknowledged message")
    void clientRecoverWithListener() throws Exception {
        sendTexts(queue, "a", "b");
        Session s = started().createSession(false, Session.CLIENT_ACKNOWLEDGE);
        List<String> seen = new CopyOnWriteArrayList<>();
        s.createConsumer(queue).setMessageListener(m -> {
            try {
                seen.add(text(m) + (m.getJMSRedelivered() ? "*" : ""));
                if (seen.size() == 2) {
                    s.recover(); // allowed from the session's own listener
                } else if (seen.size() == 4) {
                    m.acknowledge();
                }
            } catch (Exception e) {
                seen.add(e.toString());
            }
        });
        await("a, b, then a*, b*", () -> seen.size() >= 4, () -> seen);
        assertEquals(List.of("a", "b", "a*", "b*"), seen);
    }

    @Test
    @DisplayName("JMS 3.1 §6.2.10: DUPS_OK_ACKNOWLEDGE delivers every message (duplicates allowed, losses not)")
    void dupsOk() throws Exception {
        sendTexts(queue, "a", "b", "c");
        MessageConsumer c = started().createSession(false, Session.DUPS_OK_ACKNOWLEDGE).createConsumer(queue);
        assertEquals("a", receiveText(c));
        assertEquals("b", receiveText(c));
        assertEquals("c", receiveText(c));
    }

    @Test
    @DisplayName("JMS 3.1 §6.2.10 / §8.7: a listener that throws a RuntimeException in AUTO_ACKNOWLEDGE gets the message again, flagged redelivered")
    void listenerExceptionRedelivers() throws Exception {
        sendTexts(queue, "boom");
        List<Boolean> redelivered = new CopyOnWriteArrayList<>();
        started().createSession().createConsumer(queue).setMessageListener(m -> {
            try {
                redelivered.add(m.getJMSRedelivered());
            } catch (Exception e) {
                throw new RuntimeException(e);
            }
            if (redelivered.size() == 1) {
                throw new RuntimeException("listener failure on purpose");
            }
        });
        await("redelivery after the listener threw", () -> redelivered.size() >= 2, () -> redelivered);
        assertEquals(List.of(false, true), redelivered.subList(0, 2));
    }

    @Test
    @DisplayName("JMS 3.1 §6.2.10: acknowledge() in AUTO mode is ignored; recover() on a transacted session is IllegalStateException")
    void acknowledgeAndRecoverMisuse() throws Exception {
        sendTexts(queue, "a");
        Connection c = started();
        Message m = c.createSession().createConsumer(queue).receive(TIMEOUT);
        m.acknowledge(); // no effect, no exception
        Session tx = c.createSession(Session.SESSION_TRANSACTED);
        assertThrows(IllegalStateException.class, tx::recover);
    }

    @Test
    @DisplayName("JMS 3.1 §6.2.10: messages consumed unacknowledged in CLIENT_ACKNOWLEDGE by a closed session go to another consumer, redelivered")
    void unackedGoElsewhere() throws Exception {
        sendTexts(queue, "a");
        Connection c = started();
        Session s = c.createSession(false, Session.CLIENT_ACKNOWLEDGE);
        assertEquals("a", receiveText(s.createConsumer(queue)));
        s.close();
        Message again = c.createSession().createConsumer(queue).receive(TIMEOUT);
        assertEquals("a", text(again));
        assertTrue(again.getJMSRedelivered());
    }
}
