package io.keel.tck.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import io.keel.tck.TckBase;
import jakarta.jms.Connection;
import jakarta.jms.DeliveryMode;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Queue;
import jakarta.jms.Session;
import jakarta.jms.Topic;

/** JMS 3.1 chapter 6.2: sessions (creation, destinations, order, serial execution). */
class SessionTest extends TckBase {

    @Test
    @DisplayName("JMS 3.1 §6.2: createSession variants report their transacted flag and acknowledge mode")
    void sessionModes() throws Exception {
        Connection c = connection();
        Session plain = c.createSession();
        assertFalse(plain.getTransacted());
        assertEquals(Session.AUTO_ACKNOWLEDGE, plain.getAcknowledgeMode());
        Session tx = c.createSession(Session.SESSION_TRANSACTED);
        assertTrue(tx.getTransacted());
        assertEquals(Session.SESSION_TRANSACTED, tx.getAcknowledgeMode());
        Session legacyTx = c.createSession(true, Session.CLIENT_ACKNOWLEDGE);
        assertTrue(legacyTx.getTransacted(), "transacted=true ignores the acknowledge mode");
        assertEquals(Session.SESSION_TRANSACTED, legacyTx.getAcknowledgeMode());
        for (int mode : new int[] {Session.AUTO_ACKNOWLEDGE, Session.CLIENT_ACKNOWLEDGE, Session.DUPS_OK_ACKNOWLEDGE}) {
            Session s = c.createSession(false, mode);
            assertFalse(s.getTransacted());
            assertEquals(mode, s.getAcknowledgeMode());
        }
    }

    @Test
    @DisplayName("JMS 3.1 §6.2.3: createQueue/createTopic give destinations equal to the administered ones of the same name")
    void createDestinationObjects() throws Exception {
        Session s = connection().createSession();
        Queue q = s.createQueue(queue.getQueueName());
        Topic t = s.createTopic(topic.getTopicName());
        assertEquals(queue.getQueueName(), q.getQueueName());
        assertEquals(topic.getTopicName(), t.getTopicName());
        s.createProducer(q).send(s.createTextMessage("by name"));
        assertEquals("by name", receiveText(started().createSession().createConsumer(queue)));
    }

    @Test
    @DisplayName("JMS 3.1 §6.2.1: a session creates producers, consumers and browsers for queues and topics")
    void producerConsumerCreation() throws Exception {
        Session s = connection().createSession();
        assertEquals(queue, s.createProducer(queue).getDestination());
        assertNull(s.createProducer(null).getDestination(), "an unidentified producer has no destination");
        assertNull(s.createConsumer(topic).getMessageSelector(), "no selector given, none reported");
        assertEquals("a = 1", s.createConsumer(queue, "a = 1").getMessageSelector());
        assertEquals(queue, s.createBrowser(queue).getQueue());
    }

    @Test
    @DisplayName("JMS 3.1 §6.2.9.1: messages of one session to one destination arrive in send order")
    void orderOfReceipt() throws Exception {
        Session s = connection().createSession();
        MessageProducer p = s.createProducer(queue);
        MessageProducer unidentified = s.createProducer(null);
        for (int i = 0; i < 50; i++) {
            if (i % 2 == 0) {
                p.send(s.createTextMessage("m" + i));
            } else {
                unidentified.send(queue, s.createTextMessage("m" + i));
            }
        }
        MessageConsumer consumer = started().createSession().createConsumer(queue);
        for (int i = 0; i < 50; i++) {
            assertEquals("m" + i, receiveText(consumer));
        }
    }

    @Test
    @DisplayName("JMS 3.1 §6.2.9.1: order holds per delivery mode: non-persistent and persistent messages keep their own send order")
    void orderPerDeliveryMode() throws Exception {
        Session s = connection().createSession();
        MessageProducer p = s.createProducer(topic);
        MessageConsumer consumer = started().createSession().createConsumer(topic);
        for (int i = 0; i < 20; i++) {
            p.setDeliveryMode(i % 2 == 0 ? DeliveryMode.PERSISTENT : DeliveryMode.NON_PERSISTENT);
            p.send(s.createTextMessage("m" + i));
        }
        int lastEven = -2;
        int lastOdd = -1;
        for (int i = 0; i < 20; i++) {
            int n = Integer.parseInt(receiveText(consumer).substring(1));
            if (n % 2 == 0) {
                assertTrue(n > lastEven, "persistent order");
                lastEven = n;
            } else {
                assertTrue(n > lastOdd, "non-persistent order");
                lastOdd = n;
            }
        }
    }

    @Test
    @DisplayName("JMS 3.1 §6.2.9.1: a higher priority may overtake, equal priorities keep send order")
    void priorityOrder() throws Exception {
        Session s = connection().createSession();
        MessageProducer p = s.createProducer(queue);
        for (int i = 0; i < 10; i++) {
            p.send(s.createTextMessage("low" + i), DeliveryMode.PERSISTENT, 1, 0);
        }
        for (int i = 0; i < 10; i++) {
            p.send(s.createTextMessage("high" + i), DeliveryMode.PERSISTENT, 9, 0);
        }
        MessageConsumer consumer = started().createSession().createConsumer(queue);
        int low = 0;
        int high = 0;
        for (int i = 0; i < 20; i++) {
            String t = receiveText(consumer);
            if (t.startsWith("low")) {
                assertEquals("low" + low++, t);
            } else {
                assertEquals("high" + high++, t);
            }
        }
    }

    @Test
    @DisplayName("JMS 3.1 §6.2.13: a session delivers to its listeners serially, never two onMessage calls at once")
    void serialExecutionOfListeners() throws Exception {
        Session s = started().createSession();
        AtomicInteger running = new AtomicInteger();
        AtomicInteger maxRunning = new AtomicInteger();
        CountDownLatch all = new CountDownLatch(40);
        jakarta.jms.MessageListener l = m -> {
            maxRunning.accumulateAndGet(running.incrementAndGet(), Math::max);
            Thread.yield();
            running.decrementAndGet();
            all.countDown();
        };
        s.createConsumer(queue).setMessageListener(l);
        s.createConsumer(queue2).setMessageListener(l);
        Session ps = connection().createSession();
        MessageProducer p = ps.createProducer(null);
        for (int i = 0; i < 20; i++) {
            p.send(queue, ps.createTextMessage("a"));
            p.send(queue2, ps.createTextMessage("b"));
        }
        assertTrue(all.await(TIMEOUT, TimeUnit.MILLISECONDS));
        assertEquals(1, maxRunning.get());
    }

    @Test
    @DisplayName("JMS 3.1 §6.2.14: sessions of one connection deliver concurrently and independently")
    void sessionsIndependent() throws Exception {
        Connection c = started();
        Session a = c.createSession();
        Session b = c.createSession();
        CountDownLatch blockedInA = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        a.createConsumer(queue).setMessageListener(m -> {
            blockedInA.countDown();
            try {
                release.await(TIMEOUT, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        sendTexts(queue, "blocks a");
        assertTrue(blockedInA.await(TIMEOUT, TimeUnit.MILLISECONDS));
        sendTexts(queue2, "for b");
        Message m = b.createConsumer(queue2).receive(TIMEOUT);
        release.countDown();
        assertEquals("for b", text(m), "session b must not wait for session a's listener");
    }

    @Test
    @DisplayName("JMS 3.1 §6.2.11 / §3.4.7: messages not acknowledged when a session closes are redelivered, flagged JMSRedelivered")
    void duplicateDeliveryIsFlagged() throws Exception {
        sendTexts(queue, "once");
        Connection c = started();
        Session client = c.createSession(false, Session.CLIENT_ACKNOWLEDGE);
        Message first = client.createConsumer(queue).receive(TIMEOUT);
        assertFalse(first.getJMSRedelivered());
        client.close();
        Message again = c.createSession().createConsumer(queue).receive(TIMEOUT);
        assertNotNull(again);
        assertEquals(first.getJMSMessageID(), again.getJMSMessageID());
        assertTrue(again.getJMSRedelivered());
        assertEquals(2, again.getIntProperty("JMSXDeliveryCount"));
    }

    @Test
    @DisplayName("JMS 3.1 §6.2.9.2: messages sent in a transacted session become visible in send order at commit")
    void orderOfTransactedSends() throws Exception {
        Session tx = connection().createSession(Session.SESSION_TRANSACTED);
        MessageProducer p = tx.createProducer(queue);
        List<String> sent = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            sent.add("t" + i);
            p.send(tx.createTextMessage("t" + i));
        }
        tx.commit();
        MessageConsumer consumer = started().createSession().createConsumer(queue);
        List<String> got = Collections.synchronizedList(new ArrayList<>());
        for (int i = 0; i < 10; i++) {
            got.add(receiveText(consumer));
        }
        assertEquals(sent, got);
    }
}
