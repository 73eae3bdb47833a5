package io.keel.broker.delivery;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import io.netty.util.collection.LongObjectHashMap;

/**
 * The consumption state of one subscription over one ConsumeQueue (a queue id and priority band):
 * <ul>
 *   <li>settled offsets: an {@link OffsetSet} (everything below its watermark, and sparse bits above);</li>
 *   <li>leases: messages handed to a consumer and not yet settled, each with its delivery count;</li>
 *   <li>the redelivery queue: messages returned (consumer closed, recover, rollback, lease expiry)
 *       and offered again, in offset order, no earlier than their redelivery time;</li>
 *   <li>delivery counts of returned messages, so JMSXDeliveryCount keeps counting.</li>
 * </ul>
 * Only messages that were delivered take memory beyond the bitmap, and those are bounded by the
 * consumers' prefetch plus what was returned. Not thread-safe: the subscription guards it.
 *
 * <p>Leases are a {@link LeaseTable} of primitive arrays (a delivery allocates nothing) and the
 * returned counts a map keyed by primitive {@code long} (Netty's {@link LongObjectHashMap}): every
 * delivery and acknowledgement looks offsets up several times, and a {@code Map<Long, ...>} boxed the
 * offset on each lookup. The redelivery queue stays a {@link TreeMap} (it needs offset order) and is
 * only consulted when it is not empty.
 */
public final class QueueCursor {

    private OffsetSet settled;
    private final LeaseTable leases = new LeaseTable();
    private final TreeMap<Long, Long> redeliveries = new TreeMap<>();
    private final LongObjectHashMap<Integer> returnedCounts = new LongObjectHashMap<>();
    /** One past the highest offset ever leased: below it a message may have been delivered. */
    private long deliveredHorizon;

    public QueueCursor(long startOffset) {
        this.settled = new OffsetSet(startOffset);
        this.deliveredHorizon = startOffset;
    }

    /** Every offset below this is settled. */
    public long ackLevel() {
        return settled.watermark();
    }

    public long deliveredHorizon() {
        return deliveredHorizon;
    }

    public boolean isSettled(long offset) {
        return settled.contains(offset);
    }

    public boolean isLeased(long offset) {
        return leases.contains(offset);
    }

    /** Returned by {@link #holderOf} for a message nobody holds. */
    public static final long NOT_LEASED = Long.MIN_VALUE;

    /** Who holds {@code offset} (a consumer's or transaction's holder id, {@link #HELD_BY_BROKER}), or {@link #NOT_LEASED}. */
    public long holderOf(long offset) {
        return leases.holder(offset, NOT_LEASED);
    }

    /** The lease on {@code offset} as a value (made for the caller), or null; for tests and admin views. */
    public Lease lease(long offset) {
        int count = leases.deliveryCount(offset);
        return count < 0 ? null : new Lease(leases.holder(offset, NOT_LEASED), count, leases.expiresAt(offset));
    }

    public int leaseCount() {
        return leases.size();
    }

    /** Messages waiting for redelivery (returned, not settled). */
    public int redeliveryCount() {
        return redeliveries.size();
    }

    /**
     * Whether {@code offset} can be handed to a consumer now: not settled, not leased, and if it is
     * waiting for redelivery, its redelivery time has come.
     */
    public boolean isAvailable(long offset, long nowMillis) {
        if (settled.contains(offset) || leases.contains(offset)) {
            return false;
        }
        if (redeliveries.isEmpty()) {
            return true;
        }
        Long at = redeliveries.get(offset);
        return at == null || at <= nowMillis;
    }

    /**
     * Leases {@code offset} to a consumer; returns the delivery count of this delivery (1 on the first
     * one), or 0 if the message is not available.
     */
    public int lease(long offset, long consumerId, long nowMillis, long leaseMillis) {
        if (!isAvailable(offset, nowMillis)) {
            return 0;
        }
        if (!redeliveries.isEmpty()) {
            redeliveries.remove(offset);
        }
        Integer previous = returnedCounts.isEmpty() ? null : returnedCounts.remove(offset);
        int count = previous == null ? 1 : previous + 1;
        leases.put(offset, consumerId, count, leaseMillis <= 0 ? 0 : nowMillis + leaseMillis);
        deliveredHorizon = Math.max(deliveredHorizon, offset + 1);
        return count;
    }

    /**
     * Moves a lease from one holder to another (a consumer's delivery joins a transaction); the new
     * lease never expires, since the transaction ends with its connection anyway. Returns whether
     * {@code offset} was leased to {@code from}.
     */
    public boolean transfer(long offset, long from, long to) {
        if (leases.holder(offset, NOT_LEASED) != from) {
            return false;
        }
        leases.put(offset, to, leases.deliveryCount(offset), 0);
        return true;
    }

    /** Acknowledged (or expired, or moved to a dead-letter queue): never delivered again. */
    public boolean settle(long offset) {
        leases.remove(offset);
        if (!redeliveries.isEmpty()) {
            redeliveries.remove(offset);
        }
        if (!returnedCounts.isEmpty()) {
            returnedCounts.remove(offset);
        }
        return settled.add(offset);
    }

    /** Settles everything below {@code offset} (purge). */
    public void settleBelow(long offset) {
        settled.advanceTo(offset);
        leases.removeBelow(offset);
        redeliveries.headMap(offset).clear();
        for (Iterator<LongObjectHashMap.PrimitiveEntry<Integer>> it = returnedCounts.entries().iterator(); it.hasNext(); ) {
            if (it.next().key() < offset) {
                it.remove();
            }
        }
    }

    /**
     * Returns a leased message for redelivery no earlier than {@code availableAtMillis}. Returns its
     * delivery count so far, or 0 if it was not leased.
     */
    public int release(long offset, long availableAtMillis) {
        int count = leases.remove(offset);
        if (count < 0) {
            return 0;
        }
        returnedCounts.put(offset, Integer.valueOf(count));
        redeliveries.put(offset, availableAtMillis);
        return count;
    }

    /**
     * Takes back a delivery its consumer never handed to the application (it was prefetched): due
     * again at once, and this delivery does not count. Returns whether it was leased.
     */
    public boolean returnUnseen(long offset) {
        int count = leases.remove(offset);
        if (count < 0) {
            return false;
        }
        if (count > 1) {
            returnedCounts.put(offset, Integer.valueOf(count - 1));
        }
        redeliveries.put(offset, 0L);
        return true;
    }

    /** The offsets leased to {@code consumerId}, in order. */
    public List<Long> leasedTo(long consumerId) {
        List<Long> out = new ArrayList<>();
        for (long o : leases.select((holder, expiry) -> holder == consumerId)) {
            out.add(o);
        }
        return out;
    }

    /** Returns every message leased to {@code consumerId}; returns their offsets. */
    public List<Long> releaseConsumer(long consumerId, long availableAtMillis) {
        List<Long> released = new ArrayList<>();
        for (long o : leases.select((holder, expiry) -> holder == consumerId)) {
            returnedCounts.put(o, Integer.valueOf(leases.remove(o)));
            redeliveries.put(o, availableAtMillis);
            released.add(o);
        }
        return released;
    }

    /** Returns leases that ran out before {@code nowMillis}; returns their offsets. */
    public List<Long> expireLeases(long nowMillis, long redeliveryDelayMillis) {
        List<Long> expired = new ArrayList<>();
        for (long o : leases.select((holder, at) -> at != 0 && at <= nowMillis)) {
            returnedCounts.put(o, Integer.valueOf(leases.remove(o)));
            redeliveries.put(o, nowMillis + redeliveryDelayMillis);
            expired.add(o);
        }
        return expired;
    }

    /** The first message waiting for redelivery that is due at {@code nowMillis}, at or after {@code from}; -1 if none. */
    public long nextRedelivery(long from, long nowMillis) {
        if (redeliveries.isEmpty()) {
            return -1; // the common case, asked per store queue per push: no sub-map view to allocate
        }
        for (Map.Entry<Long, Long> e : redeliveries.tailMap(from, true).entrySet()) {
            if (e.getValue() <= nowMillis) {
                return e.getKey();
            }
        }
        return -1;
    }

    /** The earliest time a waiting redelivery becomes due, or Long.MAX_VALUE. */
    public long nextRedeliveryTime() {
        long min = Long.MAX_VALUE;
        for (long at : redeliveries.values()) {
            min = Math.min(min, at);
        }
        return min;
    }

    /** The first offset at or after {@code from} that is neither settled nor leased. */
    public long nextUnsettled(long from) {
        long o = settled.nextUnsettled(from);
        while (leases.contains(o)) {
            o = settled.nextUnsettled(o + 1);
        }
        return o;
    }

    /**
     * After an unclean shutdown, any unsettled message below the recorded delivery horizon may have
     * been delivered without the broker knowing: its next delivery says so (JMSRedelivered).
     */
    public void markMaybeDelivered(long horizon) {
        for (long o = settled.nextUnsettled(settled.watermark()); o < horizon; o = settled.nextUnsettled(o + 1)) {
            raiseReturnedCount(o, 1);
        }
        deliveredHorizon = Math.max(deliveredHorizon, horizon);
    }

    /** Consumer id of messages the broker itself holds (e.g. on their way to the dead-letter queue). */
    public static final long HELD_BY_BROKER = -1;

    /** Takes a returned message out of circulation until it is settled (or released back). */
    public void hold(long offset) {
        if (settled.contains(offset)) {
            return;
        }
        redeliveries.remove(offset);
        Integer count = returnedCounts.remove(offset);
        leases.put(offset, HELD_BY_BROKER, count == null ? 0 : count, 0);
    }

    private void raiseReturnedCount(long offset, int count) {
        Integer had = returnedCounts.get(offset);
        if (had == null || had < count) {
            returnedCounts.put(offset, Integer.valueOf(count));
        }
    }

    /** Replay: {@code offset} was delivered {@code count} times before a restart (no consumer holds it now). */
    public void recordDelivered(long offset, int count) {
        raiseReturnedCount(offset, count);
        deliveredHorizon = Math.max(deliveredHorizon, offset + 1);
    }

    /** Replay: {@code offset} was returned for redelivery at {@code availableAtMillis}. */
    public void recordReturned(long offset, long availableAtMillis) {
        redeliveries.put(offset, availableAtMillis);
        if (!returnedCounts.containsKey(offset)) {
            returnedCounts.put(offset, Integer.valueOf(1));
        }
    }

    /** The delivery count a returned message has so far (0 if never delivered). */
    public int deliveriesSoFar(long offset) {
        int leased = leases.deliveryCount(offset);
        if (leased >= 0) {
            return leased;
        }
        Integer count = returnedCounts.isEmpty() ? null : returnedCounts.get(offset);
        return count == null ? 0 : count;
    }

    /** Memory held beyond the bitmap, in entries: leases, returned counts and waiting redeliveries. */
    public int trackedEntries() {
        return leases.size() + returnedCounts.size() + redeliveries.size();
    }

    public OffsetSet settledSet() {
        return settled;
    }

    /**
     * Writes the cursor for a snapshot: the settled set, the delivery horizon, then every message that
     * was delivered and not settled with its delivery count (leased ones included: after a restart
     * they come back), then the waiting redeliveries with their times.
     */
    void writeTo(java.io.DataOutput out) throws java.io.IOException {
        settled.writeTo(out);
        out.writeLong(deliveredHorizon);
        Map<Long, Integer> counts = new HashMap<>(returnedCounts);
        leases.forEach((offset, holder, count, expiry) -> {
            if (count > 0) {
                counts.merge(offset, count, Math::max);
            }
        });
        out.writeInt(counts.size());
        for (Map.Entry<Long, Integer> e : counts.entrySet()) {
            out.writeLong(e.getKey());
            out.writeInt(e.getValue());
        }
        out.writeInt(redeliveries.size());
        for (Map.Entry<Long, Long> e : redeliveries.entrySet()) {
            out.writeLong(e.getKey());
            out.writeLong(e.getValue());
        }
    }

    /** Restores what {@link #writeTo} wrote (at start, before any consumer). */
    void readFrom(java.io.DataInput in) throws java.io.IOException {
        settled = OffsetSet.readFrom(in);
        deliveredHorizon = in.readLong();
        leases.clear();
        returnedCounts.clear();
        redeliveries.clear();
        int n = in.readInt();
        for (int i = 0; i < n; i++) {
            returnedCounts.put(in.readLong(), Integer.valueOf(in.readInt()));
        }
        n = in.readInt();
        for (int i = 0; i < n; i++) {
            redeliveries.put(in.readLong(), in.readLong());
        }
    }
}
