package io.keel.broker.delivery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import io.keel.broker.Broker;
import io.keel.broker.delivery.JmsConsumerClient.Delivery;
import io.keel.broker.destination.Destination;
import io.keel.protocol.DestinationType;
import io.keel.protocol.client.ProtocolClient;
import io.keel.protocol.client.RemoteError;
import io.keel.protocol.command.Ack;
import io.keel.protocol.command.CommandCode;
import io.keel.protocol.command.ErrorCode;
import io.keel.protocol.command.SendCommand;
import io.keel.protocol.command.TxnCommand;
import io.keel.store.AppendFuture;
import io.keel.store.AppendRecord;
import io.keel.store.MessageStore;
import io.keel.store.QueueKey;
import io.netty.buffer.Unpooled;

/**
 * Local transactions at the protocol level: sends invisible until the commit record, acknowledgements
 * applied at commit, rollback and connection loss returning messages, atomicity across restarts, and
 * the completion at start of a commit whose forwarding records a crash cut off.
 *
 * <p>Absence is never asserted by waiting: a plain message sent after the transactional ones must
 * arrive first, which proves the earlier ones were not visible (one queue id, so the queue is ordered).
 */
class TransactionTest extends BrokerTestBase {

    private JmsConsumerClient consumer(ProtocolClient c, long id, String queue, int credit) throws Exception {
        JmsConsumerClient j = new JmsConsumerClient(c, id, queue, credit);
        open.add(j);
        return j;
    }

    /** Sends texts to {@code queue} on queue id 0, in transaction {@code txn} (0 = none). */
    private static void send(ProtocolClient p, String queue, long txn, long deliveryTime, String... texts) throws Exception {
        SendCommand s = new SendCommand();
        s.destinationType = DestinationType.QUEUE;
        s.destination = queue;
        s.queueId = 0;
        s.producerId = 1;
        s.flags = SendCommand.FLAG_PERSISTENT;
        s.priority(4);
        s.transactionId = txn;
        s.deliveryTime = deliveryTime;
        for (String t : texts) {
            s.message = Unpooled.wrappedBuffer(JmsConsumerClient.text(t, 0, 4));
            p.request(id -> s.frame(p.channel().alloc(), id)).get(10, TimeUnit.SECONDS).release();
        }
    }

    private static void send(ProtocolClient p, String queue, long txn, String... texts) throws Exception {
        send(p, queue, txn, 0, texts);
    }

    private static void commit(ProtocolClient p, long txn) throws Exception {
        p.request(id -> TxnCommand.frame(p.channel().alloc(), CommandCode.TXN_COMMIT, id, txn)).get(10, TimeUnit.SECONDS)
                .release();
    }

    private static void rollback(ProtocolClient p, long txn) throws Exception {
        p.request(id -> TxnCommand.frame(p.channel().alloc(), CommandCode.TXN_ROLLBACK, id, txn))
                .get(10, TimeUnit.SECONDS).release();
    }

    private static void txnAck(JmsConsumerClient c, long txn, Delivery... ds) throws Exception {
        Ack a = new Ack().clear(c.consumerId);
        for (Delivery d : ds) {
            a.add(d.storeQueueId(), d.offset());
        }
        c.client.request(id -> TxnCommand.ackFrame(c.client.channel().alloc(), id, txn, a)).get(10, TimeUnit.SECONDS)
                .release();
    }

    private static List<String> texts(JmsConsumerClient c, int n) throws Exception {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(c.next().text());
        }
        return out;
    }

    private void restart() throws Exception {
        closeConnections();
        broker.close();
        broker = Broker.start(config(dir));
    }

    @Test
    void sendsStayInvisibleUntilCommitThenArriveInOrder() throws Exception {
        ProtocolClient p = connect();
        send(p, "tq", 7, "t1", "t2", "t3");
        send(p, "tq", 0, "plain");
        JmsConsumerClient c = consumer(connect(), 1, "tq", 100);
        assertEquals("plain", c.next().text(), "the uncommitted sends must not be visible");
        commit(p, 7);
        assertEquals(List.of("t1", "t2", "t3"), texts(c, 3));
        assertEquals(4, broker.destinations().get(new io.keel.broker.destination.DestinationId(DestinationType.QUEUE, "tq"))
                .enqueuedCount(), "prepared messages count as enqueued only once committed");
    }

    @Test
    void rollbackDiscardsSendsAlsoAfterARestart() throws Exception {
        ProtocolClient p = connect();
        send(p, "rq", 3, "gone1", "gone2");
        rollback(p, 3);
        send(p, "rq", 4, "kept");
        commit(p, 4);
        restart();
        ProtocolClient q = connect();
        send(q, "rq", 0, "after");
        JmsConsumerClient c = consumer(q, 1, "rq", 100);
        assertEquals(List.of("kept", "after"), texts(c, 2));
    }

    @Test
    void acknowledgementsApplyAtCommitEvenAfterTheConsumerClosed() throws Exception {
        ProtocolClient p = connect();
        send(p, "aq", 0, "m0", "m1", "m2");
        ProtocolClient cc = connect();
        JmsConsumerClient c = consumer(cc, 1, "aq", 2);
        Delivery m0 = c.next();
        Delivery m1 = c.next();
        txnAck(c, 9, m0, m1);
        c.closeConsumer(); // the transaction, not the consumer, holds m0 and m1 now
        JmsConsumerClient d = consumer(cc, 2, "aq", 100);
        assertEquals("m2", d.next().text(), "messages acknowledged in an open transaction are not handed out again");
        commit(cc, 9);
        restart();
        ProtocolClient q = connect();
        send(q, "aq", 0, "after");
        JmsConsumerClient e = consumer(q, 3, "aq", 100);
        Delivery first = e.next();
        assertEquals("m2", first.text(), "m2 was never acknowledged: it comes back");
        assertEquals("after", e.next().text(), "m0 and m1 were committed: never delivered again");
    }

    @Test
    void rollbackRedeliversAcknowledgedMessagesFlaggedAndCounted() throws Exception {
        ProtocolClient p = connect();
        send(p, "bq", 0, "x");
        ProtocolClient cc = connect();
        JmsConsumerClient c = consumer(cc, 1, "bq", 10);
        Delivery x = c.next();
        assertEquals(1, x.count());
        txnAck(c, 5, x);
        rollback(cc, 5);
        Delivery again = c.next();
        assertEquals("x", again.text());
        assertEquals(2, again.count(), "JMSXDeliveryCount counts the rolled-back delivery");
        assertTrue(again.redelivered());
    }

    @Test
    void connectionLossRollsBackSendsAndAcknowledgements() throws Exception {
        ProtocolClient p = connect();
        send(p, "lq", 0, "held");
        ProtocolClient tx = connect();
        JmsConsumerClient c = consumer(tx, 1, "lq", 10);
        Delivery held = c.next();
        txnAck(c, 11, held);
        send(tx, "lq", 11, "never");
        tx.close();
        send(p, "lq", 0, "after");
        JmsConsumerClient d = consumer(connect(), 2, "lq", 10);
        Delivery back = d.next();
        assertEquals("held", back.text());
        assertEquals(2, back.count());
        assertEquals("after", d.next().text(), "the send of the lost connection's transaction never becomes visible");
    }

    @Test
    void aRefusedSendDoomsTheTransaction() throws Exception {
        ProtocolClient p = connect();
        send(p, "dq", 21, "first");
        SendCommand big = new SendCommand();
        big.destinationType = DestinationType.QUEUE;
        big.destination = "dq";
        big.queueId = 0;
        big.transactionId = 21;
        big.message = Unpooled.wrappedBuffer(new byte[2 * 1024 * 1024]); // above maxMessageSize (1m)
        ExecutionException tooBig = assertThrows(ExecutionException.class,
                () -> p.request(id -> big.frame(p.channel().alloc(), id)).get(10, TimeUnit.SECONDS));
        assertEquals(ErrorCode.MESSAGE_TOO_LARGE, ((RemoteError) tooBig.getCause()).code());
        ExecutionException commit = assertThrows(ExecutionException.class, () -> commit(p, 21));
        RemoteError e = (RemoteError) commit.getCause();
        assertEquals(ErrorCode.TRANSACTION_ROLLED_BACK, e.code());
        assertTrue(e.getMessage().contains("exceeds the broker's maximum message size"), e.getMessage());
        send(p, "dq", 0, "after");
        JmsConsumerClient c = consumer(connect(), 1, "dq", 10);
        assertEquals("after", c.next().text(), "nothing of the rolled-back transaction is visible");
    }

    @Test
    void aDelayedSendOfATransactionWaitsForCommitAndItsDeliveryTime() throws Exception {
        ProtocolClient p = connect();
        long due = System.currentTimeMillis() + 600;
        send(p, "yq", 31, due, "delayed");
        send(p, "yq", 31, "now");
        commit(p, 31);
        JmsConsumerClient c = consumer(connect(), 1, "yq", 10);
        assertEquals("now", c.next().text());
        assertEquals("delayed", c.next().text());
        assertTrue(System.currentTimeMillis() >= due, "a delayed message is never early");
    }

    @Test
    void aCommitRecordWhoseForwardsACrashCutOffIsCompletedAtStart() throws Exception {
        ProtocolClient p = connect();
        send(p, "cq", 0, "before");
        Destination d = broker.destinations().get(new io.keel.broker.destination.DestinationId(DestinationType.QUEUE, "cq"));
        QueueKey key = d.key(Destination.storeQueueId(0, 4));
        closeConnections();
        broker.close();
        broker = null;
        // What a crash between the commit record and its forwarding records leaves in the log.
        try (MessageStore store = MessageStore.open(config(dir).storeConfig())) {
            Transaction t = new Transaction(1, 1_000_000, 0);
            for (String text : List.of("c1", "c2")) {
                AppendFuture f = new AppendFuture();
                store.append(new AppendRecord().message(key, ByteBuffer.wrap(JmsConsumerClient.text(text, 0, 4)))
                        .txnState(AppendRecord.TxnState.PREPARED), f);
                var r = f.get(10, TimeUnit.SECONDS);
                t.prepared(new Transaction.PreparedSend(d, key, r.physicalOffset(), r.size(), 0));
            }
            AppendFuture marker = new AppendFuture();
            store.append(new AppendRecord().system(TransactionRecord.COMMIT, TransactionRecord.commit(t)), marker);
            marker.get(10, TimeUnit.SECONDS);
        }
        broker = Broker.start(config(dir));
        JmsConsumerClient c = consumer(connect(), 1, "cq", 10);
        assertEquals(List.of("before", "c1", "c2"), texts(c, 3));
        restart();
        ProtocolClient q = connect();
        send(q, "cq", 0, "after");
        JmsConsumerClient e = consumer(q, 2, "cq", 10);
        assertEquals(List.of("before", "c1", "c2", "after"), texts(e, 4),
                "the completed commit is not completed twice on the next start");
    }
}
