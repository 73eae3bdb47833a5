package io.keel.jms;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import javax.transaction.xa.XAException;
import javax.transaction.xa.XAResource;
import javax.transaction.xa.Xid;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;

import io.keel.broker.Broker;
import io.keel.broker.config.BrokerConfig;
import jakarta.jms.Connection;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Queue;
import jakarta.jms.QueueBrowser;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import jakarta.jms.XAConnection;
import jakarta.jms.XASession;

/** One-phase XA on the broker's local transactions: visibility, acknowledgement, rollback, the XA error codes. */
class XaTest {

    @TempDir
    Path dir;
    private Broker broker;
    private KeelXAConnectionFactory factory;
    private final List<AutoCloseable> closeables = new ArrayList<>();
    private XAConnection xaConnection;
    private Connection plainConnection;
    private Session plain;

    @BeforeEach
    void start() throws Exception {
        broker = Broker.start(BrokerConfig.defaults().set("dataDir", dir.toString()).set("brokerPort", "0")
                .set("nameServerPort", "0").set("segmentSize", "4m").set("maxMessageSize", "1m").set("ioThreads", "2"));
        factory = new KeelXAConnectionFactory("keel://127.0.0.1:" + broker.brokerPort());
        xaConnection = factory.createXAConnection();
        closeables.add(xaConnection);
        xaConnection.start();
        plainConnection = factory.createConnection();
        closeables.add(plainConnection);
        plainConnection.start();
        plain = plainConnection.createSession();
    }

    @AfterEach
    void stop() throws Exception {
        for (AutoCloseable c : closeables) {
            c.close();
        }
        broker.close();
    }

    private static void send(Session s, Queue q, String text) throws Exception {
        s.createProducer(q).send(s.createTextMessage(text));
    }

    private static String text(Message m) throws Exception {
        assertNotNull(m, "no message within the timeout");
        return ((TextMessage) m).getText();
    }

    /**
     * The texts a browser sees in {@code q} once a marker sent now is visible (the marker itself is
     * then consumed and left out). The store indexes in log order, so anything committed before the
     * marker is in the same snapshot; waits for the marker up to 10 s, without sleeping.
     */
    private List<String> visibleAfterMarker(Queue q) throws Exception {
        TextMessage marker = plain.createTextMessage("marker");
        marker.setBooleanProperty("marker", true);
        plain.createProducer(q).send(marker);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        List<String> seen = new ArrayList<>();
        try (QueueBrowser b = plain.createBrowser(q)) {
            while (!seen.contains("marker")) {
                assertTrue(System.nanoTime() < deadline, "the marker did not become visible within 10 s");
                seen.clear();
                for (Enumeration<?> e = b.getEnumeration(); e.hasMoreElements();) {
                    seen.add(((TextMessage) e.nextElement()).getText());
                }
            }
        }
        try (MessageConsumer c = plain.createConsumer(q, "marker = TRUE")) {
            assertNotNull(c.receive(10_000), "the marker is consumed again");
        }
        seen.remove("marker");
        return seen;
    }

    private static XAException xaError(int expectedCode, Executable call) {
        XAException e = assertThrows(XAException.class, call);
        assertEquals(KeelXAResource.codeName(expectedCode), KeelXAResource.codeName(e.errorCode), e.getMessage());
        return e;
    }

    @Test
    void sendsBecomeVisibleOnlyAtOnePhaseCommit() throws Exception {
        XASession s = xaConnection.createXASession();
        XAResource xa = s.getXAResource();
        Queue q = s.createQueue("xa.visible");
        Xid xid = TestXid.of(1);
        MessageProducer p = s.createProducer(q); // one producer: order is kept per producer
        xa.start(xid, XAResource.TMNOFLAGS);
        p.send(s.createTextMessage("x1"));
        p.send(s.createTextMessage("x2"));
        xa.end(xid, XAResource.TMSUCCESS);
        assertEquals(List.of(), visibleAfterMarker(q), "sends of an uncommitted branch are invisible");
        xa.commit(TestXid.copyOf(xid), true); // a different Xid object with the same content names the same branch
        MessageConsumer c = plain.createConsumer(q);
        assertEquals("x1", text(c.receive(10_000)));
        assertEquals("x2", text(c.receive(10_000)));
        c.close();
        xaError(XAException.XAER_NOTA, () -> xa.commit(xid, true)); // completed branches are forgotten
    }

    @Test
    void messagesConsumedInACommittedBranchAreAcknowledged() throws Exception {
        XASession s = xaConnection.createXASession();
        XAResource xa = s.getXAResource();
        Queue q = s.createQueue("xa.consume");
        send(plain, q, "c1");
        MessageConsumer consumer = s.createConsumer(q);
        Xid xid = TestXid.of(2);
        xa.start(xid, XAResource.TMNOFLAGS);
        assertEquals("c1", text(consumer.receive(10_000)));
        xa.end(xid, XAResource.TMSUCCESS);
        consumer.close();
        xa.commit(xid, true);
        assertEquals(List.of(), visibleAfterMarker(q), "c1 was acknowledged by the commit");
    }

    @Test
    void rollbackReturnsConsumedMessagesRedeliveredAndDropsSends() throws Exception {
        XASession s = xaConnection.createXASession();
        XAResource xa = s.getXAResource();
        Queue q = s.createQueue("xa.rollback");
        send(plain, q, "r1");
        MessageConsumer consumer = s.createConsumer(q);
        Xid xid = TestXid.of(3);
        xa.start(xid, XAResource.TMNOFLAGS);
        Message first = consumer.receive(10_000);
        assertEquals("r1", text(first));
        assertFalse(first.getJMSRedelivered());
        send(s, q, "dropped");
        xa.end(xid, XAResource.TMSUCCESS);
        consumer.close(); // first, so the returned message is not prefetched by it again
        xa.rollback(xid);
        MessageConsumer again = plain.createConsumer(q);
        Message back = again.receive(10_000);
        assertEquals("r1", text(back));
        assertTrue(back.getJMSRedelivered(), "a message of a rolled-back branch is redelivered");
        assertEquals(2, back.getIntProperty("JMSXDeliveryCount"));
        again.close();
        assertEquals(List.of(), visibleAfterMarker(q), "the send of the rolled-back branch never appears");
        xaError(XAException.XAER_NOTA, () -> xa.rollback(xid));
    }

    @Test
    void outsideABranchTheSessionSendsAndAcknowledgesAtOnce() throws Exception {
        XASession s = xaConnection.createXASession();
        Queue q = s.createQueue("xa.outside");
        send(s, q, "now");
        assertEquals(List.of("now"), visibleAfterMarker(q), "a send outside any branch is visible at once");
        MessageConsumer c = s.createConsumer(q);
        assertEquals("now", text(c.receive(10_000)));
        c.close();
        assertEquals(List.of(), visibleAfterMarker(q), "a receive outside any branch is acknowledged at once");
        assertTrue(s.getTransacted(), "still transacted as the specification requires");
    }

    @Test
    void suspendAndResumeKeepTheBranchAndWorkBetweenIsNotInIt() throws Exception {
        XASession s = xaConnection.createXASession();
        XAResource xa = s.getXAResource();
        Queue q = s.createQueue("xa.suspend");
        Xid xid = TestXid.of(4);
        MessageProducer p = s.createProducer(q);
        xa.start(xid, XAResource.TMNOFLAGS);
        p.send(s.createTextMessage("a"));
        xa.end(xid, XAResource.TMSUSPEND);
        p.send(s.createTextMessage("between"));
        xaError(XAException.XAER_PROTO, () -> xa.commit(xid, true)); // a suspended branch cannot commit
        xa.start(xid, XAResource.TMRESUME);
        p.send(s.createTextMessage("b"));
        xa.end(xid, XAResource.TMSUCCESS);
        assertEquals(List.of("between"), visibleAfterMarker(q), "work while suspended is outside the branch");
        xa.commit(xid, true);
        MessageConsumer c = plain.createConsumer(q);
        assertEquals("between", text(c.receive(10_000)));
        assertEquals("a", text(c.receive(10_000)));
        assertEquals("b", text(c.receive(10_000)));
        c.close();
    }

    @Test
    void sessionsOfOneConnectionJoinABranch() throws Exception {
        XASession s1 = xaConnection.createXASession();
        XASession s2 = xaConnection.createXASession();
        Queue q = s1.createQueue("xa.join");
        Xid xid = TestXid.of(5);
        assertTrue(s2.getXAResource().isSameRM(s1.getXAResource()));
        XAConnection other = factory.createXAConnection();
        closeables.add(other);
        assertFalse(other.createXASession().getXAResource().isSameRM(s1.getXAResource()),
                "another connection cannot join this connection's broker transactions");
        s1.getXAResource().start(xid, XAResource.TMNOFLAGS);
        s2.getXAResource().start(xid, XAResource.TMJOIN);
        send(s1, q, "one");
        send(s2, q, "two");
        s1.getXAResource().end(xid, XAResource.TMSUCCESS);
        xaError(XAException.XAER_PROTO, () -> s1.getXAResource().commit(xid, true)); // s2 still works in it
        s2.getXAResource().end(xid, XAResource.TMSUCCESS);
        assertEquals(List.of(), visibleAfterMarker(q));
        s1.getXAResource().commit(xid, true);
        MessageConsumer c = plain.createConsumer(q);
        java.util.Set<String> got = new java.util.HashSet<>(List.of(text(c.receive(10_000)), text(c.receive(10_000))));
        assertEquals(java.util.Set.of("one", "two"), got, "both sessions' sends committed (no order across sessions)");
        c.close();
    }

    @Test
    void protocolErrorsCarryTheirCodesAndNameTheXid() throws Exception {
        XASession s = xaConnection.createXASession();
        XASession s2 = xaConnection.createXASession();
        XAResource xa = s.getXAResource();
        Queue q = s.createQueue("xa.errors");
        Xid x1 = TestXid.of(10);
        Xid unknown = TestXid.of(11);

        XAException e = xaError(XAException.XAER_NOTA, () -> xa.end(unknown, XAResource.TMSUCCESS));
        assertTrue(e.getMessage().contains("end") && e.getMessage().contains("gtrid"), e.getMessage());
        xaError(XAException.XAER_INVAL, () -> xa.start(x1, XAResource.TMSUCCESS));
        xaError(XAException.XAER_INVAL, () -> xa.start(null, XAResource.TMNOFLAGS));
        xaError(XAException.XAER_NOTA, () -> xa.start(x1, XAResource.TMJOIN));
        xaError(XAException.XAER_NOTA, () -> xa.start(x1, XAResource.TMRESUME));

        xa.start(x1, XAResource.TMNOFLAGS);
        send(s, q, "kept");
        xaError(XAException.XAER_PROTO, () -> xa.start(TestXid.of(12), XAResource.TMNOFLAGS)); // one branch at a time
        xaError(XAException.XAER_DUPID, () -> s2.getXAResource().start(x1, XAResource.TMNOFLAGS));
        xaError(XAException.XAER_PROTO, () -> xa.commit(x1, true)); // still active
        xaError(XAException.XAER_PROTO, () -> xa.rollback(x1));
        xaError(XAException.XAER_INVAL, () -> xa.end(x1, XAResource.TMJOIN));
        xaError(XAException.XAER_PROTO, () -> s2.getXAResource().end(x1, XAResource.TMSUCCESS)); // s2 is not in it
        // An unknown Xid must not touch the live branch (a known field bug of other providers).
        xaError(XAException.XAER_NOTA, () -> xa.rollback(unknown));
        xaError(XAException.XAER_NOTA, () -> xa.commit(unknown, true));
        xa.end(x1, XAResource.TMSUCCESS);
        xaError(XAException.XAER_PROTO, () -> xa.end(x1, XAResource.TMSUCCESS)); // already ended
        xaError(XAException.XAER_PROTO, () -> xa.start(x1, XAResource.TMRESUME)); // ended, not suspended
        xaError(XAException.XAER_PROTO, () -> xa.forget(x1)); // not heuristically completed
        e = xaError(XAException.XAER_PROTO, () -> xa.commit(x1, false)); // never prepared
        assertTrue(e.getMessage().contains("one-phase"), e.getMessage());
        xa.commit(x1, true);
        assertEquals(List.of("kept"), visibleAfterMarker(q), "the errors left the branch intact");

        xaError(XAException.XAER_INVAL, () -> xa.recover(XAResource.TMJOIN));
        xaError(XAException.XAER_INVAL, () -> xa.setTransactionTimeout(-1));
    }

    @Test
    void prepareIsRefusedAndRecoverFindsNothing() throws Exception {
        XASession s = xaConnection.createXASession();
        XAResource xa = s.getXAResource();
        Queue q = s.createQueue("xa.prepare");
        Xid xid = TestXid.of(20);
        xa.start(xid, XAResource.TMNOFLAGS);
        send(s, q, "never");
        xa.end(xid, XAResource.TMSUCCESS);
        XAException e = xaError(XAException.XAER_RMERR, () -> xa.prepare(xid));
        assertTrue(e.getMessage().contains("two-phase commit is not supported by this broker version yet"), e.getMessage());
        assertTrue(e.getMessage().contains("one-phase commit"), e.getMessage());
        xaError(XAException.XA_RBROLLBACK, () -> xa.commit(xid, true)); // a refused prepare leaves only rollback
        assertEquals(List.of(), visibleAfterMarker(q));
        xaError(XAException.XAER_NOTA, () -> xa.prepare(TestXid.of(21)));

        assertEquals(0, xa.recover(XAResource.TMSTARTRSCAN | XAResource.TMENDRSCAN).length);
        assertEquals(0, xa.recover(XAResource.TMSTARTRSCAN).length);
        assertEquals(0, xa.recover(XAResource.TMNOFLAGS).length);
        assertFalse(xa.setTransactionTimeout(30), "the timeout is not enforced, so set says false");
        assertEquals(30, xa.getTransactionTimeout());
    }

    @Test
    void endWithFailAndClosingTheSessionMakeTheBranchRollBack() throws Exception {
        XASession s = xaConnection.createXASession();
        XAResource xa = s.getXAResource();
        Queue q = s.createQueue("xa.fail");
        Xid failed = TestXid.of(30);
        xa.start(failed, XAResource.TMNOFLAGS);
        send(s, q, "failed");
        xa.end(failed, XAResource.TMFAIL);
        xaError(XAException.XA_RBROLLBACK, () -> xa.commit(failed, true));

        Xid closed = TestXid.of(31);
        xa.start(closed, XAResource.TMNOFLAGS);
        send(s, q, "closed");
        s.close();
        xaError(XAException.XA_RBROLLBACK, () -> xa.commit(closed, true));
        assertEquals(List.of(), visibleAfterMarker(q), "neither branch's send was committed");
        xaError(XAException.XAER_RMFAIL, () -> xa.start(TestXid.of(32), XAResource.TMNOFLAGS));
    }

    @Test
    void aLostConnectionFailsTheBranch() throws Exception {
        // Without reconnection (failover with reconnection is tested in FailoverTest).
        XAConnection once = new KeelXAConnectionFactory("keel://127.0.0.1:" + broker.brokerPort() + "?reconnectTimeout=0")
                .createXAConnection();
        closeables.add(once);
        XASession s = once.createXASession();
        XAResource xa = s.getXAResource();
        Queue q = s.createQueue("xa.lost");
        CountDownLatch lost = new CountDownLatch(1);
        once.setExceptionListener(e -> lost.countDown());
        Xid xid = TestXid.of(40);
        xa.start(xid, XAResource.TMNOFLAGS);
        send(s, q, "lost");
        xa.end(xid, XAResource.TMSUCCESS);
        broker.close();
        assertTrue(lost.await(30, TimeUnit.SECONDS), "the client notices the broker is gone");
        XAException e = xaError(XAException.XA_RBCOMMFAIL, () -> xa.commit(xid, true));
        assertTrue(e.getMessage().contains("lost"), e.getMessage());
        xaError(XAException.XAER_RMFAIL, () -> xa.start(TestXid.of(41), XAResource.TMNOFLAGS));
    }
}
