package io.keel.jms;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.nio.file.Path;
import java.util.Hashtable;

import javax.naming.Context;
import javax.naming.InitialContext;
import javax.naming.Reference;
import javax.transaction.xa.XAResource;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.keel.broker.Broker;
import io.keel.broker.config.BrokerConfig;
import jakarta.jms.Connection;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.JMSContext;
import jakarta.jms.Queue;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import jakarta.jms.TransactionInProgressException;
import jakarta.jms.TransactionInProgressRuntimeException;
import jakarta.jms.XAConnection;
import jakarta.jms.XAConnectionFactory;
import jakarta.jms.XAJMSContext;
import jakarta.jms.XAQueueConnection;
import jakarta.jms.XAQueueConnectionFactory;
import jakarta.jms.XAQueueSession;
import jakarta.jms.XASession;
import jakarta.jms.XATopicConnection;
import jakarta.jms.XATopicConnectionFactory;
import jakarta.jms.XATopicSession;

/** The XA types: factories, connections, sessions and the XA context, JNDI and serialization. */
class XaFactoryTest {

    @TempDir
    Path dir;
    private Broker broker;
    private String url;
    private KeelXAConnectionFactory factory;

    @BeforeEach
    void start() {
        broker = Broker.start(BrokerConfig.defaults().set("dataDir", dir.toString()).set("brokerPort", "0")
                .set("nameServerPort", "0").set("segmentSize", "4m").set("maxMessageSize", "1m").set("ioThreads", "2"));
        url = "keel://127.0.0.1:" + broker.brokerPort();
        factory = new KeelXAConnectionFactory(url);
    }

    @AfterEach
    void stop() {
        broker.close();
    }

    @Test
    void theXaFactoryIsEveryFactoryAndThePlainOneIsNoXaFactory() throws Exception {
        assertInstanceOf(XAConnectionFactory.class, factory);
        assertInstanceOf(XAQueueConnectionFactory.class, factory);
        assertInstanceOf(XATopicConnectionFactory.class, factory);
        assertInstanceOf(ConnectionFactory.class, factory);
        Object plain = new KeelConnectionFactory(url);
        assertFalse(plain instanceof XAConnectionFactory, "a plain factory's users do not see XA");
        try (Connection c = factory.createConnection()) {
            assertFalse(c instanceof XAConnection, "createConnection on the XA factory gives a plain connection");
        }
    }

    @Test
    void xaConnectionsMakeXaSessionsWithTheSpecificationsRules() throws Exception {
        try (XAConnection c = factory.createXAConnection()) {
            assertInstanceOf(XAQueueConnection.class, c);
            assertInstanceOf(XATopicConnection.class, c);
            XASession s = c.createXASession();
            assertInstanceOf(XAQueueSession.class, s);
            assertInstanceOf(XATopicSession.class, s);
            assertSame(s, s.getSession());
            assertSame(s, ((XAQueueSession) s).getQueueSession());
            assertSame(s, ((XATopicSession) s).getTopicSession());
            assertNotNull(s.getXAResource());
            assertTrue(s.getTransacted(), "an XA session is transacted");
            assertTrue(s.getSession().getTransacted());
            assertEquals(Session.SESSION_TRANSACTED, s.getAcknowledgeMode());
            TransactionInProgressException commit = assertThrows(TransactionInProgressException.class, s::commit);
            assertTrue(commit.getMessage().contains("XAResource"), commit.getMessage());
            assertThrows(TransactionInProgressException.class, s::rollback);
            assertThrows(TransactionInProgressException.class, () -> s.getSession().commit());
            Session plain = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            assertFalse(plain instanceof XASession, "createSession on an XA connection gives a plain session");
            s.close();
            assertThrows(jakarta.jms.IllegalStateException.class, s::getSession, "a closed XA session refuses use");
        }
        try (XAQueueConnection q = factory.createXAQueueConnection(); XATopicConnection t = factory.createXATopicConnection()) {
            assertNotNull(q.createXAQueueSession().getQueueSession());
            assertNotNull(t.createXATopicSession().getTopicSession());
        }
    }

    @Test
    void theXaContextIsTransactedAndRefusesLocalCompletion() throws Exception {
        try (XAJMSContext ctx = factory.createXAContext()) {
            assertSame(ctx, ctx.getContext());
            assertTrue(ctx.getTransacted());
            assertEquals(JMSContext.SESSION_TRANSACTED, ctx.getSessionMode());
            assertThrows(TransactionInProgressRuntimeException.class, ctx::commit);
            assertThrows(TransactionInProgressRuntimeException.class, ctx::rollback);
            XAResource xa = ctx.getXAResource();
            assertSame(xa, ctx.getXAResource());

            Queue q = ctx.createQueue("xa.context");
            TestXid xid = TestXid.of(1);
            xa.start(xid, XAResource.TMNOFLAGS);
            ctx.createProducer().send(q, "in the branch");
            xa.end(xid, XAResource.TMSUCCESS);
            xa.commit(xid, true);
            try (JMSContext reader = factory.createContext()) {
                assertEquals("in the branch", reader.createConsumer(q).receiveBody(String.class, 10_000));
            }
        }
    }

    @Test
    void jndiBindsXaFactories() throws Exception {
        Hashtable<String, String> env = new Hashtable<>();
        env.put(Context.INITIAL_CONTEXT_FACTORY, "io.keel.jms.jndi.KeelInitialContextFactory");
        env.put(Context.PROVIDER_URL, url);
        env.put("xaConnectionFactory.MyXA", "");
        env.put("xaConnectionFactory.OtherXA", url + "?prefetch=10");
        env.put("queue.Q", "xa.jndi");
        Context ctx = new InitialContext(env);
        XAQueueConnectionFactory xa = (XAQueueConnectionFactory) ctx.lookup("MyXA");
        assertEquals(url, ((KeelXAConnectionFactory) xa).getUrl());
        assertEquals(url + "?prefetch=10", ((KeelXAConnectionFactory) ctx.lookup("OtherXA")).getUrl());
        assertFalse(ctx.lookup("ConnectionFactory") instanceof XAConnectionFactory,
                "the default ConnectionFactory stays plain next to XA entries");
        Queue q = (Queue) ctx.lookup("Q");
        try (XAQueueConnection c = xa.createXAQueueConnection()) {
            XAQueueSession s = c.createXAQueueSession();
            TestXid xid = TestXid.of(2);
            s.getXAResource().start(xid, XAResource.TMNOFLAGS);
            s.getQueueSession().createSender(q).send(s.createTextMessage("via jndi"));
            s.getXAResource().end(xid, XAResource.TMSUCCESS);
            s.getXAResource().commit(xid, true);
            Session plain = c.createSession();
            c.start();
            assertEquals("via jndi", ((TextMessage) plain.createConsumer(q).receive(10_000)).getText());
        }
        env.put("xaConnectionFactory.Bad", "http://nope");
        assertThrows(javax.naming.ConfigurationException.class, () -> new InitialContext(env).lookup("Bad"));
    }

    @Test
    void theXaFactoryRoundTripsThroughSerializationAndItsReference() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(factory);
        }
        Object back;
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            back = in.readObject();
        }
        KeelXAConnectionFactory copy = assertInstanceOf(KeelXAConnectionFactory.class, back);
        assertEquals(url, copy.getUrl());
        assertTrue(copy.toString().startsWith("KeelXAConnectionFactory["), copy.toString());
        try (XAConnection c = copy.createXAConnection()) {
            assertTrue(c.createXASession().getTransacted(), "the copy works after deserialisation");
        }

        Reference ref = factory.getReference();
        assertEquals(KeelXAConnectionFactory.class.getName(), ref.getClassName());
        Object made = new KeelConnectionFactoryObjectFactory().getObjectInstance(ref, null, null, null);
        assertEquals(url, assertInstanceOf(KeelXAConnectionFactory.class, made).getUrl());
        Object plain = new KeelConnectionFactoryObjectFactory().getObjectInstance(
                new KeelConnectionFactory(url).getReference(), null, null, null);
        assertFalse(plain instanceof XAConnectionFactory, "a plain reference still makes a plain factory");
    }
}
