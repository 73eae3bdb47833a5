package io.keel.broker.destination;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAdder;

import io.keel.store.MessageStore;
import io.keel.store.QueueKey;

/**
 * One destination and its queue ids. Each queue id is a store queue; the floor of a queue id is the
 * first offset that still belongs to this destination (a purge or a delete-and-recreate moves it),
 * the acked offset is how far consumers have acknowledged.
 */
public final class Destination {

    private final DestinationId id;
    private final QueueKey[] keys;
    private final AtomicLongArray floors;
    private final AtomicLongArray acked;
    private final AtomicInteger consumers = new AtomicInteger();
    private final LongAdder enqueued = new LongAdder();

    Destination(DestinationId id, int queueCount, long[] initialFloors) {
        this.id = id;
        this.keys = new QueueKey[queueCount];
        this.floors = new AtomicLongArray(queueCount);
        this.acked = new AtomicLongArray(queueCount);
        String storeName = id.storeName();
        for (int q = 0; q < queueCount; q++) {
            keys[q] = new QueueKey(storeName, q);
            long floor = initialFloors != null && q < initialFloors.length ? initialFloors[q] : 0;
            floors.set(q, floor);
            acked.set(q, floor);
        }
    }

    public DestinationId id() {
        return id;
    }

    public int queueCount() {
        return keys.length;
    }

    public QueueKey key(int queueId) {
        return keys[queueId];
    }

    public long floor(int queueId) {
        return floors.get(queueId);
    }

    void setFloor(int queueId, long offset) {
        floors.set(queueId, offset);
        acked.accumulateAndGet(queueId, offset, Math::max);
    }

    /** Records an acknowledgement up to and including {@code queueOffset}. */
    public void acked(int queueId, long queueOffset) {
        acked.accumulateAndGet(queueId, queueOffset + 1, Math::max);
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

    /** One past the last dispatched message of {@code queueId} (0 before the first message). */
    public long maxOffset(MessageStore store, int queueId) {
        QueueKey k = keys[queueId];
        return store.hasQueue(k) ? store.maxQueueOffset(k) : 0;
    }

    /** Messages stored and not yet acknowledged, over every queue id. */
    public long depth(MessageStore store) {
        long depth = 0;
        for (int q = 0; q < keys.length; q++) {
            depth += Math.max(0, maxOffset(store, q) - Math.max(acked.get(q), floors.get(q)));
        }
        return depth;
    }
}
