package io.keel.broker.delivery;

import java.nio.ByteBuffer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.keel.broker.produce.ProducerWindow;
import io.keel.store.DispatchListener;
import io.keel.store.MessageStore;
import io.keel.store.RecordView;

/**
 * Rebuilds the delivery state at start: the newest readable snapshot, then every record of the
 * CommitLog after it, in log order: subscription and delivery-state records, transaction commits,
 * deferred and forwarded messages, and the producer id and sequence of every message (duplicate
 * detection). After a crash every delivery below each subscription's horizon may have happened, so
 * those messages come back marked redelivered.
 */
final class DeliveryReplay implements DeliverySnapshot.Target, DispatchListener {

    private static final Logger LOG = LoggerFactory.getLogger(DeliveryReplay.class);

    private final DeliveryEngine engine;
    private final MessageStore store;
    private final DeliveryCheckpointer checkpointer;
    private int records;

    DeliveryReplay(DeliveryEngine engine, MessageStore store, DeliveryCheckpointer checkpointer) {
        this.engine = engine;
        this.store = store;
        this.checkpointer = checkpointer;
    }

    void run() {
        long started = System.nanoTime();
        long from = checkpointer.load(this);
        int restored = engine.subscriptions().size();
        store.scan(from, this);
        if (store.recoveryReport().crashed()) {
            engine.subscriptions().forEach(Subscription::markMaybeDelivered);
        }
        LOG.info("delivery state: {} subscriptions ({} from the snapshot) and {} records replayed from offset {} in {} ms",
                engine.subscriptions().size(), restored, records, from, (System.nanoTime() - started) / 1_000_000);
    }

    // ---- the snapshot's target ---------------------------------------------------------------------

    @Override
    public Subscription restore(SubscriptionSpec spec) {
        return engine.registerReplayed(spec);
    }

    @Override
    public DelayedDelivery delays() {
        return engine.delays();
    }

    @Override
    public ForwardIndex forwards() {
        return engine.forwards();
    }

    @Override
    public ProducerWindow producers() {
        return engine.producers();
    }

    // ---- the log after it ----------------------------------------------------------------------------

    @Override
    public void onRecord(RecordView r) {
        engine.forwards().onRecord(r);
        if (!r.isSystem()) {
            engine.producers().replayed(r.producerId(), r.producerSequence(), r.storeTimestamp());
        }
        if (r.isSystem() && StateRecord.isStateRecord(r.systemType())) {
            records++;
            apply(r.systemType(), r.payload());
        } else if (r.isSystem() && r.systemType() == TransactionRecord.COMMIT) {
            records++;
            engine.transactions().replayCommit(r.physicalOffset(), r.payload());
        } else if (r.isDeferred() || r.isForward()) {
            engine.delays().replay(r);
        }
    }

    private void apply(int type, ByteBuffer p) {
        switch (type) {
            case StateRecord.SUBSCRIPTION -> engine.registerReplayed(StateRecord.readSubscription(p));
            case StateRecord.SUBSCRIPTION_DELETE -> engine.unregisterReplayed(p.getLong());
            default -> {
                Subscription s = engine.subscription(p.getLong());
                int n = p.getInt();
                for (int i = 0; s != null && i < n; i++) {
                    int sq = p.getInt();
                    long offset = p.getLong();
                    long value = p.getLong();
                    if (sq < 0 || sq >= s.destination().storeQueueCount()) {
                        continue;
                    }
                    switch (type) {
                        case StateRecord.DELIVERED -> s.replayDelivered(sq, offset, (int) value);
                        case StateRecord.SETTLED -> {
                            if (s.settleAny(sq, offset)) {
                                s.countSettled(value);
                            }
                        }
                        case StateRecord.RELEASED -> s.replayReleased(sq, offset, value);
                        default -> { }
                    }
                }
            }
        }
    }
}
