package io.keel.tck.closing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import io.keel.tck.TckBase;
import jakarta.jms.Connection;
import jakarta.jms.IllegalStateException;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.QueueBrowser;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;

/** Closing semantics: JMS 3.1 §6.1.8 (connection), §6.2.15 (session), §8.8 (consumer), §4.1.6 (browser). */
class ClosingTest extends TckBase {

    @Test
    @DisplayName("JMS 3.1 §6.1.8: after close every method of the connection and its objects throws IllegalStateException; close() again is ignored")
    void closedConnectionObjectsThrow() throws Exception {
        Connection c = cf.createConnection();
        Session s = c.createSession();
        MessageProducer p = s.createProducer(queue);
        MessageConsumer consumer = s.createConsumer(queue);
        QueueBrowser b = s.createBrowser(queue);
        TextMessage kept = s.createTextMessage("still usable");
        c.close();
        c.close();
        s.close();
        p.close();
        consumer.close();
        b.close();
        assertThrows(IllegalStateException.class, c::start);
        assertThrows(IllegalStateException.class, c::getClientID);
        assertThrows(IllegalStateException.class, () -> c.createSession());
        assertThrows(IllegalStateException.class, () -> s.createTextMessage());
        assertThrows(IllegalStateException.class, () -> s.createConsumer(queue));
        assertThrows(IllegalStateException.class, () -> p.send(kept));
        assertThrows(IllegalStateException.class, () -> consumer.receiveNoWait());
        assertThrows(IllegalStateException.class, b::getEnumeration);
        assertEquals("still usable", kept.getText(), "message objects stay usable after close");
    }

    @Test
    @DisplayName("JMS 3.1 §6.1.8: closing the connection ends a pending receive (it returns null)")
    void closeEndsPendingReceive() throws Exception {
        Connection c = cf.createConnection();
        c.start();
        MessageConsumer consumer = c.createSession().createConsumer(queue);
        CountDownLatch receiving = new CountDownLatch(1);
        CompletableFuture<Message> pending = CompletableFuture.supplyAsync(() -> {
            receiving.countDown();
            try {
                return consumer.receive();
            } catch (Exception e) {
                throw new RuntimeException(e);
            }
        });
        assertTrue(receiving.await(TIMEOUT, TimeUnit.MILLISECONDS));
        // Also lets the receive block before close() runs: it must still be waiting.
        assertThrows(TimeoutException.class, () -> pending.get(ABSENT, TimeUnit.MILLISECONDS));
        c.close();
        assertNull(pending.get(TIMEOUT, TimeUnit.MILLISECONDS));
    }

    @Test
    @DisplayName("JMS 3.1 §6.1.8: close() waits for a running listener, which keeps the full services of its session")
    void closeWaitsForListener() throws Exception {
        Connection c = cf.createConnection();
        c.start();
        Session s = c.createSession();
        CountDownLatch inListener = new CountDownLatch(1);
        AtomicBoolean finished = new AtomicBoolean();
        AtomicReference<Throwable> listenerError = new AtomicReference<>();
        s.createConsumer(queue).setMessageListener(m -> {
            inListener.countDown();
            try {
                Thread.sleep(300); // keep the listener busy while close() runs
                s.createProducer(queue2).send(s.createTextMessage("from listener"));
                finished.set(true);
            } catch (Throwable e) {
                listenerError.set(e);
            }
        });
        sendTexts(queue, "go");
        assertTrue(inListener.await(TIMEOUT, TimeUnit.MILLISECONDS));
        c.close();
        assertTrue(finished.get(), "close() returned before the listener finished: " + listenerError.get());
        assertEquals("from listener", receiveText(started().createSession().createConsumer(queue2)));
    }

    @Test
    @DisplayName("JMS 3.1 §6.1.8: closing a connection rolls back its transacted sessions")
    void closeRollsBack() throws Exception {
        sendTexts(queue, "consumed in tx");
        Connection c = cf.createConnection();
        c.start();
        Session tx = c.createSession(Session.SESSION_TRANSACTED);
        assertEquals("consumed in tx", receiveText(tx.createConsumer(queue)));
        tx.createProducer(queue2).send(tx.createTextMessage("never committed"));
        c.close();
        Session s = started().createSession();
        Message back = s.createConsumer(queue).receive(TIMEOUT);
        assertEquals("consumed in tx", text(back));
        assertTrue(back.getJMSRedelivered());
        assertNull(s.createConsumer(queue2).receive(ABSENT), "the uncommitted send was discarded");
    }

    @Test
    @DisplayName("JMS 3.1 §6.1.8: closing does not acknowledge CLIENT_ACKNOWLEDGE messages; acknowledge() afterwards is IllegalStateException")
    void closeDoesNotAcknowledge() throws Exception {
        sendTexts(queue, "unacked");
        Connection c = cf.createConnection();
        c.start();
        Message m = c.createSession(false, Session.CLIENT_ACKNOWLEDGE).createConsumer(queue).receive(TIMEOUT);
        assertEquals("unacked", text(m));
        c.close();
        assertThrows(IllegalStateException.class, m::acknowledge);
        Message again = started().createSession().createConsumer(queue).receive(TIMEOUT);
        assertEquals("unacked", text(again));
        assertTrue(again.getJMSRedelivered());
    }

    @Test
    @DisplayName("JMS 3.1 §6.1.8: a listener closing its own connection either fails with IllegalStateException or succeeds")
    void listenerClosingOwnConnection() throws Exception {
        Connection c = cf.createConnection();
        c.start();
        AtomicReference<Object> outcome = new AtomicReference<>();
        CountDownLatch done = new CountDownLatch(1);
        c.createSession().createConsumer(queue).setMessageListener(m -> {
            try {
                c.close();
                outcome.set("closed");
            } catch (Throwable e) {
                outcome.set(e);
            }
            done.countDown();
        });
        sendTexts(queue, "close yourself");
        assertTrue(done.await(TIMEOUT, TimeUnit.MILLISECONDS), "the listener's close() must not deadlock");
        Object o = outcome.get();
        assertTrue("closed".equals(o) || o instanceof IllegalStateException, String.valueOf(o));
        c.close();
    }

    @Test
    @DisplayName("JMS 3.1 §6.2.15: closing a session rolls back its transaction and makes its objects throw IllegalStateException")
    void closeSession() throws Exception {
        sendTexts(queue, "in session tx");
        Connection c = started();
        Session tx = c.createSession(Session.SESSION_TRANSACTED);
        MessageConsumer consumer = tx.createConsumer(queue);
        MessageProducer p = tx.createProducer(queue2);
        assertEquals("in session tx", receiveText(consumer));
        p.send(tx.createTextMessage("discarded"));
        tx.close();
        tx.close();
        assertThrows(IllegalStateException.class, tx::commit);
        assertThrows(IllegalStateException.class, () -> consumer.receive(1));
        assertThrows(IllegalStateException.class, () -> p.send(c.createSession().createTextMessage()));
        Session s = c.createSession();
        assertEquals("in session tx", receiveText(s.createConsumer(queue)));
        assertNull(s.createConsumer(queue2).receive(ABSENT));
    }

    @Test
    @DisplayName("JMS 3.1 §6.2.15: a listener may not close its own session (IllegalStateException)... or the close succeeds after onMessage")
    void listenerClosingOwnSession() throws Exception {
        Session s = started().createSession();
        AtomicReference<Object> outcome = new AtomicReference<>();
        CountDownLatch done = new CountDownLatch(1);
        s.createConsumer(queue).setMessageListener(m -> {
            try {
                s.close();
                outcome.set("closed");
            } catch (Throwable e) {
                outcome.set(e);
            }
            done.countDown();
        });
        sendTexts(queue, "x");
        assertTrue(done.await(TIMEOUT, TimeUnit.MILLISECONDS), "close() from onMessage must not deadlock");
        Object o = outcome.get();
        // §6.2.15 (JMS 2.0 onward): Session.close from its own listener "will either fail and throw
        // IllegalStateException, or it will succeed".
        assertTrue("closed".equals(o) || o instanceof IllegalStateException, String.valueOf(o));
    }

    @Test
    @DisplayName("JMS 3.1 §8.8: closing a consumer ends its pending receive, and is allowed from its own listener")
    void closeConsumer() throws Exception {
        Session s = started().createSession();
        MessageConsumer waiting = s.createConsumer(queue2);
        CompletableFuture<Message> pending = CompletableFuture.supplyAsync(() -> {
            try {
                return waiting.receive();
            } catch (Exception e) {
                throw new RuntimeException(e);
            }
        });
        // Lets the receive block before close() runs: it must still be waiting.
        assertThrows(TimeoutException.class, () -> pending.get(ABSENT, TimeUnit.MILLISECONDS));
        waiting.close();
        assertNull(pending.get(TIMEOUT, TimeUnit.MILLISECONDS));
        assertThrows(IllegalStateException.class, waiting::receiveNoWait);

        Session ls = started().createSession();
        MessageConsumer self = ls.createConsumer(queue);
        AtomicReference<Throwable> error = new AtomicReference<>();
        CountDownLatch done = new CountDownLatch(1);
        self.setMessageListener(m -> {
            try {
                self.close();
            } catch (Throwable e) {
                error.set(e);
            }
            done.countDown();
        });
        sendTexts(queue, "close me");
        assertTrue(done.await(TIMEOUT, TimeUnit.MILLISECONDS));
        assertNull(error.get(), "MessageConsumer.close() from its own onMessage is allowed (§8.8)");
    }

    @Test
    @DisplayName("JMS 3.1 §8.8: a consumer closed with messages it never delivered leaves them to other consumers")
    void closedConsumerReleasesMessages() throws Exception {
        sendTexts(queue, "a", "b", "c");
        Session s = started().createSession();
        MessageConsumer first = s.createConsumer(queue);
        assertEquals("a", receiveText(first));
        first.close();
        MessageConsumer second = s.createConsumer(queue);
        assertEquals("b", receiveText(second));
        assertEquals("c", receiveText(second));
        assertFalse(second.receive(ABSENT) != null, "a was acknowledged (AUTO) and must not come back");
    }

    @Test
    @DisplayName("JMS 3.1 §6.2.15 / §7.3.4: a session's close waits for outstanding async sends")
    void closeWaitsForAsyncSends() throws Exception {
        Session s = connection().createSession();
        MessageProducer p = s.createProducer(queue);
        CountDownLatch completed = new CountDownLatch(20);
        for (int i = 0; i < 20; i++) {
            p.send(s.createTextMessage("async" + i), new jakarta.jms.CompletionListener() {
                @Override
                public void onCompletion(Message message) {
                    completed.countDown();
                }

                @Override
                public void onException(Message message, Exception exception) {
                    completed.countDown();
                }
            });
        }
        s.close();
        assertEquals(0, completed.getCount(), "close() returned before every CompletionListener ran");
        assertInstanceOf(TextMessage.class, started().createSession().createConsumer(queue).receive(TIMEOUT));
    }
}
