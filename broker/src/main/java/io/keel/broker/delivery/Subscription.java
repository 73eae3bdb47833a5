package io.keel.broker.delivery;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import io.keel.broker.destination.Destination;

/**
 * The delivery state of one subscription (the single subscription of a queue, or a topic
 * subscription): a {@link QueueCursor} per store queue of its destination, and its consumers. Every
 * state change goes through this object's monitor, because competing consumers run on different
 * event loops; the critical sections are a few map operations.
 */
public final class Subscription {

    private final SubscriptionSpec spec;
    private final Destination destination;
    private final QueueCursor[] cursors;
    private final List<SubscriptionConsumer> consumers = new CopyOnWriteArrayList<>();
    /** The consumers as an array, replaced on every change, so waking them allocates nothing. */
    private volatile SubscriptionConsumer[] consumerArray = new SubscriptionConsumer[0];
    /** The cursors created so far, in creation order (most subscriptions use 1 of the 40 store queues). */
    private QueueCursor[] createdCursors = new QueueCursor[0];
    /** JMSXGroupID -> the consumer that owns the group (message groups: one consumer at a time per group). */
    private final java.util.Map<String, Long> groupOwners = new java.util.HashMap<>();

    /**
     * The engine's subscriptions with timed work (leases that expire, returned messages waiting for
     * their redelivery time): its 100 ms tick visits only these, not every one of 10,000 idle queues.
     */
    private final java.util.Set<Subscription> timedWork;
    /** Whether this subscription is in {@link #timedWork}. Guarded by this object's monitor. */
    private boolean timed;

    public Subscription(SubscriptionSpec spec, Destination destination, java.util.Set<Subscription> timedWork) {
        this.spec = spec;
        this.destination = destination;
        this.timedWork = timedWork;
        this.cursors = new QueueCursor[destination.storeQueueCount()];
    }

    /** Messages of this subscription moved to the dead-letter queue, and expired ones (replayed at start). */
    private long deadLettered;
    private long expired;

    synchronized void countSettled(long reason) {
        if (reason == StateRecord.SETTLED_DEAD_LETTER) {
            deadLettered++;
        } else if (reason == StateRecord.SETTLED_EXPIRED) {
            expired++;
        }
    }

    public synchronized long deadLettered() {
        return deadLettered;
    }

    public synchronized long expired() {
        return expired;
    }

    public SubscriptionSpec spec() {
        return spec;
    }

    public Destination destination() {
        return destination;
    }

    public List<SubscriptionConsumer> consumers() {
        return consumers;
    }

    void addConsumer(SubscriptionConsumer c) {
        synchronized (consumers) {
            consumers.add(c);
            consumerArray = consumers.toArray(new SubscriptionConsumer[0]);
        }
    }

    void removeConsumer(SubscriptionConsumer c) {
        synchronized (consumers) {
            consumers.remove(c);
            consumerArray = consumers.toArray(new SubscriptionConsumer[0]);
        }
        if (lastDelivered == c) {
            lastDelivered = null;
        }
    }

    /**
     * The cursor of a store queue, created on first use where the subscription starts on it: the
     * destination's floor for a queue, the topic's end at the time a topic subscription was created.
     */
    public synchronized QueueCursor cursor(int storeQueueId) {
        QueueCursor c = cursors[storeQueueId];
        if (c == null) {
            long start = spec.startOffset(storeQueueId);
            c = new QueueCursor(Math.max(start, destination.floor(storeQueueId)));
            cursors[storeQueueId] = c;
            createdCursors = java.util.Arrays.copyOf(createdCursors, createdCursors.length + 1);
            createdCursors[createdCursors.length - 1] = c;
        }
        return c;
    }

    /** The cursor if it exists, else null (never creates one). */
    synchronized QueueCursor existingCursor(int storeQueueId) {
        return cursors[storeQueueId];
    }

    public synchronized long ackLevel(int storeQueueId) {
        return cursor(storeQueueId).ackLevel();
    }

    /** The first offset at or after {@code from} that is neither settled nor leased. */
    synchronized long nextUnsettled(int storeQueueId, long from) {
        return cursor(storeQueueId).nextUnsettled(from);
    }

    synchronized boolean isSettled(int storeQueueId, long offset) {
        return cursor(storeQueueId).isSettled(offset);
    }

    synchronized int deliveriesSoFar(int storeQueueId, long offset) {
        return cursor(storeQueueId).deliveriesSoFar(offset);
    }

    synchronized boolean isAvailable(int storeQueueId, long offset, long nowMillis) {
        return cursor(storeQueueId).isAvailable(offset, nowMillis);
    }

    /** Leases a message to a consumer; returns the delivery count, or 0 if someone else got it. */
    synchronized int lease(int storeQueueId, long offset, long consumerId, long nowMillis, long leaseMillis) {
        int count = cursor(storeQueueId).lease(offset, consumerId, nowMillis, leaseMillis);
        if (count > 0 && leaseMillis > 0) {
            noteTimedWork();
        }
        return count;
    }

    /** Puts this subscription in the tick's set (under the monitor, as is leaving it). */
    private void noteTimedWork() {
        if (!timed) {
            timed = true;
            timedWork.add(this);
        }
    }

    /**
     * Tick: leaves the set of subscriptions with timed work when no returned message waits and, if
     * leases expire ({@code leasesExpire}), none is leased.
     */
    synchronized void leaveTimedWorkIfNone(boolean leasesExpire) {
        for (QueueCursor c : createdCursors) {
            if (c.redeliveryCount() > 0 || (leasesExpire && c.leaseCount() > 0)) {
                return;
            }
        }
        timed = false;
        timedWork.remove(this);
    }

    /** Takes this subscription out of the tick's set for good (it was deleted). */
    synchronized void leaveTimedWork() {
        timed = false;
        timedWork.remove(this);
    }

    /** A due redelivery at or after {@code from}, or -1. */
    synchronized long nextRedelivery(int storeQueueId, long from, long nowMillis) {
        QueueCursor c = cursors[storeQueueId];
        return c == null ? -1 : c.nextRedelivery(from, nowMillis);
    }

    /** Settles a message if it is leased to {@code consumerId} (or anyone, with -1); returns whether it changed. */
    synchronized boolean settle(int storeQueueId, long offset, long consumerId) {
        QueueCursor c = cursor(storeQueueId);
        if (consumerId >= 0 && c.holderOf(offset) != consumerId) {
            return false;
        }
        return c.settle(offset);
    }

    /** Moves the lease of one message from holder {@code from} to {@code to}; returns whether it was held by {@code from}. */
    synchronized boolean transfer(int storeQueueId, long offset, long from, long to) {
        return cursor(storeQueueId).transfer(offset, from, to);
    }

    /** Settles unconditionally (expiry, dead-letter move, replay). */
    synchronized boolean settleAny(int storeQueueId, long offset) {
        return cursor(storeQueueId).settle(offset);
    }

    /** Returns one message leased to {@code consumerId}; returns its delivery count so far or 0. */
    synchronized int release(int storeQueueId, long offset, long consumerId, long availableAtMillis) {
        QueueCursor c = cursor(storeQueueId);
        if (c.holderOf(offset) != consumerId) {
            return 0;
        }
        noteTimedWork();
        return c.release(offset, availableAtMillis);
    }

    /** A message returned to the subscription: store queue, offset, deliveries so far. */
    public record Returned(int storeQueueId, long offset, int deliveries) {
    }

    /**
     * Whether {@code consumerId} may take a message of {@code group}: yes if the group has no owner (it
     * becomes the owner) or already belongs to it.
     */
    synchronized boolean claimGroup(String group, long consumerId) {
        Long owner = groupOwners.putIfAbsent(group, consumerId);
        return owner == null || owner == consumerId;
    }

    /** Frees the groups of a consumer that closed; returns whether it owned any. */
    synchronized boolean releaseGroups(long consumerId) {
        return groupOwners.values().removeIf(owner -> owner == consumerId);
    }

    synchronized int groupCount() {
        return groupOwners.size();
    }

    /** Keeps a returned message from every consumer until the broker settles or releases it. */
    /** Takes a message nobody holds out of circulation (e.g. to move it); returns false if it was not available. */
    synchronized boolean holdIfAvailable(int storeQueueId, long offset) {
        if (!cursor(storeQueueId).isAvailable(offset, Long.MAX_VALUE)) {
            return false;
        }
        cursor(storeQueueId).hold(offset);
        return true;
    }

    synchronized void hold(int storeQueueId, long offset) {
        cursor(storeQueueId).hold(offset);
    }

    /** Returns everything leased to {@code consumerId}. */
    synchronized List<Returned> releaseConsumer(long consumerId, long availableAtMillis) {
        List<Returned> out = new ArrayList<>();
        for (int s = 0; s < cursors.length; s++) {
            QueueCursor c = cursors[s];
            if (c != null) {
                for (long o : c.releaseConsumer(consumerId, availableAtMillis)) {
                    out.add(new Returned(s, o, c.deliveriesSoFar(o)));
                }
            }
        }
        if (!out.isEmpty()) {
            noteTimedWork();
        }
        return out;
    }

    /** Takes back, uncounted, everything leased to {@code consumerId} (its client never showed it); returns whether any. */
    synchronized boolean returnUnseenOf(long consumerId) {
        boolean any = false;
        for (QueueCursor c : cursors) {
            if (c != null) {
                for (long o : c.leasedTo(consumerId)) {
                    any |= c.returnUnseen(o);
                }
            }
        }
        if (any) {
            noteTimedWork();
        }
        return any;
    }

    /** Returns leases past their deadline. */
    synchronized List<Returned> expireLeases(long nowMillis, long redeliveryDelayMillis) {
        List<Returned> out = new ArrayList<>();
        for (int s = 0; s < cursors.length; s++) {
            QueueCursor c = cursors[s];
            if (c != null) {
                for (long o : c.expireLeases(nowMillis, redeliveryDelayMillis)) {
                    out.add(new Returned(s, o, c.deliveriesSoFar(o)));
                }
            }
        }
        return out;
    }

    /** Replay: a delivery recorded before a restart. */
    synchronized void replayDelivered(int storeQueueId, long offset, int count) {
        QueueCursor c = cursor(storeQueueId);
        if (!c.isSettled(offset)) {
            c.recordDelivered(offset, count);
        }
    }

    /** Replay: a return recorded before a restart. */
    synchronized void replayReleased(int storeQueueId, long offset, long availableAtMillis) {
        QueueCursor c = cursor(storeQueueId);
        if (!c.isSettled(offset)) {
            c.recordReturned(offset, availableAtMillis);
            noteTimedWork();
        }
    }

    /** After an unclean shutdown: everything below the delivery horizons may have been delivered. */
    synchronized void markMaybeDelivered() {
        for (QueueCursor c : cursors) {
            if (c != null) {
                c.markMaybeDelivered(c.deliveredHorizon());
            }
        }
    }

    /** Whether a returned message became due for redelivery by {@code nowMillis}. */
    synchronized boolean hasDueRedelivery(long nowMillis) {
        for (QueueCursor c : createdCursors) { // every 100 ms for every subscription: only the cursors in use
            if (c.redeliveryCount() > 0 && c.nextRedeliveryTime() <= nowMillis) {
                return true;
            }
        }
        return false;
    }

    /** After a purge: everything below each store queue's new floor is settled. */
    synchronized void settleBelowFloors() {
        for (int sq = 0; sq < cursors.length; sq++) {
            if (cursors[sq] != null) {
                cursors[sq].settleBelow(destination.floor(sq));
            }
        }
    }

    /** Messages stored and not settled (acknowledged, expired, dead-lettered), over every store queue. */
    public synchronized long depth(io.keel.store.MessageStore store) {
        long depth = 0;
        for (int sq = 0; sq < cursors.length; sq++) {
            long max = destination.maxOffset(store, sq);
            QueueCursor c = cursors[sq];
            long start = c != null ? c.ackLevel() : Math.max(spec.startOffset(sq), destination.floor(sq));
            long settledAbove = c != null ? c.settledSet().sizeAboveWatermark() : 0;
            depth += Math.max(0, max - start - settledAbove);
        }
        return depth;
    }

    /** Messages leased to consumers now. */
    public synchronized int inFlight() {
        int n = 0;
        for (QueueCursor c : cursors) {
            if (c != null) {
                n += c.leaseCount();
            }
        }
        return n;
    }

    /** Wakes every consumer (new messages, or redeliveries became due). */
    public void wakeConsumers() {
        // Starting after the consumer that took the last delivery: competing consumers of one
        // connection run their pushes in wake order, so messages arriving one at a time go round the
        // consumers instead of all to the first.
        SubscriptionConsumer[] all = consumerArray;
        int n = all.length;
        if (n == 0) {
            return;
        }
        int start = 0;
        SubscriptionConsumer last = lastDelivered;
        for (int i = 0; i < n; i++) {
            if (all[i] == last) {
                start = i + 1;
                break;
            }
        }
        for (int i = 0; i < n; i++) {
            all[(start + i) % n].wake();
        }
    }

    /** The consumer that took the most recent delivery (for the order of {@link #wakeConsumers}). */
    private volatile SubscriptionConsumer lastDelivered;

    void deliveredTo(SubscriptionConsumer c) {
        // Stored only when it changes: a reference store per delivery into 10,000 different
        // subscriptions dirtied a card each for the collector to refine.
        if (lastDelivered != c) {
            lastDelivered = c;
        }
    }

    /** Writes the subscription's state for a snapshot: counters, then each cursor that exists. */
    synchronized void writeTo(java.io.DataOutput out) throws java.io.IOException {
        out.writeLong(deadLettered);
        out.writeLong(expired);
        int n = 0;
        for (QueueCursor c : cursors) {
            n += c == null ? 0 : 1;
        }
        out.writeInt(n);
        for (int sq = 0; sq < cursors.length; sq++) {
            if (cursors[sq] != null) {
                out.writeInt(sq);
                cursors[sq].writeTo(out);
            }
        }
    }

    /** Restores what {@link #writeTo} wrote. */
    synchronized void readFrom(java.io.DataInput in) throws java.io.IOException {
        deadLettered = in.readLong();
        expired = in.readLong();
        int n = in.readInt();
        for (int i = 0; i < n; i++) {
            int sq = in.readInt();
            if (sq < 0 || sq >= cursors.length) {
                throw new java.io.IOException("store queue " + sq + " does not exist on " + destination.id());
            }
            cursor(sq).readFrom(in);
        }
        noteTimedWork(); // waiting redeliveries may have been restored: the next tick checks, and lets go if none
    }

    /** Reads past one subscription's state written by {@link #writeTo}. */
    static void skip(java.io.DataInput in) throws java.io.IOException {
        in.readLong();
        in.readLong();
        int n = in.readInt();
        for (int i = 0; i < n; i++) {
            in.readInt();
            new QueueCursor(0).readFrom(in);
        }
    }
}
