package io.keel.tck.connection;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import io.keel.tck.TckBase;
import jakarta.jms.Connection;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.ConnectionMetaData;
import jakarta.jms.ExceptionListener;
import jakarta.jms.IllegalStateException;
import jakarta.jms.InvalidClientIDException;
import jakarta.jms.JMSSecurityException;
import jakarta.jms.MessageConsumer;
import jakarta.jms.QueueConnection;
import jakarta.jms.QueueConnectionFactory;
import jakarta.jms.Session;
import jakarta.jms.TopicConnection;
import jakarta.jms.TopicConnectionFactory;

/** JMS 3.1 chapter 6.1: connections. */
class ConnectionTest extends TckBase {

    @Test
    @DisplayName("JMS 3.1 §6.1: the factory makes Connection, QueueConnection and TopicConnection objects, with and without credentials")
    void factoryMakesEveryConnectionKind() throws Exception {
        assertTrue(cf instanceof QueueConnectionFactory && cf instanceof TopicConnectionFactory,
                "an administered factory serves the legacy domain APIs too (§2.9)");
        QueueConnection qc = track(((QueueConnectionFactory) cf).createQueueConnection());
        TopicConnection tc = track(((TopicConnectionFactory) cf).createTopicConnection(USER, PASSWORD));
        Connection c = track(cf.createConnection(USER, PASSWORD));
        for (Connection each : List.of(qc, tc, c)) {
            each.createSession(false, Session.AUTO_ACKNOWLEDGE).createProducer(queue)
                    .send(each.createSession().createTextMessage("x"));
        }
        MessageConsumer consumer = started().createSession().createConsumer(queue);
        for (int i = 0; i < 3; i++) {
            assertEquals("x", receiveText(consumer));
        }
    }

    @Test
    @DisplayName("JMS 3.1 §6.1.1 / §10.3: a rejected user name/password must be JMSSecurityException")
    void badCredentialsAreJmsSecurityException() {
        assertThrows(JMSSecurityException.class, () -> track(cf.createConnection(USER, "wrong")));
        assertThrows(JMSSecurityException.class, () -> track(cf.createConnection("nobody", "x")));
    }

    @Test
    @DisplayName("JMS 3.1 §6.1.4: a new connection is stopped: no message is delivered until start()")
    void newConnectionIsStopped() throws Exception {
        sendTexts(queue, "early");
        Connection c = connection();
        MessageConsumer consumer = c.createSession().createConsumer(queue);
        assertNull(consumer.receive(ABSENT), "no delivery before start()");
        c.start();
        assertEquals("early", receiveText(consumer));
    }

    @Test
    @DisplayName("JMS 3.1 §6.1.4: a stopped connection can send")
    void stoppedConnectionSends() throws Exception {
        Connection c = connection();
        Session s = c.createSession();
        s.createProducer(queue).send(s.createTextMessage("sent while stopped"));
        assertEquals("sent while stopped", receiveText(started().createSession().createConsumer(queue)));
    }

    @Test
    @DisplayName("JMS 3.1 §6.1.5: stop() pauses delivery (receive returns no message), start() resumes; repeated stop/start are ignored")
    void stopPausesDelivery() throws Exception {
        Connection c = started();
        Session s = c.createSession();
        MessageConsumer consumer = s.createConsumer(queue);
        c.stop();
        c.stop();
        s.createProducer(queue).send(s.createTextMessage("held"));
        assertNull(consumer.receive(ABSENT), "a receive on a stopped connection times out without a message");
        c.start();
        c.start();
        assertEquals("held", receiveText(consumer));
    }

    @Test
    @DisplayName("JMS 3.1 §6.1.5: stop() waits for a running listener; no listener is called until start()")
    void stopWaitsForRunningListener() throws Exception {
        Connection c = started();
        Session s = c.createSession();
        CountDownLatch inListener = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        AtomicBoolean listenerDone = new AtomicBoolean();
        List<String> got = Collections.synchronizedList(new java.util.ArrayList<>());
        s.createConsumer(queue).setMessageListener(m -> {
            try {
                got.add(text(m));
                if (got.size() == 1) {
                    inListener.countDown();
                    release.await(TIMEOUT, TimeUnit.MILLISECONDS);
                    listenerDone.set(true);
                }
            } catch (Exception e) {
                throw new RuntimeException(e);
            }
        });
        sendTexts(queue, "first");
        assertTrue(inListener.await(TIMEOUT, TimeUnit.MILLISECONDS));
        Thread releaser = new Thread(() -> {
            // Let stop() start waiting before the listener may return.
            try {
                Thread.sleep(200);
            } catch (InterruptedException ignored) {
                return;
            }
            release.countDown();
        });
        releaser.start();
        c.stop();
        assertTrue(listenerDone.get(), "stop() returned while a listener was still running");
        sendTexts(queue, "second");
        // An absence check: "second" is stored (its send returned), so a started connection would
        // have delivered it within this wait.
        assertNull(started().createSession().createConsumer(queue2).receive(ABSENT));
        assertEquals(1, got.size(), "no listener call while stopped");
        c.start();
        await("second message after start()", () -> got.size() == 2);
        releaser.join();
    }

    @Test
    @DisplayName("JMS 3.1 §6.1.2: setClientID right after creation works; after any other action it must be IllegalStateException")
    void clientIdOnlyFirst() throws Exception {
        Connection c = connection();
        c.setClientID(unique);
        assertEquals(unique, c.getClientID());
        Connection d = connection();
        d.createSession();
        assertThrows(IllegalStateException.class, () -> d.setClientID(unique + "-late"));
    }

    @Test
    @DisplayName("JMS 3.1 §6.1.2: an administratively configured client id cannot be changed (IllegalStateException)")
    void adminClientIdCannotBeChanged() throws Exception {
        Connection c = track(lookupFactory("ClientIdConnectionFactory").createConnection());
        assertEquals(adminClientId, c.getClientID());
        assertThrows(IllegalStateException.class, () -> c.setClientID("other-" + unique));
    }

    @Test
    @DisplayName("JMS 3.1 §6.1.2 / §10.3: a client id in use by another connection must be InvalidClientIDException")
    void duplicateClientIdRejected() throws Exception {
        connection().setClientID(unique);
        Connection second = connection();
        assertThrows(InvalidClientIDException.class, () -> second.setClientID(unique));
        ConnectionFactory preset = lookupFactory("ClientIdConnectionFactory");
        track(preset.createConnection());
        assertThrows(InvalidClientIDException.class, () -> track(preset.createConnection()));
    }

    @Test
    @DisplayName("JMS 3.1 §6.1.2: a client id is released when its connection closes")
    void clientIdReleasedOnClose() throws Exception {
        Connection first = cf.createConnection();
        first.setClientID(unique);
        first.close();
        Connection second = connection();
        second.setClientID(unique);
        assertEquals(unique, second.getClientID());
    }

    @Test
    @DisplayName("JMS 3.1 §6.1.6: ConnectionMetaData gives JMS version 3.1, provider name/version and the JMSX properties supported")
    void metaData() throws Exception {
        ConnectionMetaData md = connection().getMetaData();
        assertEquals("3.1", md.getJMSVersion());
        assertEquals(3, md.getJMSMajorVersion());
        assertEquals(1, md.getJMSMinorVersion());
        assertNotNull(md.getJMSProviderName());
        assertNotNull(md.getProviderVersion());
        List<String> names = Collections.list(md.getJMSXPropertyNames()).stream().map(Object::toString).toList();
        // JMSXGroupID/Seq are required (§3.5.9); JMSXDeliveryCount is mandatory since JMS 2.0 (§3.5.11).
        assertTrue(names.containsAll(List.of("JMSXGroupID", "JMSXGroupSeq", "JMSXDeliveryCount")), names.toString());
    }

    @Test
    @DisplayName("JMS 3.1 §6.1.7: getExceptionListener returns the registered listener, null when none")
    void exceptionListenerRegistration() throws Exception {
        Connection c = connection();
        assertNull(c.getExceptionListener());
        ExceptionListener l = e -> { };
        c.setExceptionListener(l);
        assertSame(l, c.getExceptionListener());
    }

    @Test
    @DisplayName("JMS 3.1 §6.1.7: an exception thrown by a JMS call is not also given to the ExceptionListener")
    void thrownExceptionsNotReported() throws Exception {
        Connection c = connection();
        List<Exception> reported = Collections.synchronizedList(new java.util.ArrayList<>());
        c.setExceptionListener(reported::add);
        Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
        assertThrows(IllegalStateException.class, s::commit);
        assertThrows(jakarta.jms.InvalidSelectorException.class, () -> s.createConsumer(queue, "a = = b"));
        // A round trip on the same connection: anything the broker reported would have arrived before it.
        s.createProducer(queue).send(s.createTextMessage("sync"));
        assertTrue(reported.isEmpty(), reported.toString());
    }

    @Test
    @DisplayName("JMS 3.1 §6.1.7: a connection problem with nowhere else to be reported goes to the ExceptionListener")
    void exceptionListenerOnBrokerLoss(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        // A broker of its own (in a directory JUnit deletes afterwards): this test stops it.
        io.keel.broker.Broker own = io.keel.broker.Broker.start(io.keel.broker.config.BrokerConfig.defaults()
                .set("dataDir", dir.toString()).set("brokerPort", "0").set("nameServerPort", "0")
                .set("segmentSize", "4m").set("ioThreads", "1"));
        List<jakarta.jms.JMSException> reported = new java.util.concurrent.CopyOnWriteArrayList<>();
        try {
            // reconnectTimeout=0: the loss is final at once (docs/jms-client.md, Failover).
            Connection c = track(new javax.naming.InitialContext(new java.util.Hashtable<>(java.util.Map.of(
                    javax.naming.Context.INITIAL_CONTEXT_FACTORY, "io.keel.jms.jndi.KeelInitialContextFactory",
                    "connectionFactory.Lossy", "keel://127.0.0.1:" + own.brokerPort() + "?reconnectTimeout=0")))
                    .lookup("Lossy") instanceof ConnectionFactory f ? f.createConnection() : null);
            c.setExceptionListener(reported::add);
            c.start();
            own.close();
            await("onException after the broker stopped", () -> !reported.isEmpty());
            assertNotNull(reported.get(0));
        } finally {
            own.close();
        }
    }
}
