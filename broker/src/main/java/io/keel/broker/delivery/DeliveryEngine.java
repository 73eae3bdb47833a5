package io.keel.broker.delivery;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.keel.broker.destination.Destination;
import io.keel.broker.destination.DestinationId;
import io.keel.broker.destination.DestinationRegistry;
import io.keel.broker.produce.ProducerWindow;
import io.keel.protocol.selector.Selector;
import io.keel.protocol.selector.SelectorCache;
import io.keel.protocol.selector.SelectorSyntaxError;
import io.keel.store.AppendCallback;
import io.keel.store.AppendRecord;
import io.keel.store.DispatchListener;
import io.keel.store.MessageStore;
import io.keel.store.RecordView;
import io.keel.store.StoreException;
import io.netty.channel.Channel;

/**
 * JMS delivery on top of the store: the subscriptions and their consumers, leases, acknowledgements,
 * returns with redelivery counts, the dead-letter queue, expiry. Every state change is a system record
 * in the CommitLog; at start the engine replays them, so acknowledged messages stay consumed and
 * delivery counts survive a restart.
 */
public final class DeliveryEngine implements DispatchListener, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(DeliveryEngine.class);

    private final MessageStore store;
    private final DestinationRegistry destinations;
    private final SettingsByDestination settings;
    private final Map<Long, Subscription> byId = new ConcurrentHashMap<>();
    private final Map<DestinationId, Subscription> queueSubscriptions = new ConcurrentHashMap<>();
    /** Durable and shared topic subscriptions, by (client id or null, name). */
    private final Map<SubscriptionName, Subscription> namedSubscriptions = new ConcurrentHashMap<>();

    /** The identity of a named topic subscription: JMS scopes names by client id (or globally without one). */
    record SubscriptionName(String clientId, String name) {
    }

    /** A subscription request that breaks a JMS rule; the message names the subscription and the rule. */
    public static final class SubscriptionException extends RuntimeException {
        /** The subscription named does not exist (as opposed to: it exists but the request breaks a rule). */
        public final boolean unknown;

        public SubscriptionException(String message) {
            this(message, false);
        }

        public SubscriptionException(String message, boolean unknown) {
            super(message);
            this.unknown = unknown;
        }
    }
    private final AtomicLong nextSubscriptionId = new AtomicLong(1);
    /** Lease holders: consumers and transactions, unique in this broker process (never 0 or negative). */
    private final AtomicLong nextLeaseHolder = new AtomicLong(1);
    private final ScheduledExecutorService timer;
    private final SelectorCache selectors = new SelectorCache(1024);
    private final DelayedDelivery delays;
    private final TransactionCoordinator transactions;
    private final MessageMover mover;
    private final DispatchWaker waker;

    private final EffectBarrier barrier = new EffectBarrier();
    private final ForwardIndex forwards;
    private final ProducerWindow producers;
    private final DeliveryCheckpointer checkpointer;
    private final ScheduledExecutorService checkpoints;

    /**
     * @param stateDirectory        where the delivery snapshots live
     * @param snapshotIntervalMillis how often a snapshot is written and the CommitLog trimmed by retention
     */
    public DeliveryEngine(MessageStore store, DestinationRegistry destinations, DeliverySettings settings,
            java.nio.file.Path stateDirectory, long snapshotIntervalMillis) {
        this(store, destinations, settings, stateDirectory, snapshotIntervalMillis, ProducerWindow.DEFAULT_WINDOW_MILLIS);
    }

    public DeliveryEngine(MessageStore store, DestinationRegistry destinations, DeliverySettings settings,
            java.nio.file.Path stateDirectory, long snapshotIntervalMillis, long duplicateWindowMillis) {
        this.producers = new ProducerWindow(duplicateWindowMillis, barrier);
        this.store = store;
        this.destinations = destinations;
        this.settings = new SettingsByDestination(settings);
        this.delays = new DelayedDelivery(store, barrier);
        this.transactions = new TransactionCoordinator(this, store, delays);
        this.mover = new MessageMover(store, destinations);
        this.waker = new DispatchWaker(destinations);
        this.forwards = new ForwardIndex(store.config().segmentSize());
        this.checkpointer = new DeliveryCheckpointer(this, store, destinations, stateDirectory);
        replay();
        delays.start();
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "keel-delivery-timer");
            t.setDaemon(true);
            return t;
        });
        timer.scheduleWithFixedDelay(this::tick, 100, 100, TimeUnit.MILLISECONDS);
        this.checkpoints = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "keel-delivery-checkpoint");
            t.setDaemon(true);
            return t;
        });
        checkpoints.scheduleWithFixedDelay(this::checkpointQuietly, snapshotIntervalMillis, snapshotIntervalMillis,
                TimeUnit.MILLISECONDS);
    }

    /**
     * Writes a snapshot of the delivery state and deletes the CommitLog below what every consumer,
     * timer, open transaction and snapshot still needs; returns the oldest offset kept.
     */
    public long checkpoint() throws java.io.IOException {
        return checkpointer.checkpoint();
    }

    private void checkpointQuietly() {
        try {
            checkpointer.checkpoint();
        } catch (java.io.IOException | RuntimeException e) {
            LOG.error("delivery snapshot not written: {}; retention waits for the next one", e.toString());
        }
    }

    /** Duplicate detection of idempotent producers (restored with the delivery state). */
    public ProducerWindow producers() {
        return producers;
    }

    EffectBarrier barrier() {
        return barrier;
    }

    ForwardIndex forwards() {
        return forwards;
    }

    long nextSubscriptionIdValue() {
        return nextSubscriptionId.get();
    }

    void restoredNextSubscriptionId(long next) {
        nextSubscriptionId.accumulateAndGet(next, Math::max);
    }

    /** A snapshot could not be loaded after all: start again from nothing. */
    void forgetRestoredState() {
        byId.clear();
        byDestination.clear();
        timedWork.clear();
        queueSubscriptions.clear();
        namedSubscriptions.clear();
        delays.forgetReplay();
    }

    /** Registers a subscription read from a snapshot or a SUBSCRIPTION record; null if its destination is gone. */
    private Subscription register(SubscriptionSpec spec) {
        nextSubscriptionId.accumulateAndGet(spec.id() + 1, Math::max);
        Destination d = destinations.get(spec.destination());
        if (d == null) {
            return null;
        }
        Subscription s = new Subscription(spec, d, timedWork);
        add(s);
        if (spec.kind() == SubscriptionSpec.Kind.QUEUE) {
            queueSubscriptions.put(spec.destination(), s);
        } else {
            namedSubscriptions.put(new SubscriptionName(spec.clientId(), spec.name()), s);
        }
        return s;
    }

    /** The subscriptions a snapshot holds: those recorded in the log (queues and durable topic subscriptions). */
    DeliverySnapshot.Source snapshotSource() {
        return new DeliverySnapshot.Source() {
            @Override
            public Iterable<Subscription> persistentSubscriptions() {
                return byId.values().stream().filter(s -> s.spec().kind().durable()
                        || (s.spec().kind() == SubscriptionSpec.Kind.QUEUE && !s.spec().destination().type().isTemporary()))
                        .toList();
            }

            @Override
            public DelayedDelivery delays() {
                return delays;
            }

            @Override
            public ForwardIndex forwards() {
                return forwards;
            }

            @Override
            public ProducerWindow producers() {
                // Each snapshot first forgets producers idle past the window: they can no longer be resending.
                producers.forgetIdle(System.currentTimeMillis());
                return producers;
            }
        };
    }

    /** A new broker-wide lease holder id, for a consumer or a transaction. */
    public long newLeaseHolder() {
        return nextLeaseHolder.getAndIncrement();
    }

    /** The broker's default delivery settings. */
    public DeliverySettings settings() {
        return settings.defaults();
    }

    /** The delivery settings of a destination: the broker's defaults with what an administrator set for it. */
    public DeliverySettings settings(Destination d) {
        return settings.of(d);
    }

    /** The delivery-delay timer. */
    public DelayedDelivery delays() {
        return delays;
    }

    // ---- replay ----------------------------------------------------------------------------------

    private void replay() {
        new DeliveryReplay(this, store, checkpointer).run();
    }

    /** Registers a subscription of the snapshot or of a SUBSCRIPTION record (replay); null if its destination is gone. */
    Subscription registerReplayed(SubscriptionSpec spec) {
        return byId.containsKey(spec.id()) ? byId.get(spec.id()) : register(spec);
    }

    /** A SUBSCRIPTION_DELETE record (replay). */
    void unregisterReplayed(long subscriptionId) {
        Subscription s = remove(subscriptionId);
        if (s != null) {
            queueSubscriptions.remove(s.spec().destination(), s);
            namedSubscriptions.remove(new SubscriptionName(s.spec().clientId(), s.spec().name()), s);
        }
    }

    // ---- subscriptions and consumers ---------------------------------------------------------------

    /** The subscription of a queue, created (and recorded durably) on first use. */
    public Subscription queueSubscription(Destination d) {
        Subscription s = queueSubscriptions.get(d.id());
        if (s != null) {
            return s;
        }
        synchronized (this) {
            s = queueSubscriptions.get(d.id());
            if (s == null) {
                SubscriptionSpec spec = new SubscriptionSpec(nextSubscriptionId.getAndIncrement(),
                        SubscriptionSpec.Kind.QUEUE, d.id(), null, null, null, false, null);
                if (!d.id().type().isTemporary()) { // a temporary queue dies with its connection anyway
                    appendAndWait(StateRecord.SUBSCRIPTION, StateRecord.subscription(spec));
                }
                s = new Subscription(spec, d, timedWork);
                add(s);
                queueSubscriptions.put(d.id(), s);
            }
            return s;
        }
    }

    /**
     * The subscription a topic consumer reads. A non-durable one is new and private to the consumer;
     * shared and durable ones are found by (client id, name) and created on first use, starting at the
     * topic's current end. An inactive durable subscription whose topic or selector differs is replaced.
     */
    public synchronized Subscription topicSubscription(Destination topic, SubscriptionSpec.Kind kind, String name,
            String clientId, String selector, boolean noLocal) {
        if (kind == SubscriptionSpec.Kind.NON_DURABLE) {
            Subscription s = new Subscription(newTopicSpec(topic, kind, null, clientId, selector, noLocal), topic, timedWork);
            add(s);
            return s;
        }
        if (name == null || name.isEmpty()) {
            throw new SubscriptionException("a " + describe(kind) + " subscription needs a name");
        }
        if (kind == SubscriptionSpec.Kind.DURABLE && clientId == null) {
            throw new SubscriptionException("durable subscription '" + name
                    + "': an unshared durable subscription needs a client id on the connection");
        }
        SubscriptionName key = new SubscriptionName(clientId, name);
        Subscription existing = namedSubscriptions.get(key);
        if (existing != null) {
            SubscriptionSpec e = existing.spec();
            if (e.kind() != kind) {
                throw new SubscriptionException("subscription '" + name + "'" + (clientId == null ? "" : " of client '"
                        + clientId + "'") + " exists as a " + describe(e.kind()) + " subscription; it cannot be used as a "
                        + describe(kind) + " one");
            }
            boolean same = e.destination().equals(topic.id()) && java.util.Objects.equals(blankToNull(e.selector()),
                    blankToNull(selector)) && (kind.shared() || e.noLocal() == noLocal);
            if (same) {
                if (kind == SubscriptionSpec.Kind.DURABLE && !existing.consumers().isEmpty()) {
                    throw new SubscriptionException("durable subscription '" + name + "' of client '" + clientId
                            + "' already has an active consumer");
                }
                return existing;
            }
            if (!existing.consumers().isEmpty()) {
                throw new SubscriptionException("subscription '" + name + "' has active consumers; its topic or selector"
                        + " cannot change until they close");
            }
            delete(existing);
        }
        SubscriptionSpec spec = newTopicSpec(topic, kind, name, clientId, selector, noLocal);
        if (kind.durable()) {
            appendAndWait(StateRecord.SUBSCRIPTION, StateRecord.subscription(spec));
        }
        Subscription s = new Subscription(spec, topic, timedWork);
        add(s);
        namedSubscriptions.put(key, s);
        return s;
    }

    private SubscriptionSpec newTopicSpec(Destination topic, SubscriptionSpec.Kind kind, String name, String clientId,
            String selector, boolean noLocal) {
        // Start after everything already appended, dispatched or not: a message published before the
        // subscription existed never belongs to it.
        long[] starts = new long[topic.storeQueueCount()];
        for (int sq = 0; sq < starts.length; sq++) {
            starts[sq] = store.assignedQueueOffset(topic.key(sq));
        }
        return new SubscriptionSpec(nextSubscriptionId.getAndIncrement(), kind, topic.id(), name, clientId,
                blankToNull(selector), noLocal, starts);
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }

    private static String describe(SubscriptionSpec.Kind kind) {
        return kind.name().toLowerCase(java.util.Locale.ROOT).replace('_', ' ');
    }

    /** Forgets every subscription of a deleted destination (temporary, or deleted by an administrator). */
    public synchronized void destinationRemoved(DestinationId id) {
        queueSubscriptions.remove(id);
        for (Subscription s : new java.util.ArrayList<>(byId.values())) {
            if (s.spec().destination().equals(id)) {
                remove(s.spec().id());
            }
        }
        namedSubscriptions.values().removeIf(s -> s.spec().destination().equals(id));
        waker.forget(id);
        byDestination.keySet().removeIf(d -> d.id().equals(id));
    }

    /** Deletes a durable subscription by name; fails while it has active consumers. */
    public synchronized void unsubscribe(String clientId, String name) {
        Subscription s = namedSubscriptions.get(new SubscriptionName(clientId, name));
        if (s == null || !s.spec().kind().durable()) {
            throw new SubscriptionException("there is no durable subscription '" + name + "'"
                    + (clientId == null ? "" : " for client '" + clientId + "'"), true);
        }
        if (!s.consumers().isEmpty()) {
            throw new SubscriptionException("durable subscription '" + name + "' has an active consumer; close it first");
        }
        delete(s);
    }

    private void delete(Subscription s) {
        remove(s.spec().id());
        namedSubscriptions.remove(new SubscriptionName(s.spec().clientId(), s.spec().name()), s);
        if (s.spec().kind().durable()) {
            appendAndWait(StateRecord.SUBSCRIPTION_DELETE, java.nio.ByteBuffer.allocate(8).putLong(0, s.spec().id()));
        }
    }

    /** Opens a consumer on {@code s}; it starts delivering at once. */
    public SubscriptionConsumer openConsumer(long consumerId, Channel channel, Subscription s, MessageFilter filter,
            long noLocalOrigin, int creditMessages, long creditBytes) {
        SubscriptionConsumer c = new SubscriptionConsumer(consumerId, channel, store, this, s, filter, noLocalOrigin,
                creditMessages, creditBytes);
        s.addConsumer(c);
        s.destination().consumers().incrementAndGet();
        c.pump();
        return c;
    }

    /** Closes a consumer: what it holds goes back to the subscription, redelivered to others. */
    public void closeConsumer(SubscriptionConsumer c) {
        closeConsumer(c, false);
    }

    /**
     * Closes a consumer; what it still holds goes back, counted as delivered, or with {@code unseen}
     * (the client says it never handed those to its application) due at once and not counted.
     */
    public void closeConsumer(SubscriptionConsumer c, boolean unseen) {
        if (c.isClosed()) {
            return;
        }
        c.markClosed();
        Subscription s = c.subscription();
        s.removeConsumer(c);
        s.destination().consumers().decrementAndGet();
        if (s.releaseGroups(c.holder())) {
            for (SubscriptionConsumer other : s.consumers()) {
                other.rescan(); // messages of the freed groups were skipped by the others
            }
        }
        SubscriptionSpec.Kind kind = s.spec().kind();
        if (kind == SubscriptionSpec.Kind.NON_DURABLE
                || (kind == SubscriptionSpec.Kind.SHARED_NON_DURABLE && s.consumers().isEmpty())) {
            synchronized (this) {
                if (s.consumers().isEmpty()) {
                    remove(s.spec().id());
                    namedSubscriptions.remove(new SubscriptionName(s.spec().clientId(), s.spec().name()), s);
                    return; // a non-durable subscription ends with its (last) consumer
                }
            }
        }
        if (unseen) {
            if (s.returnUnseenOf(c.holder())) {
                s.wakeConsumers();
            }
            return;
        }
        returned(s, s.releaseConsumer(c.holder(), System.currentTimeMillis()
                + settings(s.destination()).redeliveryDelayMillis()));
    }

    // ---- local transactions -------------------------------------------------------------------------

    /** Local transactions: acknowledgement into a transaction, commit, rollback. */
    public TransactionCoordinator transactions() {
        return transactions;
    }

    // ---- acknowledgements and returns ------------------------------------------------------------------

    /**
     * Settles the listed messages leased to {@code c}; {@code done} completes once the SETTLED record
     * is durable. Offsets not leased to this consumer are ignored (already settled or returned).
     */
    public void acknowledge(SubscriptionConsumer c, int[] storeQueueIds, long[] offsets, int count, boolean awaitFlush,
            AppendCallback done) {
        Subscription s = c.subscription();
        StateRecord.Entries settled = new StateRecord.Entries(s.spec().id(), count);
        for (int i = 0; i < count; i++) {
            if (storeQueueIds[i] >= 0 && storeQueueIds[i] < s.destination().storeQueueCount()
                    && s.settle(storeQueueIds[i], offsets[i], c.holder())) {
                settled.add(storeQueueIds[i], offsets[i], StateRecord.SETTLED_ACK);
            }
        }
        AppendRecord r = new AppendRecord().system(StateRecord.SETTLED, settled.payload()).awaitFlush(awaitFlush);
        store.append(r, done);
    }

    /** Returns the listed messages (recover, rollback): redelivered after the delay, or dead-lettered. */
    public void release(SubscriptionConsumer c, int[] storeQueueIds, long[] offsets, int count) {
        Subscription s = c.subscription();
        long at = System.currentTimeMillis() + settings(s.destination()).redeliveryDelayMillis();
        List<Subscription.Returned> back = new java.util.ArrayList<>();
        for (int i = 0; i < count; i++) {
            if (storeQueueIds[i] >= 0 && storeQueueIds[i] < s.destination().storeQueueCount()) {
                int deliveries = s.release(storeQueueIds[i], offsets[i], c.holder(), at);
                if (deliveries > 0) {
                    back.add(new Subscription.Returned(storeQueueIds[i], offsets[i], deliveries));
                }
            }
        }
        returned(s, back);
    }

    /**
     * Recover of one consumer (its channel's event loop, so no push of it runs in between): the
     * listed deliveries, which its application saw, go back counted; everything else it holds was only
     * prefetched and goes back due at once and uncounted (not logged: after a crash those count as
     * delivered, which only errs on the side of JMSRedelivered); its later deliveries carry a new epoch.
     */
    public void recover(SubscriptionConsumer c, int[] storeQueueIds, long[] offsets, int count) {
        release(c, storeQueueIds, offsets, count);
        c.nextEpoch();
        if (c.subscription().returnUnseenOf(c.holder())) {
            c.subscription().wakeConsumers();
        }
    }

    /** Records returns and moves messages delivered too often to the dead-letter queue. */
    void returned(Subscription s, List<Subscription.Returned> back) {
        if (back.isEmpty()) {
            return;
        }
        DeliverySettings ds = settings(s.destination());
        long at = System.currentTimeMillis() + ds.redeliveryDelayMillis();
        StateRecord.Entries released = new StateRecord.Entries(s.spec().id(), back.size());
        for (Subscription.Returned r : back) {
            if (r.deliveries() >= ds.maxDeliveries()) {
                s.hold(r.storeQueueId(), r.offset()); // out of circulation while it is copied
                mover.moveTo(s, r.storeQueueId(), r.offset(), ds.deadLetterQueue(), StateRecord.SETTLED_DEAD_LETTER,
                        "after " + r.deliveries() + " deliveries", ds.redeliveryDelayMillis());
            } else {
                released.add(r.storeQueueId(), r.offset(), at);
            }
        }
        if (released.count() > 0) {
            store.append(new AppendRecord().system(StateRecord.RELEASED, released.payload()).awaitFlush(false),
                    IGNORE);
        }
        s.wakeConsumers();
    }

    /** Settles a message that never belongs to a noLocal subscription (published by its own connection). */
    void notForThisSubscription(Subscription s, int sq, long offset) {
        s.settleAny(sq, offset); // derived from the message's origin, so replay decides the same way
    }

    /** Settles an expired message (never delivered), after moving it to the expiry queue if there is one. */
    void expire(Subscription s, int sq, long offset) {
        DeliverySettings ds = settings(s.destination());
        if (ds.expiryQueue() != null && !ds.expiryQueue().equals(s.destination().id().name())) {
            if (s.holdIfAvailable(sq, offset)) { // out of circulation while it is copied
                mover.moveTo(s, sq, offset, ds.expiryQueue(), StateRecord.SETTLED_EXPIRED, "expired",
                        ds.redeliveryDelayMillis());
            }
            return;
        }
        if (s.settleAny(sq, offset)) {
            s.countSettled(StateRecord.SETTLED_EXPIRED);
            store.append(new AppendRecord().system(StateRecord.SETTLED, new StateRecord.Entries(s.spec().id(), 1)
                    .add(sq, offset, StateRecord.SETTLED_EXPIRED).payload()).awaitFlush(false), IGNORE);
        }
    }

    /** Records a batch of deliveries (written before the frames go out; not waited for). */
    /** Appends a DELIVERED record; {@code record} is the caller's to reuse (the store copies the payload before returning). */
    void recordDelivered(AppendRecord record, StateRecord.Entries delivered) {
        store.append(record.reset().system(StateRecord.DELIVERED, delivered.payload()).awaitFlush(false), IGNORE);
    }

    private void appendAndWait(int type, ByteBuffer payload) {
        io.keel.store.AppendFuture f = new io.keel.store.AppendFuture();
        store.append(new AppendRecord().system(type, payload), f);
        try {
            f.get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new StoreException("cannot record delivery state: " + e.getMessage(), e);
        }
    }

    static final AppendCallback IGNORE = new AppendCallback() {
        @Override
        public void appended(long physicalOffset, long queueOffset, int size, long storeTimestamp) {
        }

        @Override
        public void failed(StoreException error) {
            LOG.warn("delivery state record not written: {}", error.getMessage());
        }
    };

    // ---- waking ---------------------------------------------------------------------------------------

    /** Dispatcher thread: notes the destinations a batch carried messages for (see {@link DispatchWaker}). */
    @Override
    public void onRecord(RecordView record) {
        forwards.onRecord(record);
        waker.onRecord(record);
    }

    @Override
    public void onBatchDispatched(long dispatchedOffset) {
        waker.onBatchDispatched(byDestination);
    }

    /**
     * The subscriptions of each destination, for waking: arrays replaced on change (atomically per
     * destination), so a wake-up per dispatched message allocates no iterator.
     */
    private final Map<Destination, Subscription[]> byDestination = new ConcurrentHashMap<>();

    private void add(Subscription s) {
        byId.put(s.spec().id(), s);
        byDestination.merge(s.destination(), new Subscription[] {s}, (had, one) -> {
            Subscription[] more = java.util.Arrays.copyOf(had, had.length + 1);
            more[had.length] = one[0];
            return more;
        });
    }

    private Subscription remove(long subscriptionId) {
        Subscription s = byId.remove(subscriptionId);
        if (s != null) {
            s.leaveTimedWork();
            byDestination.computeIfPresent(s.destination(), (d, had) -> {
                Subscription[] left = java.util.Arrays.stream(had).filter(x -> x != s).toArray(Subscription[]::new);
                return left.length == 0 ? null : left;
            });
        }
        return s;
    }

    /**
     * The subscriptions with expiring leases or returned messages waiting for their time: the only
     * ones the tick visits (each subscription enters and leaves under its own monitor).
     */
    private final java.util.Set<Subscription> timedWork = ConcurrentHashMap.newKeySet();

    /** Expires leases and wakes consumers whose redeliveries became due. */
    private void tick() {
        long now = System.currentTimeMillis();
        for (Subscription s : timedWork) {
            DeliverySettings ds = settings(s.destination());
            boolean leasesExpire = ds.leaseMillis() > 0;
            if (leasesExpire) {
                returned(s, s.expireLeases(now, ds.redeliveryDelayMillis()));
            }
            if (!s.consumers().isEmpty() && s.hasDueRedelivery(now)) {
                s.wakeConsumers();
            }
            s.leaveTimedWorkIfNone(leasesExpire);
        }
    }

    /** How many subscriptions the tick visits now (tests). */
    int timedWorkSize() {
        return timedWork.size();
    }

    /**
     * The filter of a selector; null or blank selects everything. Throws IllegalArgumentException
     * naming the selector and the error when it does not parse.
     */
    public MessageFilter filter(String selector) {
        if (Selector.isBlank(selector)) {
            return MessageFilter.ALL;
        }
        try {
            return new SelectorFilter(selectors.get(selector));
        } catch (SelectorSyntaxError e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }

    /** A destination was purged: its subscriptions drop what lies below the new floors. */
    public void purged(Destination d) {
        for (Subscription s : byId.values()) {
            if (s.destination() == d) {
                s.settleBelowFloors();
            }
        }
    }

    /** The subscription of a queue if it exists (never creates one). */
    public Subscription existingQueueSubscription(DestinationId id) {
        return queueSubscriptions.get(id);
    }

    /** Every subscription, for administration. */
    public java.util.Collection<Subscription> subscriptions() {
        return byId.values();
    }

    public Subscription subscription(long id) {
        return byId.get(id);
    }

    @Override
    public void close() {
        checkpoints.shutdownNow();
        timer.shutdownNow();
        delays.close();
        try {
            checkpoints.awaitTermination(30, TimeUnit.SECONDS);
            checkpointer.checkpoint(); // a clean stop restarts from here without replaying the log
        } catch (java.io.IOException | RuntimeException e) {
            LOG.error("final delivery snapshot not written: {}; the next start replays from the previous one", e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
