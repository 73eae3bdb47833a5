package io.keel.broker.delivery;

import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

import io.keel.store.QueueKey;
import io.keel.store.RecordView;
import io.keel.store.commitlog.ForwardRecord;

/**
 * Forwarding records whose body lies in an older CommitLog segment than the record itself (a long
 * delivery delay, a transaction that spanned a segment roll), by store queue and queue offset.
 * Retention needs them: a consumer's position says which segment its next message's entry is in,
 * not where the body of a forwarded message further on lies. Forwards within one segment need no
 * entry, so the index stays small: it holds only messages forwarded across segments and not yet
 * consumed by every subscription. Thread-safe.
 */
public final class ForwardIndex {

    private final long segmentSize;
    private final Map<QueueKey, TreeMap<Long, Long>> byQueue = new HashMap<>();

    public ForwardIndex(long segmentSize) {
        this.segmentSize = segmentSize;
    }

    /** A dispatched (or replayed) record: remembered if it forwards to an older segment. */
    void onRecord(RecordView r) {
        if (!r.isForward() || r.queueOffset() < 0) {
            return;
        }
        long target = ForwardRecord.targetOffset(r.buffer(), r.payloadPosition());
        if (target / segmentSize != r.physicalOffset() / segmentSize) {
            add(new QueueKey(r.destination(), r.queueId()), r.queueOffset(), target);
        }
    }

    synchronized void add(QueueKey key, long queueOffset, long target) {
        byQueue.computeIfAbsent(key, k -> new TreeMap<>()).put(queueOffset, target);
    }

    /**
     * The lowest body offset forwarded from {@code key} at or above {@code consumedBelow} (the lowest
     * ack level of every subscription of the queue), forgetting entries below it. Long.MAX_VALUE if none.
     */
    synchronized long minTarget(QueueKey key, long consumedBelow) {
        TreeMap<Long, Long> m = byQueue.get(key);
        if (m == null) {
            return Long.MAX_VALUE;
        }
        m.headMap(consumedBelow).clear();
        if (m.isEmpty()) {
            byQueue.remove(key);
            return Long.MAX_VALUE;
        }
        long min = Long.MAX_VALUE;
        for (long t : m.values()) {
            min = Math.min(min, t);
        }
        return min;
    }

    /** Forgets a store queue (its destination was deleted, or nobody will read it). */
    synchronized void forget(QueueKey key) {
        byQueue.remove(key);
    }

    synchronized int size() {
        int n = 0;
        for (TreeMap<Long, Long> m : byQueue.values()) {
            n += m.size();
        }
        return n;
    }

    synchronized java.util.Set<QueueKey> keys() {
        return new java.util.HashSet<>(byQueue.keySet());
    }

    synchronized void writeTo(java.io.DataOutput out) throws java.io.IOException {
        out.writeInt(size());
        for (Map.Entry<QueueKey, TreeMap<Long, Long>> e : byQueue.entrySet()) {
            for (Map.Entry<Long, Long> f : e.getValue().entrySet()) {
                out.writeUTF(e.getKey().destination());
                out.writeInt(e.getKey().queueId());
                out.writeLong(f.getKey());
                out.writeLong(f.getValue());
            }
        }
    }

    void readFrom(java.io.DataInput in) throws java.io.IOException {
        int n = in.readInt();
        for (int i = 0; i < n; i++) {
            QueueKey key = new QueueKey(in.readUTF(), in.readInt());
            add(key, in.readLong(), in.readLong());
        }
    }
}
