package io.keel.broker.delivery;

import java.nio.ByteBuffer;

import io.keel.broker.consume.CreditedPusher;
import io.keel.broker.destination.Destination;
import io.keel.protocol.command.Deliver;
import io.keel.protocol.message.EncodedMessage;
import io.keel.store.ConsumeQueueBatch;
import io.keel.store.MessageStore;
import io.keel.store.RecordSlice;
import io.keel.store.StoreException;
import io.netty.channel.Channel;

/**
 * A JMS consumer on a subscription. Runs on its connection's event loop: it offers due redeliveries
 * first, then scans its own position forward (higher priority bands first), skipping settled and
 * leased messages, expired ones (settled as expired) and those its filter rejects (they stay for
 * others). Each message it takes is leased in the subscription, written to the channel unflushed, and
 * recorded (one DELIVERED record per batch, appended before the channel is flushed, so no frame leaves
 * before the record a crash recovery needs to know of the delivery), within its credit.
 * {@link #wake()} may be called from any thread.
 *
 * <p>A delivery stores no reference into this consumer or its subscription (the staged state lives in
 * the I/O thread's {@link PushScratch}, the frames in the channel's outbound buffer): with 10,000
 * queues each such store dirtied a card of a different old object for the collector to refine, about
 * 2.5 us of G1 refinement per message that the 8-queue case did not pay.
 */
public final class SubscriptionConsumer extends CreditedPusher {

    /**
     * The delivery epoch stamped on every DELIVER frame; RECOVER raises it (on the channel's event
     * loop, like the pushes, so every frame written before it carries the old one).
     */
    private int epoch;

    private static final int READ_BATCH = 32;
    /** Most deliveries (DELIVERED entries and frames) one batch holds. */
    private static final int BATCH_FRAMES = READ_BATCH * 4;

    /**
     * What one I/O thread reuses for every consumer it pushes for, so a delivery allocates nothing
     * but its frame: the slice messages are read through, and the DELIVERED record of the batch being
     * pushed. A batch fills the entries while it writes its frames (unflushed), appends the record (the
     * store copies it), and only then flushes, the one step that can start another consumer's push on
     * this thread (a flush can make the channel writable again), which then finds the entries free.
     * (At 10,000 queues nearly every message is a batch of its own: a fresh 2.5 KiB entries buffer per
     * message was garbage the collector chased.)
     */
    private static final class PushScratch {
        final RecordSlice slice = RecordSlice.reusable();
        final StateRecord.Entries entries = new StateRecord.Entries(0, BATCH_FRAMES);
        final io.keel.store.AppendRecord record = new io.keel.store.AppendRecord();
    }

    private static final io.netty.util.concurrent.FastThreadLocal<PushScratch> SCRATCH =
            new io.netty.util.concurrent.FastThreadLocal<>() {
                @Override
                protected PushScratch initialValue() {
                    return new PushScratch();
                }
            };
    /** No noLocal filtering. */
    public static final long NO_ORIGIN = 0;

    /** The consumer id the client chose (unique on its connection only); DELIVER frames carry it. */
    private final long id;
    /**
     * The broker-wide identity of this consumer as a lease holder: clients number their consumers
     * per connection, so two connections' "consumer 1" on one queue must not share leases.
     */
    private final long holder;
    private final MessageStore store;
    private final DeliveryEngine engine;
    private final Subscription subscription;
    private final Destination destination;
    private final MessageFilter filter;
    private final long noLocalOrigin;
    private final long[] scan;
    private final ConsumeQueueBatch batch = new ConsumeQueueBatch(READ_BATCH);
    private final EncodedMessage message = new EncodedMessage();
    private volatile boolean rescanRequested;
    /** Deliveries in the batch being pushed: entries in this thread's {@link PushScratch}, frames written unflushed. */
    private int batchCount;

    SubscriptionConsumer(long id, Channel channel, MessageStore store, DeliveryEngine engine, Subscription subscription,
            MessageFilter filter, long noLocalOrigin, int creditMessages, long creditBytes) {
        super(channel, creditMessages, creditBytes);
        this.id = id;
        this.holder = engine.newLeaseHolder();
        this.noLocalOrigin = noLocalOrigin;
        this.store = store;
        this.engine = engine;
        this.subscription = subscription;
        this.destination = subscription.destination();
        this.filter = filter;
        this.scan = new long[destination.storeQueueCount()];
        java.util.Arrays.fill(scan, -1);
    }

    public long id() {
        return id;
    }

    /** The broker-wide lease holder id of this consumer (never the client's consumer id). */
    public long holder() {
        return holder;
    }

    public Subscription subscription() {
        return subscription;
    }

    public Channel channel() {
        return channel;
    }

    void markClosed() {
        close();
    }

    /** A recover of this consumer: later deliveries carry the next epoch. Channel event loop only. */
    void nextEpoch() {
        epoch++;
    }

    /**
     * Asks this consumer to scan again from the ack level at its next push (any thread): messages it
     * skipped because another consumer owned their group may be its to take now.
     */
    void rescan() {
        rescanRequested = true;
        wake();
    }

    @Override
    protected void pushOnce() {
        pumpOnce();
    }

    private void pumpOnce() {
        if (rescanRequested) {
            rescanRequested = false;
            java.util.Arrays.fill(scan, -1);
        }
        long now = System.currentTimeMillis();
        try {
            for (int band = Destination.BANDS - 1; band >= 0 && hasRoom(); band--) {
                for (int q = 0; q < destination.queueCount() && hasRoom(); q++) {
                    int sq = Destination.storeQueueId(q, band);
                    if (destination.exists(store, sq)) {
                        deliverFrom(sq, now);
                    }
                }
            }
        } catch (StoreException e) {
            // The store is closing (or a record vanished under retention): stop; the next wake retries.
        } finally {
            boolean full = batchCount >= BATCH_FRAMES;
            flushBatch(); // whatever happened, what was written is recorded and the thread's entries freed
            if (full) {
                pushAgain(); // the batch filled up before the credit did
            }
        }
    }

    private boolean hasRoom() {
        return hasCredit() && channel.isWritable() && batchCount < BATCH_FRAMES;
    }

    private void deliverFrom(int sq, long now) {
        // Redeliveries first, in offset order.
        long r = subscription.nextRedelivery(sq, 0, now);
        while (r >= 0 && hasRoom()) {
            offer(sq, r, now);
            r = subscription.nextRedelivery(sq, r + 1, now);
        }
        long max = destination.maxOffset(store, sq);
        long pos = scan[sq] < 0 ? subscription.ackLevel(sq) : scan[sq];
        while (hasRoom()) {
            pos = subscription.nextUnsettled(sq, pos);
            if (pos >= max) {
                break;
            }
            int n = store.readQueue(destination.key(sq), pos, READ_BATCH, batch);
            if (n == 0) {
                pos = Math.min(max, pos + READ_BATCH);
                continue;
            }
            for (int k = 0; k < n && hasRoom(); k++) {
                long offset = batch.queueOffset(k);
                if (offset >= pos) {
                    if (noLocalOrigin != NO_ORIGIN && batch.tagCode(k) == noLocalOrigin) {
                        engine.notForThisSubscription(subscription, sq, offset); // noLocal: its own message
                    } else {
                        offerAt(sq, offset, batch.physicalOffset(k), now);
                    }
                    pos = offset + 1;
                }
            }
        }
        scan[sq] = pos;
    }

    private void offer(int sq, long offset, long now) {
        ConsumeQueueBatch one = batch;
        if (store.readQueue(destination.key(sq), offset, 1, one) == 1 && one.queueOffset(0) == offset) {
            offerAt(sq, offset, one.physicalOffset(0), now);
        }
    }

    /** Checks and leases one message, and stages its frame. */
    private void offerAt(int sq, long offset, long physicalOffset, long now) {
        if (!subscription.isAvailable(sq, offset, now)) {
            return;
        }
        try (RecordSlice slice = store.readMessage(physicalOffset, SCRATCH.get().slice)) {
            ByteBuffer payload = slice.payload();
            int count = subscription.deliveriesSoFar(sq, offset) + 1;
            if (isExpired(payload, now)) {
                engine.expire(subscription, sq, offset);
                return;
            }
            if (!filter.matches(payload, payload.position(), payload.remaining(), count)) {
                return;
            }
            String group = groupOf(payload);
            if (group != null && !subscription.claimGroup(group, holder)) {
                return; // the group belongs to another consumer of this subscription
            }
            int leased = subscription.lease(sq, offset, holder, now, engine.settings(destination).leaseMillis());
            if (leased == 0) {
                return;
            }
            subscription.deliveredTo(this);
            StateRecord.Entries delivered = SCRATCH.get().entries;
            if (batchCount++ == 0) {
                delivered.reset(subscription.spec().id());
            }
            delivered.add(sq, offset, leased);
            // Written, not flushed: nothing reaches the socket before flushBatch appended the record.
            channel.write(Deliver.frame(channel.alloc(), id, sq, offset, leased, slice.record().storeTimestamp(),
                    payload, epoch), channel.voidPromise());
            creditMessages--;
            creditBytes -= payload.remaining();
        }
    }

    /** The message's JMSXGroupID, or null (also for bytes that are not an encoded JMS message). */
    private String groupOf(ByteBuffer payload) {
        try {
            message.wrap(payload, payload.position(), payload.remaining());
            return message.groupId();
        } catch (RuntimeException notAJmsMessage) {
            return null;
        }
    }

    private boolean isExpired(ByteBuffer payload, long now) {
        try {
            message.wrap(payload, payload.position(), payload.remaining());
            long expiration = message.expiration();
            return expiration != 0 && expiration <= now;
        } catch (RuntimeException notAJmsMessage) {
            return false; // raw bytes sent without the JMS codec never expire
        }
    }

    /** Records the batch's deliveries, then flushes its frames. */
    private void flushBatch() {
        if (batchCount == 0) {
            return;
        }
        PushScratch scratch = SCRATCH.get();
        engine.recordDelivered(scratch.record, scratch.entries);
        batchCount = 0; // the thread's entries are free again before the flush can start another push
        channel.flush();
    }
}
