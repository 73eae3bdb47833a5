package io.keel.jms;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.keel.broker.Broker;
import io.keel.broker.config.BrokerConfig;
import jakarta.jms.Connection;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Queue;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;

/**
 * Acknowledgement details: CLIENT_ACKNOWLEDGE covers messages of consumers closed before
 * acknowledge(); prefetched messages the application never saw come back uncounted and in order
 * after recover, rollback or a consumer's close.
 */
class AcknowledgementTest {

    @TempDir
    Path dir;
    private Broker broker;
    private Connection connection;

    @BeforeEach
    void start() throws Exception {
        broker = Broker.start(BrokerConfig.defaults().set("dataDir", dir.toString()).set("brokerPort", "0")
                .set("nameServerPort", "0").set("segmentSize", "4m").set("maxMessageSize", "1m").set("ioThreads", "2"));
        connection = new KeelConnectionFactory("keel://127.0.0.1:" + broker.brokerPort()).createConnection();
        connection.start();
    }

    @AfterEach
    void stop() throws Exception {
        connection.close();
        broker.close();
    }

    private static void send(Session s, Queue q, String... texts) throws Exception {
        MessageProducer p = s.createProducer(q);
        for (String t : texts) {
            p.send(s.createTextMessage(t));
        }
        p.close();
    }

    private record Got(String text, boolean redelivered) {
    }

    /** Receives until the marker "end" (sent last), so absence is proven without a timeout. */
    private static List<Got> untilEnd(MessageConsumer c) throws Exception {
        List<Got> got = new ArrayList<>();
        while (true) {
            Message m = c.receive(10_000);
            assertNotNull(m, "the marker arrives");
            String t = ((TextMessage) m).getText();
            if (t.equals("end")) {
                return got;
            }
            got.add(new Got(t, m.getJMSRedelivered()));
        }
    }

    @Test
    void acknowledgeCoversMessagesOfAConsumerClosedBefore() throws Exception {
        Session s = connection.createSession(false, Session.CLIENT_ACKNOWLEDGE);
        Queue q = s.createQueue("ack.closed");
        send(s, q, "a", "b");
        MessageConsumer first = s.createConsumer(q);
        first.receive(5_000);
        Message last = first.receive(5_000);
        first.close();
        last.acknowledge();
        Session other = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
        send(other, q, "end");
        assertEquals(List.of(), untilEnd(other.createConsumer(q)), "acknowledged, never redelivered");
    }

    @Test
    void recoverReturnsMessagesOfAClosedConsumerRedelivered() throws Exception {
        Session s = connection.createSession(false, Session.CLIENT_ACKNOWLEDGE);
        Queue q = s.createQueue("ack.closed.recover");
        send(s, q, "a", "b");
        MessageConsumer first = s.createConsumer(q);
        first.receive(5_000);
        first.receive(5_000);
        first.close();
        s.recover();
        send(s, q, "end");
        MessageConsumer again = s.createConsumer(q);
        List<Got> got = untilEnd(again);
        assertEquals(List.of(new Got("a", true), new Got("b", true)), got);
        again.receiveNoWait();
    }

    @Test
    void prefetchedMessagesOfAClosedConsumerComeBackUncounted() throws Exception {
        Session s = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
        Queue q = s.createQueue("ack.unseen");
        send(s, q, "m0", "m1", "m2", "m3", "end");
        MessageConsumer first = s.createConsumer(q);
        assertEquals("m0", ((TextMessage) first.receive(5_000)).getText());
        first.close(); // m1.. were prefetched, never seen
        assertEquals(List.of(new Got("m1", false), new Got("m2", false), new Got("m3", false)),
                untilEnd(s.createConsumer(q)));
    }

    @Test
    void afterRecoverTheUnacknowledgedComeFirstThenThePrefetchedInOrder() throws Exception {
        Session s = connection.createSession(false, Session.CLIENT_ACKNOWLEDGE);
        Queue q = s.createQueue("ack.recover.order");
        send(s, q, "m0", "m1", "m2", "m3", "end");
        MessageConsumer c = s.createConsumer(q);
        c.receive(5_000);
        c.receive(5_000);
        s.recover();
        List<Got> got = untilEnd(c);
        assertEquals(List.of(new Got("m0", true), new Got("m1", true), new Got("m2", false), new Got("m3", false)), got);
    }

    @Test
    void recoverWhileMessagesAreStillArrivingRestartsWithTheOldestInOrder() throws Exception {
        Session s = connection.createSession(false, Session.CLIENT_ACKNOWLEDGE);
        Queue q = s.createQueue("ack.recover.flow");
        MessageConsumer c = s.createConsumer(q);
        Session ps = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
        MessageProducer p = ps.createProducer(q);
        for (int i = 0; i < 500; i++) {
            p.send(ps.createTextMessage("m" + i));
        }
        for (int i = 0; i < 50; i++) { // the rest is prefetched or still on its way
            assertEquals("m" + i, ((TextMessage) c.receive(5_000)).getText());
        }
        s.recover();
        p.send(ps.createTextMessage("end"));
        List<Got> got = untilEnd(c);
        List<Got> expected = new ArrayList<>();
        for (int i = 0; i < 500; i++) {
            expected.add(new Got("m" + i, i < 50));
        }
        assertEquals(expected, got, "the oldest unacknowledged first, each once, only the seen ones marked redelivered");
    }

    @Test
    void afterRollbackTheReceivedComeFirstThenThePrefetchedInOrder() throws Exception {
        Session s = connection.createSession(true, Session.SESSION_TRANSACTED);
        Queue q = s.createQueue("ack.rollback.order");
        send(s, q, "m0", "m1", "m2", "m3", "end");
        s.commit();
        MessageConsumer c = s.createConsumer(q);
        c.receive(5_000);
        c.receive(5_000);
        s.rollback();
        List<Got> got = untilEnd(c);
        assertEquals(List.of(new Got("m0", true), new Got("m1", true), new Got("m2", false), new Got("m3", false)), got);
        s.commit();
    }

    @Test
    void recoverInsideAListenerRedeliversTheCurrentMessageFirst() throws Exception {
        Session s = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
        Queue q = s.createQueue("ack.recover.listener");
        send(s, q, "m0", "m1", "m2");
        List<Got> got = Collections.synchronizedList(new ArrayList<>());
        CountDownLatch done = new CountDownLatch(4);
        s.createConsumer(q).setMessageListener(m -> {
            try {
                got.add(new Got(((TextMessage) m).getText(), m.getJMSRedelivered()));
                if (got.size() == 1) {
                    s.recover();
                }
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
            done.countDown();
        });
        assertTrue(done.await(10, TimeUnit.SECONDS));
        assertEquals(List.of(new Got("m0", false), new Got("m0", true), new Got("m1", false), new Got("m2", false)),
                new ArrayList<>(got));
        assertFalse(got.size() > 4);
    }
}
