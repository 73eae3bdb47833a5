package io.keel.broker.delivery;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.Map;

/**
 * The open local transactions of one connection, by the id its client chose. A transaction begins
 * with its first send or acknowledgement and leaves this registry when it commits or rolls back; a
 * connection that closes rolls back what it left open. Used on the connection's event loop only.
 */
public final class LocalTransactions {

    private final DeliveryEngine engine;
    private final Map<Long, Transaction> open = new HashMap<>();
    private long origin;

    public LocalTransactions(DeliveryEngine engine) {
        this.engine = engine;
    }

    /** The connection's origin (for noLocal), stamped on the forwarding records of its commits. */
    public void origin(long origin) {
        this.origin = origin;
    }

    /** The open transaction {@code id}, begun now if it is new. Id 0 means "no transaction". */
    public Transaction begin(long id) {
        if (id == 0) {
            throw new IllegalArgumentException("transaction id 0 means no transaction");
        }
        return open.computeIfAbsent(id, k -> new Transaction(k, engine.newLeaseHolder(), origin));
    }

    /** Removes and returns transaction {@code id} for its commit or rollback; null if it never began. */
    public Transaction end(long id) {
        return open.remove(id);
    }

    /** A message of {@code t} is stored prepared. */
    public void prepared(Transaction t, Transaction.PreparedSend send) {
        engine.transactions().prepared(t, send);
    }

    public int openCount() {
        return open.size();
    }

    /** The connection is gone: every open transaction rolls back. */
    public void rollbackAll() {
        for (Transaction t : new ArrayList<>(open.values())) {
            engine.transactions().rollback(t);
        }
        open.clear();
    }
}
