package io.keel.broker.delivery;

import java.util.ArrayList;
import java.util.List;

import io.keel.broker.destination.Destination;
import io.keel.store.QueueKey;

/**
 * One open local transaction of a connection: the messages it sent (stored prepared, invisible) and
 * the delivered messages it acknowledged (their leases moved from the consumer to the transaction, so
 * closing the consumer does not return them). {@link DeliveryEngine#commit} makes both take effect
 * with one commit record; {@link DeliveryEngine#rollback} returns the acknowledged messages for
 * redelivery and leaves the prepared bodies as garbage for retention.
 *
 * <p>Used on its connection's event loop until commit or rollback hands it to the engine.
 */
public final class Transaction {

    /**
     * The most messages (sends plus acknowledgements) one transaction may hold: bounds the broker's
     * memory per transaction and keeps the commit record (24 bytes per send, 20 per ack) well under
     * the store's default 4 MiB record limit.
     */
    public static final int MAX_MESSAGES = 100_000;

    /** A message stored prepared: visible once the transaction commits (after its delivery time). */
    public record PreparedSend(Destination destination, QueueKey key, long bodyOffset, int bodySize, long deliveryTime) {
    }

    /** A delivered message this transaction acknowledged: settled at commit, returned at rollback. */
    public record HeldMessage(Subscription subscription, int storeQueueId, long offset) {
    }

    private final long id;
    private final long holder;
    private final long origin;
    private final List<PreparedSend> sends = new ArrayList<>();
    private final List<HeldMessage> held = new ArrayList<>();
    private String rollbackOnly;

    /**
     * @param id     the id the client chose (unique on its connection)
     * @param holder the broker-wide lease holder id of the transaction
     * @param origin the publishing connection's origin, the tag code of every forwarding record (noLocal)
     */
    Transaction(long id, long holder, long origin) {
        this.id = id;
        this.holder = holder;
        this.origin = origin;
    }

    public long id() {
        return id;
    }

    public long holder() {
        return holder;
    }

    long origin() {
        return origin;
    }

    public List<PreparedSend> sends() {
        return sends;
    }

    public List<HeldMessage> held() {
        return held;
    }

    public int size() {
        return sends.size() + held.size();
    }

    /** Why the transaction can only roll back, or null. */
    public String rollbackOnly() {
        return rollbackOnly;
    }

    /** A send of the transaction failed: committing would lose it, so the commit will roll back instead. */
    public void markRollbackOnly(String reason) {
        if (rollbackOnly == null) {
            rollbackOnly = reason;
        }
    }

    /** Refuses a new message once the transaction holds {@link #MAX_MESSAGES}; returns the reason or null. */
    public String refuseMore() {
        if (size() >= MAX_MESSAGES) {
            return "transaction " + id + " already holds " + MAX_MESSAGES
                    + " messages, the most one transaction may hold; commit in smaller transactions";
        }
        return null;
    }

    public void prepared(PreparedSend send) {
        sends.add(send);
    }

    void held(HeldMessage m) {
        held.add(m);
    }
}
