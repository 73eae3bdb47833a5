package io.keel.broker.delivery;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.keel.store.AppendRecord;
import io.keel.store.MessageStore;
import io.keel.store.StoreException;
import io.keel.store.commitlog.ForwardRecord;

/**
 * Local transactions on top of the delivery engine. Sends of a transaction are stored prepared
 * (invisible, not forced); the commit appends one batch: the commit record (the decision, listing
 * the sends and the acknowledgements) followed by one forwarding record per send, which makes the
 * prepared body visible in its queue without copying it. One force covers the whole transaction.
 * A crash after the commit record but before all its forwarding records is completed at start
 * (see {@link #replayCommit}); a crash before it leaves the transaction rolled back. XA will add a
 * durable prepare record between the sends and the outcome; nothing else changes.
 */
public final class TransactionCoordinator {

    private static final Logger LOG = LoggerFactory.getLogger(TransactionCoordinator.class);

    private final DeliveryEngine engine;
    private final MessageStore store;
    private final DelayedDelivery delays;

    /** Open transactions with prepared messages: holder id -> offset of the first one (retention keeps it). */
    private final Map<Long, Long> opened = new java.util.concurrent.ConcurrentHashMap<>();

    /** A message of {@code t} is stored prepared. */
    public void prepared(Transaction t, Transaction.PreparedSend send) {
        if (t.sends().isEmpty()) {
            opened.put(t.holder(), send.bodyOffset());
        }
        t.prepared(send);
    }

    /** The first prepared offset of the oldest open transaction, or Long.MAX_VALUE. */
    long minOpenOffset() {
        long min = Long.MAX_VALUE;
        for (long o : opened.values()) {
            min = Math.min(min, o);
        }
        return min;
    }

    TransactionCoordinator(DeliveryEngine engine, MessageStore store, DelayedDelivery delays) {
        this.engine = engine;
        this.store = store;
        this.delays = delays;
    }

    /**
     * Replay of a commit record: its acknowledgements settle, and its sends are due for forwarding
     * records (those that follow it in the log cancel that; the ones a crash cut off are appended at start).
     */
    void replayCommit(long at, ByteBuffer p) {
        TransactionRecord.Commit c;
        try {
            c = TransactionRecord.read(p);
        } catch (IllegalArgumentException e) {
            LOG.error("transaction commit record at {} is malformed ({}); skipped", at, e.getMessage());
            return;
        }
        for (TransactionRecord.Ack a : c.acks()) {
            Subscription s = engine.subscription(a.subscriptionId());
            if (s != null && a.storeQueueId() >= 0 && a.storeQueueId() < s.destination().storeQueueCount()) {
                s.settleAny(a.storeQueueId(), a.offset());
            }
        }
        for (TransactionRecord.Send send : c.sends()) {
            delays.replayCommitted(send.deliveryTime(), send.key(), send.bodyOffset(), send.bodySize(), c.origin());
        }
    }

    /** What becomes of a commit. Called on a store thread. */
    public interface CommitOutcome {
        void committed();

        /** The transaction could not commit and was rolled back instead (a send of it had failed). */
        void rolledBack(String reason);

        /** The commit record could not be made durable: the outcome is unknown to the client. */
        void failed(StoreException error);
    }

    /**
     * The delivered messages listed join transaction {@code t}: their leases move from consumer
     * {@code c} to the transaction. Returns the reason if the transaction is full, else null.
     * Messages not leased to {@code c} (already returned or settled) are ignored.
     */
    public String acknowledgeInTransaction(SubscriptionConsumer c, Transaction t, int[] storeQueueIds, long[] offsets,
            int count) {
        Subscription s = c.subscription();
        for (int i = 0; i < count; i++) {
            String full = t.refuseMore();
            if (full != null) {
                t.markRollbackOnly(full);
                return full;
            }
            int sq = storeQueueIds[i];
            if (sq >= 0 && sq < s.destination().storeQueueCount() && s.transfer(sq, offsets[i], c.holder(), t.holder())) {
                t.held(new Transaction.HeldMessage(s, sq, offsets[i]));
            }
        }
        return null;
    }

    /**
     * Commits {@code t}: one batch of the commit record (the decision, with the acknowledgements) and
     * the forwarding records that make its sends visible, in send order, bodies not copied. Once the
     * batch is durable the acknowledged messages settle and delayed sends go to the timer.
     */
    public void commit(Transaction t, CommitOutcome outcome) {
        if (t.rollbackOnly() != null) {
            rollback(t);
            outcome.rolledBack(t.rollbackOnly());
            return;
        }
        if (t.size() == 0) {
            outcome.committed();
            return;
        }
        long now = System.currentTimeMillis();
        List<AppendRecord> batch = new java.util.ArrayList<>(1 + t.sends().size());
        batch.add(new AppendRecord().system(TransactionRecord.COMMIT, TransactionRecord.commit(t)));
        for (Transaction.PreparedSend send : t.sends()) {
            if (send.deliveryTime() <= now) {
                ByteBuffer forward = ForwardRecord.encode(
                        ByteBuffer.allocate(ForwardRecord.SIZE), send.bodyOffset(), send.bodySize());
                batch.add(new AppendRecord().message(send.key(), forward).forward(true).tagCode(t.origin()));
            }
        }
        int token = engine.barrier().enter();
        store.appendBatch(batch).whenComplete((results, error) -> {
            try {
                completeCommit(t, now, error, outcome);
            } finally {
                engine.barrier().exit(token);
            }
        });
    }

    private void completeCommit(Transaction t, long now, Throwable error, CommitOutcome outcome) {
        if (error != null) {
            StoreException e = error instanceof StoreException se ? se
                    : error.getCause() instanceof StoreException se2 ? se2 : new StoreException(error.toString(), error);
            LOG.warn("commit of transaction {} not recorded: {}; its acknowledged messages will be redelivered",
                    t.holder(), e.getMessage());
            rollback(t);
            outcome.failed(e);
            return;
        }
        for (Transaction.HeldMessage m : t.held()) {
            m.subscription().settle(m.storeQueueId(), m.offset(), t.holder());
        }
        for (Transaction.PreparedSend send : t.sends()) {
            if (send.deliveryTime() > now) {
                delays.schedule(send.deliveryTime(), send.key(), send.bodyOffset(), send.bodySize(), t.origin());
            }
            send.destination().enqueued();
        }
        opened.remove(t.holder()); // only now: the timer and the forwarding records protect the bodies
        outcome.committed();
    }

    /**
     * Rolls {@code t} back: the messages it acknowledged return for redelivery (JMSRedelivered, count
     * kept), its prepared sends are never made visible. Nothing is written for the sends: without a
     * commit record a prepared body is garbage, also after a crash.
     */
    public void rollback(Transaction t) {
        opened.remove(t.holder());
        Map<Subscription, List<Subscription.Returned>> back = new java.util.LinkedHashMap<>();
        for (Transaction.HeldMessage m : t.held()) {
            long at = System.currentTimeMillis() + engine.settings(m.subscription().destination()).redeliveryDelayMillis();
            int deliveries = m.subscription().release(m.storeQueueId(), m.offset(), t.holder(), at);
            if (deliveries > 0) {
                back.computeIfAbsent(m.subscription(), k -> new java.util.ArrayList<>())
                        .add(new Subscription.Returned(m.storeQueueId(), m.offset(), deliveries));
            }
        }
        back.forEach(engine::returned);
    }
}
