package io.keel.jms.failover;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.keel.broker.Broker;
import io.keel.broker.config.BrokerConfig;
import io.keel.jms.KeelConnectionFactory;
import io.keel.jms.KeelXAConnectionFactory;
import jakarta.jms.XAConnection;
import jakarta.jms.XASession;
import javax.transaction.xa.XAException;
import javax.transaction.xa.XAResource;
import javax.transaction.xa.Xid;
import jakarta.jms.CompletionListener;
import jakarta.jms.Connection;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Queue;
import jakarta.jms.QueueBrowser;
import jakarta.jms.Session;
import jakarta.jms.TemporaryQueue;
import jakarta.jms.TextMessage;
import jakarta.jms.Topic;
import jakarta.jms.TransactionRolledBackException;

/**
 * Failover of the JMS client (issue text: "on connection loss the client re-resolves routes and
 * reconnects with backoff; producers retry sends that are safe to retry; consumers re-subscribe;
 * in-doubt transactions fail with TransactionRolledBackException; the ExceptionListener is told when
 * reconnection gives up"). The client reaches the broker through a TCP relay the test can cut, make
 * withhold answers, refuse, or point at a restarted broker.
 */
class FailoverTest {

    @TempDir
    Path dir;
    private Broker broker;
    private TcpProxy proxy;
    private final List<Connection> connections = new ArrayList<>();

    private BrokerConfig config() {
        return BrokerConfig.defaults().set("dataDir", dir.toString()).set("brokerPort", "0").set("nameServerPort", "0")
                .set("segmentSize", "4m").set("maxMessageSize", "1m").set("ioThreads", "2");
    }

    @BeforeEach
    void start() throws Exception {
        broker = Broker.start(config());
        proxy = new TcpProxy(broker.brokerPort());
    }

    @AfterEach
    void stop() throws Exception {
        for (Connection c : connections) {
            c.close();
        }
        proxy.close();
        broker.close();
    }

    /** A connection through the relay, with the given URL options. */
    private Connection viaProxy(String options) throws Exception {
        Connection c = new KeelConnectionFactory("keel://127.0.0.1:" + proxy.port() + "?reconnectDelay=50"
                + (options.isEmpty() ? "" : "&" + options)).createConnection();
        connections.add(c);
        return c;
    }

    /** A connection straight to the broker (the test's own view). */
    private Connection direct() throws Exception {
        Connection c = new KeelConnectionFactory("keel://127.0.0.1:" + broker.brokerPort()).createConnection();
        connections.add(c);
        return c;
    }

    private void restartBroker() {
        broker.close();
        broker = Broker.start(config());
        proxy.target(broker.brokerPort());
    }

    private static void await(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting until " + what);
            }
            Thread.sleep(10); // polling interval of the condition, not a synchronisation
        }
    }

    private int browse(Queue q) throws Exception {
        Connection c = direct();
        try (Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE); QueueBrowser b = s.createBrowser(q)) {
            int n = 0;
            for (Enumeration<?> e = b.getEnumeration(); e.hasMoreElements(); e.nextElement()) {
                n++;
            }
            return n;
        }
    }

    private static List<String> receiveAll(Session s, Queue q, int expected) throws Exception {
        List<String> texts = new ArrayList<>();
        try (MessageConsumer c = s.createConsumer(q)) {
            for (int i = 0; i < expected; i++) {
                Message m = c.receive(10_000);
                assertNotNull(m, "message " + i + " of " + expected);
                texts.add(((TextMessage) m).getText());
            }
            assertNull(c.receive(300), "nothing beyond the " + expected + " expected messages");
        }
        return texts;
    }

    @Test
    void sendsWhoseAnswersWereLostAreResentAndStoredOnce() throws Exception {
        Connection c = viaProxy("");
        Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
        Queue q = s.createQueue("fo.resend");
        MessageProducer p = s.createProducer(q);
        p.send(s.createTextMessage("before"));
        proxy.withholdReplies(true);
        List<String> completed = Collections.synchronizedList(new ArrayList<>());
        CountDownLatch done = new CountDownLatch(5);
        for (int i = 0; i < 5; i++) {
            p.send(s.createTextMessage("async-" + i), new CompletionListener() {
                @Override
                public void onCompletion(Message m) {
                    try {
                        completed.add(((TextMessage) m).getText());
                    } catch (JMSException e) {
                        throw new IllegalStateException(e);
                    }
                    done.countDown();
                }

                @Override
                public void onException(Message m, Exception e) {
                    completed.add("failed: " + e);
                    done.countDown();
                }
            });
        }
        await(() -> {
            try {
                return browse(q) == 6;
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }, "the broker stored the five sends whose answers are withheld");
        assertEquals(5, done.getCount(), "no answer reached the client yet");
        proxy.withholdReplies(false);
        proxy.cut();
        assertTrue(done.await(20, TimeUnit.SECONDS), "the resent sends were confirmed");
        assertEquals(List.of("async-0", "async-1", "async-2", "async-3", "async-4"), completed, "in send order");
        p.send(s.createTextMessage("after"));
        Connection reader = direct();
        reader.start();
        assertEquals(List.of("before", "async-0", "async-1", "async-2", "async-3", "async-4", "after"),
                receiveAll(reader.createSession(false, Session.AUTO_ACKNOWLEDGE), q, 7), "stored once each, in order");
    }

    @Test
    void producerAndListenerCarryOnAcrossABrokerRestart() throws Exception {
        Connection pc = viaProxy("");
        Connection cc = viaProxy("");
        Session ps = pc.createSession(false, Session.AUTO_ACKNOWLEDGE);
        Queue q = ps.createQueue("fo.restart");
        MessageProducer p = ps.createProducer(q);
        Set<String> received = Collections.synchronizedSet(new HashSet<>());
        List<String> unflaggedRepeats = Collections.synchronizedList(new ArrayList<>());
        Session cs = cc.createSession(false, Session.AUTO_ACKNOWLEDGE);
        cs.createConsumer(q).setMessageListener(m -> {
            try {
                String t = ((TextMessage) m).getText();
                if (!received.add(t) && !m.getJMSRedelivered()) {
                    unflaggedRepeats.add(t);
                }
            } catch (JMSException e) {
                throw new IllegalStateException(e);
            }
        });
        cc.start();
        AtomicReference<Exception> producerFailure = new AtomicReference<>();
        int total = 400;
        Thread producer = new Thread(() -> {
            try {
                for (int i = 0; i < total; i++) {
                    p.send(ps.createTextMessage("m" + i));
                }
            } catch (Exception e) {
                producerFailure.set(e);
            }
        });
        producer.start();
        await(() -> received.size() >= 100, "a quarter is through");
        restartBroker();
        producer.join(60_000);
        assertNull(producerFailure.get(), "no send failed across the restart");
        await(() -> received.size() == total, "every message arrived (" + received.size() + " so far)");
        assertEquals(List.of(), unflaggedRepeats, "a message seen twice is marked redelivered");
    }

    @Test
    void aTransactionCutByTheFailoverRollsBackAndTheNextOneCommits() throws Exception {
        Connection c = viaProxy("");
        Session s = c.createSession(true, Session.SESSION_TRANSACTED);
        Queue q = s.createQueue("fo.txn");
        MessageProducer p = s.createProducer(q);
        p.send(s.createTextMessage("lost-1"));
        p.send(s.createTextMessage("lost-2"));
        proxy.cut();
        TransactionRolledBackException e = assertThrows(TransactionRolledBackException.class, s::commit);
        assertTrue(e.getMessage().contains("connection to the broker was lost"), e.getMessage());
        // As an application does: redo the transaction until it commits (the first try may still meet the
        // old connection if the loss is noticed only after the rollback above).
        int tries = 0;
        while (true) {
            tries++;
            p.send(s.createTextMessage("kept"));
            try {
                s.commit();
                break;
            } catch (TransactionRolledBackException again) {
                assertTrue(tries < 3, "the transaction commits once the connection is back: " + again.getMessage());
            }
        }
        Connection reader = direct();
        reader.start();
        assertEquals(List.of("kept"), receiveAll(reader.createSession(false, Session.AUTO_ACKNOWLEDGE), q, 1));
    }

    @Test
    void receivedMessagesOfACutTransactionComeBackRedelivered() throws Exception {
        Connection d = direct();
        Session ds = d.createSession(false, Session.AUTO_ACKNOWLEDGE);
        Queue q = ds.createQueue("fo.txnrecv");
        ds.createProducer(q).send(ds.createTextMessage("work"));
        Connection c = viaProxy("");
        c.start();
        Session s = c.createSession(true, Session.SESSION_TRANSACTED);
        MessageConsumer consumer = s.createConsumer(q);
        Message first = consumer.receive(10_000);
        assertEquals("work", ((TextMessage) first).getText());
        assertFalse(first.getJMSRedelivered());
        proxy.cut();
        assertThrows(TransactionRolledBackException.class, s::commit);
        Message again = consumer.receive(10_000);
        assertNotNull(again, "the consumer subscribed again and got the message back");
        assertEquals("work", ((TextMessage) again).getText());
        assertTrue(again.getJMSRedelivered());
        s.commit();
        assertEquals(0, browse(q));
    }

    @Test
    void durableSubscriberAndTemporaryQueueComeBackAfterACut() throws Exception {
        Connection c = viaProxy("clientId=fo-client");
        Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
        Topic t = s.createTopic("fo.topic");
        MessageConsumer durable = s.createDurableSubscriber(t, "fo-sub");
        TemporaryQueue reply = s.createTemporaryQueue();
        MessageConsumer replies = s.createConsumer(reply);
        c.start();
        proxy.cut();
        Connection d = direct();
        Session ds = d.createSession(false, Session.AUTO_ACKNOWLEDGE);
        // Published once the client is back (the durable subscription keeps it either way).
        ds.createProducer(t).send(ds.createTextMessage("news"));
        Message m = durable.receive(20_000);
        assertNotNull(m, "the durable subscriber is subscribed again");
        assertEquals("news", ((TextMessage) m).getText());
        s.createProducer(reply).send(s.createTextMessage("pong"));
        Message r = replies.receive(10_000);
        assertNotNull(r, "the temporary queue was taken back under its name");
        assertEquals("pong", ((TextMessage) r).getText());
        assertEquals(reply.getQueueName(), ((Queue) r.getJMSDestination()).getQueueName());
    }

    private record Branch(int getFormatId, byte[] getGlobalTransactionId, byte[] getBranchQualifier) implements Xid {
    }

    @Test
    void anXaBranchCutByTheFailoverCannotCommit() throws Exception {
        XAConnection c = new KeelXAConnectionFactory("keel://127.0.0.1:" + proxy.port() + "?reconnectDelay=50")
                .createXAConnection();
        connections.add(c);
        XASession s = c.createXASession();
        Queue q = s.createQueue("fo.xa");
        MessageProducer p = s.getSession().createProducer(q);
        XAResource xa = s.getXAResource();
        Xid xid = new Branch(1, "fo-gtrid".getBytes(), "fo-bqual".getBytes());
        xa.start(xid, XAResource.TMNOFLAGS);
        p.send(s.createTextMessage("in-branch"));
        xa.end(xid, XAResource.TMSUCCESS);
        proxy.cut();
        // A send of another session of the connection returns once the connection is back.
        Session other = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
        other.createProducer(other.createQueue("fo.xa.other")).send(other.createTextMessage("probe"));
        XAException e = assertThrows(XAException.class, () -> xa.commit(xid, true));
        assertTrue(e.errorCode >= XAException.XA_RBBASE && e.errorCode <= XAException.XA_RBEND,
                "a rollback code, not " + e.errorCode + ": " + e.getMessage());
        Xid next = new Branch(1, "fo-gtrid-2".getBytes(), "fo-bqual".getBytes());
        xa.start(next, XAResource.TMNOFLAGS);
        p.send(s.createTextMessage("after"));
        xa.end(next, XAResource.TMSUCCESS);
        xa.commit(next, true);
        Connection reader = direct();
        reader.start();
        assertEquals(List.of("after"), receiveAll(reader.createSession(false, Session.AUTO_ACKNOWLEDGE), q, 1),
                "the cut branch's message was never delivered");
    }

    @Test
    void theExceptionListenerIsToldWhenReconnectionGivesUp() throws Exception {
        Connection c = viaProxy("reconnectTimeout=700&maxReconnectDelay=100");
        BlockingQueue<JMSException> told = new ArrayBlockingQueue<>(4);
        c.setExceptionListener(told::add);
        Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
        MessageProducer p = s.createProducer(s.createQueue("fo.gone"));
        proxy.refuse(true);
        proxy.cut();
        JMSException e = told.poll(20, TimeUnit.SECONDS);
        assertNotNull(e, "the ExceptionListener was called");
        assertEquals("CONNECTION_LOST", e.getErrorCode());
        assertTrue(e.getMessage().contains("reconnection attempts"), e.getMessage());
        JMSException sendFailure = assertThrows(JMSException.class, () -> p.send(s.createTextMessage("x")));
        assertTrue(sendFailure.getMessage().contains("lost"), sendFailure.getMessage());
        assertNull(told.poll(200, TimeUnit.MILLISECONDS), "told once");
    }

    @Test
    void withReconnectionOffTheLossIsReportedAtOnce() throws Exception {
        Connection c = viaProxy("reconnectTimeout=0");
        BlockingQueue<JMSException> told = new ArrayBlockingQueue<>(4);
        c.setExceptionListener(told::add);
        Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
        proxy.cut();
        JMSException e = told.poll(10, TimeUnit.SECONDS);
        assertNotNull(e);
        assertEquals("CONNECTION_LOST", e.getErrorCode());
        assertFalse(e.getMessage().contains("reconnection attempts"), "no reconnection was tried: " + e.getMessage());
        JMSException after = assertThrows(JMSException.class, () -> s.createProducer(null));
        assertEquals("CONNECTION_LOST", after.getErrorCode());
    }
}
