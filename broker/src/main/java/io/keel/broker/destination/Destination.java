package io.keel.broker.destination;

import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.concurrent.atomic.LongAdder;

import io.keel.store.MessageStore;
import io.keel.store.QueueKey;

/**
 * One destination and its store queues. A destination has {@link #queueCount()} queue ids; each
 * queue id has {@link #BANDS} priority bands, and each (queue id, band) is one store queue:
 * {@code storeQueueId = queueId * BANDS + priority}. Messages of one producer, delivery mode and
 * priority thus share one store queue and keep their order; consumers read higher bands first.
 * Store keys are created on first use, so an idle destination costs a few hundred bytes.
 *
 * <p>The floor of a store queue is the first offset that still belongs to this destination (a purge
 * or a delete-and-recreate moves it); the acked offset is how far raw consumers have acknowledged.
 */
public final class Destination {

    /** JMS priorities 0-9, one store queue each. */
    public static final int BANDS = 10;
    /** The priority of messages that do not say otherwise. */
    public static final int DEFAULT_PRIORITY = 4;

    private final DestinationId id;
    private final int queueCount;
    private final String storeName;
    private final AtomicReferenceArray<QueueKey> keys;
    private final AtomicLongArray floors;
    private final AtomicLongArray acked;
    private final AtomicInteger consumers = new AtomicInteger();
    private final LongAdder enqueued = new LongAdder();
    /** The connection that owns a temporary destination (0 for others). */
    private final long owner;
    /**
     * Store queues known to hold records, a bit each (word = id / 64). Bits are only ever set: by the
     * dispatcher for every record ({@link #noteRecord}, before consumers are woken) and, once, from the
     * store for records dispatched before this object existed. A consumer's pass over the 10 bands x
     * queue ids then tests bits instead of looking 40 store queues up per wake-up.
     */
    private final AtomicLongArray existing;
    private volatile boolean existingLoaded;
    /** The dispatch batch that last carried a message of this destination (dispatcher thread only). */
    private long touchedInBatch = -1;
    /**
     * Completes once the ConsumeQueue files of the queue ids' default band exist (see {@link #storageReady}).
     */
    private volatile java.util.concurrent.CompletableFuture<Void> storageReady =
            java.util.concurrent.CompletableFuture.completedFuture(null);

    /**
     * Completes once this destination's ConsumeQueue files exist (at once for a destination that was
     * not just created). Creating a consumer on a destination it creates answers only then, so that
     * the first messages to 10,000 queues declared by their consumers do not wait for the dispatcher
     * to create a file each, inside their sends' round trips (about 0.4 ms per file on the machine of
     * docs/benchmarks.md, and the dispatcher serves every send).
     */
    public java.util.concurrent.CompletableFuture<Void> storageReady() {
        return storageReady;
    }

    void storageReady(java.util.concurrent.CompletableFuture<Void> ready) {
        this.storageReady = ready;
    }

    /** Marks the destination as touched by dispatch batch {@code batch}; true the first time for that batch. */
    public boolean touch(long batch) {
        if (touchedInBatch == batch) {
            return false;
        }
        touchedInBatch = batch;
        return true;
    }

    /** Delivery settings set for this destination by an administrator (key to value; empty = broker defaults). */
    private volatile Map<String, String> settingOverrides = Map.of();

    Destination(DestinationId id, int queueCount, long[] initialFloors) {
        this(id, queueCount, initialFloors, 0);
    }

    Destination(DestinationId id, int queueCount, long[] initialFloors, long owner) {
        this.owner = owner;
        this.id = id;
        this.queueCount = queueCount;
        this.storeName = id.storeName();
        int n = queueCount * BANDS;
        this.keys = new AtomicReferenceArray<>(n);
        this.floors = new AtomicLongArray(n);
        this.acked = new AtomicLongArray(n);
        this.existing = new AtomicLongArray((n + 63) >>> 6);
        for (int s = 0; s < n; s++) {
            long floor = initialFloors != null && s < initialFloors.length ? initialFloors[s] : 0;
            floors.set(s, floor);
            acked.set(s, floor);
        }
    }

    /** The delivery settings an administrator set for this destination (see {@code DeliverySettings.KEYS}). */
    public Map<String, String> settingOverrides() {
        return settingOverrides;
    }

    void settingOverrides(Map<String, String> overrides) {
        this.settingOverrides = Map.copyOf(overrides);
    }

    public DestinationId id() {
        return id;
    }

    /** The connection id that created this temporary destination, or 0. */
    public long owner() {
        return owner;
    }

    /** Logical queue ids (producers pick one, consumers read all). */
    public int queueCount() {
        return queueCount;
    }

    /** Store queues: queue ids times priority bands. */
    public int storeQueueCount() {
        return queueCount * BANDS;
    }

    public static int storeQueueId(int queueId, int priority) {
        return queueId * BANDS + priority;
    }

    public static int queueIdOf(int storeQueueId) {
        return storeQueueId / BANDS;
    }

    public static int priorityOf(int storeQueueId) {
        return storeQueueId % BANDS;
    }

    /** The store key of a store queue (created on first use). */
    public QueueKey key(int storeQueueId) {
        QueueKey k = keys.get(storeQueueId);
        if (k == null) {
            keys.compareAndSet(storeQueueId, null, new QueueKey(storeName, storeQueueId));
            k = keys.get(storeQueueId);
        }
        return k;
    }

    public long floor(int storeQueueId) {
        return floors.get(storeQueueId);
    }

    void setFloor(int storeQueueId, long offset) {
        floors.set(storeQueueId, offset);
        acked.accumulateAndGet(storeQueueId, offset, Math::max);
    }

    /** Records a raw acknowledgement up to and including {@code queueOffset}. */
    public void acked(int storeQueueId, long queueOffset) {
        acked.accumulateAndGet(storeQueueId, queueOffset + 1, Math::max);
    }

    public AtomicInteger consumers() {
        return consumers;
    }

    public void enqueued() {
        enqueued.increment();
    }

    public long enqueuedCount() {
        return enqueued.sum();
    }

    /** Whether the store holds any message of this store queue. */
    public boolean exists(MessageStore store, int storeQueueId) {
        if (!existingLoaded) {
            loadExisting(store);
        }
        return (existing.get(storeQueueId >>> 6) & (1L << storeQueueId)) != 0;
    }

    /** Dispatcher thread: a record of this store queue was dispatched (before its consumers are woken). */
    public void noteRecord(int storeQueueId) {
        int word = storeQueueId >>> 6;
        long bit = 1L << storeQueueId;
        long bits = existing.get(word);
        while ((bits & bit) == 0 && !existing.compareAndSet(word, bits, bits | bit)) {
            bits = existing.get(word);
        }
    }

    private void loadExisting(MessageStore store) {
        for (int s = 0; s < storeQueueCount(); s++) {
            if (store.hasQueue(key(s))) {
                noteRecord(s);
            }
        }
        existingLoaded = true;
    }

    /** One past the last dispatched message of a store queue (0 before the first message). */
    public long maxOffset(MessageStore store, int storeQueueId) {
        QueueKey k = keys.get(storeQueueId);
        if (k == null) {
            k = key(storeQueueId);
        }
        return store.hasQueue(k) ? store.maxQueueOffset(k) : 0;
    }

    /** Messages stored and not yet acknowledged by raw consumers, over every store queue. */
    public long depth(MessageStore store) {
        long depth = 0;
        for (int s = 0; s < storeQueueCount(); s++) {
            depth += Math.max(0, maxOffset(store, s) - Math.max(acked.get(s), floors.get(s)));
        }
        return depth;
    }
}
