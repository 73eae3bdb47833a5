package io.keel.tck.transaction;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import io.keel.tck.TckBase;
import jakarta.jms.Connection;
import jakarta.jms.IllegalStateException;
import jakarta.jms.IllegalStateRuntimeException;
import jakarta.jms.JMSContext;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;

/** JMS 3.1 §6.2.7 transactions (local, transacted sessions and contexts). */
class TransactionTest extends TckBase {

    @Test
    @DisplayName("JMS 3.1 §6.2.7: sends of a transacted session are not delivered before commit")
    void sendsInvisibleUntilCommit() throws Exception {
        Session tx = connection().createSession(Session.SESSION_TRANSACTED);
        tx.createProducer(queue).send(tx.createTextMessage("pending"));
        MessageConsumer c = started().createSession().createConsumer(queue);
        assertNull(c.receive(ABSENT));
        tx.commit();
        assertEquals("pending", receiveText(c));
    }

    @Test
    @DisplayName("JMS 3.1 §6.2.7: rollback discards the transaction's sends")
    void rollbackDiscardsSends() throws Exception {
        Session tx = connection().createSession(Session.SESSION_TRANSACTED);
        MessageProducer p = tx.createProducer(queue);
        p.send(tx.createTextMessage("dropped"));
        tx.rollback();
        p.send(tx.createTextMessage("kept"));
        tx.commit();
        MessageConsumer c = started().createSession().createConsumer(queue);
        assertEquals("kept", receiveText(c));
        assertNull(c.receive(ABSENT));
    }

    @Test
    @DisplayName("JMS 3.1 §6.2.7: rollback redelivers the transaction's received messages (JMSRedelivered, JMSXDeliveryCount 2); commit consumes them")
    void rollbackRedeliversReceived() throws Exception {
        sendTexts(queue, "a", "b");
        Session tx = started().createSession(Session.SESSION_TRANSACTED);
        MessageConsumer c = tx.createConsumer(queue);
        assertEquals("a", receiveText(c));
        assertEquals("b", receiveText(c));
        tx.rollback();
        Message a = c.receive(TIMEOUT);
        assertEquals("a", text(a));
        assertTrue(a.getJMSRedelivered());
        assertEquals(2, a.getIntProperty("JMSXDeliveryCount"));
        assertEquals("b", receiveText(c));
        tx.commit();
        assertNull(c.receive(ABSENT));
        tx.rollback(); // an empty transaction
        assertNull(c.receive(ABSENT), "committed messages never come back");
    }

    @Test
    @DisplayName("JMS 3.1 §6.2.7: a transaction groups receives and sends atomically (consume-transform-produce)")
    void receiveAndSendAtomically() throws Exception {
        sendTexts(queue, "in");
        Connection conn = started();
        Session tx = conn.createSession(Session.SESSION_TRANSACTED);
        MessageConsumer in = tx.createConsumer(queue);
        MessageProducer out = tx.createProducer(queue2);
        out.send(tx.createTextMessage("out-of-" + receiveText(in)));
        tx.rollback();
        out.send(tx.createTextMessage("out-of-" + receiveText(in)));
        tx.commit();
        Session check = conn.createSession();
        assertEquals("out-of-in", receiveText(check.createConsumer(queue2)));
        assertNull(check.createConsumer(queue2).receive(ABSENT), "the rolled-back send was discarded");
        assertNull(check.createConsumer(queue).receive(ABSENT), "the input was consumed exactly once");
    }

    @Test
    @DisplayName("JMS 3.1 §6.2.7: a new transaction starts automatically after commit and rollback (chained transactions)")
    void chainedTransactions() throws Exception {
        Session tx = connection().createSession(Session.SESSION_TRANSACTED);
        MessageProducer p = tx.createProducer(queue);
        MessageConsumer c = started().createSession().createConsumer(queue);
        for (int i = 0; i < 3; i++) {
            p.send(tx.createTextMessage("t" + i));
            tx.commit();
            assertEquals("t" + i, receiveText(c));
        }
    }

    @Test
    @DisplayName("JMS 3.1 §6.2.7 / §10.3: commit and rollback on a non-transacted session must be IllegalStateException")
    void commitOnNonTransacted() throws Exception {
        Session s = connection().createSession(false, Session.CLIENT_ACKNOWLEDGE);
        assertThrows(IllegalStateException.class, s::commit);
        assertThrows(IllegalStateException.class, s::rollback);
        JMSContext ctx = context();
        assertThrows(IllegalStateRuntimeException.class, ctx::commit);
        assertThrows(IllegalStateRuntimeException.class, ctx::rollback);
    }

    @Test
    @DisplayName("JMS 3.1 §6.2.7: a transacted JMSContext commits and rolls back sends and receives")
    void transactedContext() throws Exception {
        JMSContext ctx = context(JMSContext.SESSION_TRANSACTED);
        assertTrue(ctx.getTransacted());
        ctx.createProducer().send(queue, "ctx-1");
        ctx.rollback();
        ctx.createProducer().send(queue, "ctx-2");
        ctx.commit();
        var consumer = ctx.createConsumer(queue);
        assertEquals("ctx-2", consumer.receiveBody(String.class, TIMEOUT));
        ctx.rollback();
        assertEquals("ctx-2", consumer.receiveBody(String.class, TIMEOUT), "rolled back receive comes again");
        ctx.commit();
        assertNull(consumer.receive(ABSENT));
    }

    @Test
    @DisplayName("JMS 3.1 §6.2.7: messages sent in a transaction with delivery delay are not delivered before commit nor before their delivery time")
    void delayedSendInTransaction() throws Exception {
        Session tx = connection().createSession(Session.SESSION_TRANSACTED);
        MessageProducer p = tx.createProducer(queue);
        p.setDeliveryDelay(300);
        Message m = tx.createTextMessage("delayed");
        p.send(m);
        MessageConsumer c = started().createSession().createConsumer(queue);
        assertNull(c.receive(ABSENT), "not before commit");
        tx.commit();
        Message got = c.receive(TIMEOUT);
        assertEquals("delayed", text(got));
        assertTrue(System.currentTimeMillis() >= m.getJMSDeliveryTime());
    }
}
