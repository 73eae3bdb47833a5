package io.keel.jms;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.keel.broker.Broker;
import io.keel.broker.config.BrokerConfig;
import jakarta.jms.CompletionListener;
import jakarta.jms.Connection;
import jakarta.jms.DeliveryMode;
import jakarta.jms.IllegalStateException;
import jakarta.jms.InvalidClientIDException;
import jakarta.jms.InvalidDestinationException;
import jakarta.jms.InvalidSelectorException;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Queue;
import jakarta.jms.QueueBrowser;
import jakarta.jms.Session;
import jakarta.jms.TemporaryQueue;
import jakarta.jms.TextMessage;
import jakarta.jms.Topic;

/** The classic API against an in-process broker, through the name server as the README's URL does. */
class JmsClientTest {

    @TempDir
    Path dir;
    private Broker broker;
    private KeelConnectionFactory factory;
    private final List<Connection> connections = new ArrayList<>();

    @BeforeEach
    void start() {
        broker = Broker.start(BrokerConfig.defaults().set("dataDir", dir.toString()).set("brokerPort", "0")
                .set("nameServerPort", "0").set("segmentSize", "4m").set("maxMessageSize", "1m").set("ioThreads", "2"));
        factory = new KeelConnectionFactory("keel://127.0.0.1:" + broker.brokerPort());
    }

    @AfterEach
    void stop() throws Exception {
        for (Connection c : connections) {
            c.close();
        }
        broker.close();
    }

    private Connection connect() throws Exception {
        Connection c = factory.createConnection();
        connections.add(c);
        return c;
    }

    private static TextMessage text(Session s, String body) throws Exception {
        return s.createTextMessage(body);
    }

    @Test
    void aConsumerOfAStoppedConnectionTakesNothingFromOthers() throws Exception {
        Connection stopped = connect();
        Session ss = stopped.createSession(false, Session.AUTO_ACKNOWLEDGE);
        Queue q = ss.createQueue("stopped.consumer");
        MessageConsumer idle = ss.createConsumer(q); // its connection never starts
        Connection running = connect();
        running.start();
        Session rs = running.createSession(false, Session.AUTO_ACKNOWLEDGE);
        MessageConsumer active = rs.createConsumer(q);
        MessageProducer p = rs.createProducer(q);
        for (int i = 0; i < 3; i++) {
            p.send(text(rs, "m" + i));
        }
        for (int i = 0; i < 3; i++) {
            Message m = active.receive(5_000);
            assertNotNull(m, "message " + i + " reached the consumer that can take it");
            assertEquals("m" + i, ((TextMessage) m).getText());
        }
        assertNull(idle.receiveNoWait());
        p.send(text(rs, "later"));
        active.close();
        stopped.start();
        Message m = idle.receive(5_000);
        assertNotNull(m, "once started it gets its credit");
        assertEquals("later", ((TextMessage) m).getText());
    }

    @Test
    void messagesArrivingOneAtATimeGoRoundTheSharedConsumers() throws Exception {
        Connection c = connect();
        c.start();
        Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
        Topic t = s.createTopic("shared.rotation");
        MessageConsumer first = s.createSharedConsumer(t, "rot");
        MessageConsumer second = s.createSharedConsumer(t, "rot");
        MessageProducer p = s.createProducer(t);
        for (int i = 0; i < 4; i++) {
            p.send(text(s, "m" + i));
            MessageConsumer expected = i % 2 == 0 ? first : second;
            MessageConsumer other = i % 2 == 0 ? second : first;
            Message m = expected.receive(5_000);
            assertNotNull(m, "message " + i + " went to the consumer whose turn it is");
            assertEquals("m" + i, ((TextMessage) m).getText());
            assertNull(other.receiveNoWait());
        }
    }

    @Test
    void nonPersistentSendsAreNotWaitedForAndAFailureSurfacesAtTheNextSend() throws Exception {
        Connection c = connect();
        Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
        Queue q = s.createQueue("np.window");
        MessageProducer p = s.createProducer(q);
        p.setDeliveryMode(DeliveryMode.NON_PERSISTENT);
        for (int i = 0; i < 3000; i++) { // three times the window: the producer waits for the oldest beyond it
            p.send(text(s, "n" + i));
        }
        c.start();
        MessageConsumer consumer = s.createConsumer(q);
        for (int i = 0; i < 3000; i++) {
            Message m = consumer.receive(5_000);
            assertNotNull(m, "message " + i);
            assertEquals("n" + i, ((TextMessage) m).getText());
        }
        TemporaryQueue gone = s.createTemporaryQueue();
        MessageProducer toGone = s.createProducer(gone);
        toGone.setDeliveryMode(DeliveryMode.NON_PERSISTENT);
        gone.delete();
        toGone.send(text(s, "lost")); // not waited for: the refusal arrives later
        InvalidDestinationException e = assertThrows(InvalidDestinationException.class, () -> {
            for (int i = 0; i < 1000; i++) { // the answer may take a moment; the next sends report it
                p.send(text(s, "after"));
            }
        });
        assertTrue(e.getMessage().contains("not waited for"), e.getMessage());
    }

    @Test
    void messagesOfOneSessionArriveInSendOrderAcrossItsProducers() throws Exception {
        Connection c = connect();
        Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
        Queue q = s.createQueue("order.session");
        MessageProducer a = s.createProducer(q);
        MessageProducer b = s.createProducer(null);
        for (int i = 0; i < 200; i++) {
            if (i % 3 == 0) {
                b.send(q, text(s, "m" + i));
            } else {
                a.send(text(s, "m" + i));
            }
        }
        c.start();
        MessageConsumer consumer = s.createConsumer(q);
        for (int i = 0; i < 200; i++) {
            Message m = consumer.receive(5_000);
            assertNotNull(m, "message " + i);
            assertEquals("m" + i, ((TextMessage) m).getText(), "the specification orders a session's messages");
        }
    }

    @Test
    void sendAndReceiveWithHeaders() throws Exception {
        Connection c = connect();
        Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
        Queue q = s.createQueue("orders");
        MessageProducer p = s.createProducer(q);
        TextMessage sent = text(s, "hello");
        sent.setStringProperty("region", "EU");
        p.send(sent);
        assertNotNull(sent.getJMSMessageID());
        assertTrue(sent.getJMSMessageID().startsWith("ID:"));
        c.start();
        MessageConsumer consumer = s.createConsumer(q);
        TextMessage got = (TextMessage) consumer.receive(10_000);
        assertEquals("hello", got.getText());
        assertEquals("EU", got.getStringProperty("region"));
        assertEquals(sent.getJMSMessageID(), got.getJMSMessageID());
        assertEquals(q, got.getJMSDestination());
        assertEquals(DeliveryMode.PERSISTENT, got.getJMSDeliveryMode());
        assertEquals(1, got.getIntProperty("JMSXDeliveryCount"));
        assertFalse(got.getJMSRedelivered());
        assertNull(consumer.receiveNoWait());
    }

    @Test
    void theNameServerUrlFindsTheBroker() throws Exception {
        KeelConnectionFactory viaNameServer = new KeelConnectionFactory("keel://127.0.0.1:" + broker.nameServerPort());
        try (Connection c = viaNameServer.createConnection()) {
            Session s = c.createSession();
            s.createProducer(s.createQueue("ns")).send(s.createTextMessage("routed"));
            c.start();
            assertEquals("routed", ((TextMessage) s.createConsumer(s.createQueue("ns")).receive(10_000)).getText());
        }
    }

    @Test
    void listenersRunOnTheSessionThreadInOrder() throws Exception {
        Connection c = connect();
        Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
        Queue q = s.createQueue("listened");
        List<String> got = Collections.synchronizedList(new ArrayList<>());
        CountDownLatch all = new CountDownLatch(20);
        s.createConsumer(q).setMessageListener(m -> {
            try {
                got.add(((TextMessage) m).getText());
            } catch (Exception e) {
                throw new RuntimeException(e);
            }
            all.countDown();
        });
        Session ps = c.createSession();
        MessageProducer p = ps.createProducer(q);
        for (int i = 0; i < 20; i++) {
            p.send(ps.createTextMessage("m" + i));
        }
        c.start();
        assertTrue(all.await(10, TimeUnit.SECONDS));
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            expected.add("m" + i);
        }
        assertEquals(expected, got);
    }

    @Test
    void transactedSendsAndReceives() throws Exception {
        Connection c = connect();
        c.start();
        Session tx = c.createSession(true, Session.SESSION_TRANSACTED);
        Queue q = tx.createQueue("tx");
        MessageProducer p = tx.createProducer(q);
        p.send(tx.createTextMessage("t1"));
        p.send(tx.createTextMessage("t2"));
        Session plain = c.createSession();
        plain.createProducer(q).send(plain.createTextMessage("plain"));
        MessageConsumer reader = plain.createConsumer(q);
        assertEquals("plain", ((TextMessage) reader.receive(10_000)).getText(),
                "the uncommitted sends, sent first, are not visible");
        reader.close(); // before the commit: it must not prefetch t1 and t2
        tx.commit();

        MessageConsumer consumer = tx.createConsumer(q);
        assertEquals("t1", ((TextMessage) consumer.receive(10_000)).getText());
        assertEquals("t2", ((TextMessage) consumer.receive(10_000)).getText());
        tx.rollback();
        Message again = consumer.receive(10_000);
        assertEquals("t1", ((TextMessage) again).getText());
        assertTrue(again.getJMSRedelivered());
        assertEquals(2, again.getIntProperty("JMSXDeliveryCount"));
        assertEquals("t2", ((TextMessage) consumer.receive(10_000)).getText());
        tx.commit();
        consumer.close();
        plain.createProducer(q).send(plain.createTextMessage("marker"));
        MessageConsumer after = plain.createConsumer(q);
        assertEquals("marker", ((TextMessage) after.receive(10_000)).getText(),
                "committed messages are consumed: the marker sent after them comes first");
        assertThrows(IllegalStateException.class, plain::commit, "commit on a non-transacted session");
    }

    @Test
    void clientAcknowledgeAndRecover() throws Exception {
        Connection c = connect();
        c.start();
        Session s = c.createSession(false, Session.CLIENT_ACKNOWLEDGE);
        Queue q = s.createQueue("client");
        MessageProducer p = s.createProducer(q);
        p.send(s.createTextMessage("a"));
        p.send(s.createTextMessage("b"));
        MessageConsumer consumer = s.createConsumer(q);
        consumer.receive(10_000);
        consumer.receive(10_000);
        s.recover();
        Message a = consumer.receive(10_000);
        assertEquals("a", ((TextMessage) a).getText());
        assertTrue(a.getJMSRedelivered());
        Message b = consumer.receive(10_000);
        b.acknowledge(); // acknowledges a and b
        consumer.close();
        p.send(s.createTextMessage("marker"));
        Message next = s.createConsumer(q).receive(10_000);
        assertEquals("marker", ((TextMessage) next).getText(), "a and b were acknowledged: the marker comes first");
        next.acknowledge();
    }

    @Test
    void durableSubscriptionKeepsMessagesWhileOffline() throws Exception {
        Connection c = factory.createConnection();
        connections.add(c);
        c.setClientID("subscriber-1");
        Session s = c.createSession();
        Topic t = s.createTopic("news");
        MessageConsumer sub = s.createDurableSubscriber(t, "daily");
        sub.close();
        s.createProducer(t).send(s.createTextMessage("while away"));
        c.start();
        MessageConsumer back = s.createDurableSubscriber(t, "daily");
        assertEquals("while away", ((TextMessage) back.receive(10_000)).getText());
        assertThrows(IllegalStateException.class, () -> s.unsubscribe("daily"), "it has an active consumer");
        back.close();
        s.unsubscribe("daily");
    }

    @Test
    void temporaryQueueRequestReply() throws Exception {
        Connection c = connect();
        c.start();
        Session s = c.createSession();
        TemporaryQueue replies = s.createTemporaryQueue();
        Queue requests = s.createQueue("requests");
        Session server = c.createSession();
        MessageConsumer serve = server.createConsumer(requests);
        TextMessage request = s.createTextMessage("ping");
        request.setJMSReplyTo(replies);
        s.createProducer(requests).send(request);
        Message r = serve.receive(10_000);
        server.createProducer(r.getJMSReplyTo()).send(server.createTextMessage("pong"));
        MessageConsumer replyConsumer = s.createConsumer(replies);
        assertEquals("pong", ((TextMessage) replyConsumer.receive(10_000)).getText());
        assertThrows(jakarta.jms.JMSException.class, replies::delete, "delete with an active consumer fails");
        replyConsumer.close();
        replies.delete();
    }

    @Test
    void browsingShowsWithoutConsuming() throws Exception {
        Connection c = connect();
        Session s = c.createSession();
        Queue q = s.createQueue("browsed");
        MessageProducer p = s.createProducer(q);
        for (int i = 0; i < 5; i++) {
            TextMessage m = s.createTextMessage("b" + i);
            m.setIntProperty("n", i);
            p.send(m);
        }
        QueueBrowser browser = s.createBrowser(q, "n >= 3");
        List<String> seen = new ArrayList<>();
        for (java.util.Enumeration<?> e = browser.getEnumeration(); e.hasMoreElements(); ) {
            seen.add(((TextMessage) e.nextElement()).getText());
        }
        assertEquals(List.of("b3", "b4"), seen);
        c.start();
        assertEquals("b0", ((TextMessage) s.createConsumer(q).receive(10_000)).getText());
    }

    @Test
    void errorsAreTheRightJmsExceptions() throws Exception {
        Connection c = connect();
        Session s = c.createSession();
        assertThrows(InvalidSelectorException.class, () -> s.createConsumer(s.createQueue("q"), "a = = 1"));
        assertThrows(InvalidDestinationException.class, () -> s.createConsumer(null));
        KeelConnectionFactory fixed = new KeelConnectionFactory("keel://127.0.0.1:" + broker.brokerPort()
                + "?clientId=only-one");
        try (Connection first = fixed.createConnection()) {
            assertEquals("only-one", first.getClientID());
            assertThrows(InvalidClientIDException.class, fixed::createConnection);
        }
        for (int i = 0; i < 50; i++) { // free again as soon as close() returns (the TCK reconnects at once)
            try (Connection again = fixed.createConnection()) {
                assertEquals("only-one", again.getClientID());
            }
        }
        s.close();
        assertThrows(IllegalStateException.class, s::createTextMessage, "a closed session");
        s.close(); // close is idempotent
        assertThrows(IllegalArgumentException.class, () -> new KeelConnectionFactory("keel://host:99999"));
    }

    @Test
    void asynchronousSendsCompleteInOrder() throws Exception {
        Connection c = connect();
        Session s = c.createSession();
        MessageProducer p = s.createProducer(s.createQueue("async"));
        LinkedBlockingQueue<String> done = new LinkedBlockingQueue<>();
        for (int i = 0; i < 50; i++) {
            p.send(s.createTextMessage("a" + i), new CompletionListener() {
                @Override
                public void onCompletion(Message message) {
                    try {
                        done.add(((TextMessage) message).getText());
                    } catch (Exception e) {
                        done.add("error " + e);
                    }
                }

                @Override
                public void onException(Message message, Exception exception) {
                    done.add("failed " + exception);
                }
            });
        }
        for (int i = 0; i < 50; i++) {
            assertEquals("a" + i, done.poll(10, TimeUnit.SECONDS));
        }
    }

    @Test
    void jndiBindsFactoriesAndDestinations() throws Exception {
        java.util.Hashtable<String, String> env = new java.util.Hashtable<>();
        env.put(javax.naming.Context.INITIAL_CONTEXT_FACTORY, "io.keel.jms.jndi.KeelInitialContextFactory");
        env.put(javax.naming.Context.PROVIDER_URL, "keel://127.0.0.1:" + broker.brokerPort());
        env.put("connectionFactory.MyConnectionFactory", "");
        env.put("queue.MY_QUEUE", "jndi.queue");
        env.put("topic.MY_TOPIC", "jndi.topic");
        javax.naming.Context ctx = new javax.naming.InitialContext(env);
        jakarta.jms.ConnectionFactory cf = (jakarta.jms.ConnectionFactory) ctx.lookup("MyConnectionFactory");
        Queue q = (Queue) ctx.lookup("MY_QUEUE");
        assertEquals("jndi.queue", q.getQueueName());
        assertInstanceOf(Topic.class, ctx.lookup("MY_TOPIC"));
        assertThrows(javax.naming.NameNotFoundException.class, () -> ctx.lookup("nothing"));
        try (Connection conn = cf.createConnection()) {
            Session s = conn.createSession();
            s.createProducer(q).send(s.createTextMessage("via jndi"));
            conn.start();
            assertEquals("via jndi", ((TextMessage) s.createConsumer(q).receive(10_000)).getText());
        }
    }
}
