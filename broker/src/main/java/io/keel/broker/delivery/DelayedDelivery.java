package io.keel.broker.delivery;

import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.keel.store.AppendCallback;
import io.keel.store.AppendRecord;
import io.keel.store.MessageStore;
import io.keel.store.QueueKey;
import io.keel.store.RecordView;
import io.keel.store.StoreException;
import io.keel.store.commitlog.ForwardRecord;

/**
 * Delivery delay. A message with a delivery time in the future is stored deferred (no ConsumeQueue
 * entry); this timer appends, no earlier than its delivery time, a forwarding record that makes it
 * visible in its queue. The timer's state is derived from the log: at start, every deferred message
 * without a forwarding record is scheduled again, so a restart neither loses nor duplicates one.
 * Checked every 10 ms: a message is never early and at most a few ms late.
 */
public final class DelayedDelivery implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(DelayedDelivery.class);

    /** One deferred message. */
    private record Pending(long due, QueueKey key, long bodyOffset, int bodySize, long tagCode) {
    }

    private final MessageStore store;
    /** By due time, then log order (the send order of a transaction's messages). */
    private final PriorityQueue<Pending> queue = new PriorityQueue<>((a, b) -> a.due != b.due ? Long.compare(a.due, b.due)
            : Long.compare(a.bodyOffset, b.bodyOffset));
    /** Replay only: deferred bodies seen so far without a forwarding record, by body offset. */
    private final Map<Long, Pending> unforwarded = new HashMap<>();
    private final ScheduledExecutorService timer;
    private final ByteBuffer forward = ByteBuffer.allocate(ForwardRecord.SIZE);
    private final AppendRecord record = new AppendRecord();

    private final EffectBarrier barrier;

    DelayedDelivery(MessageStore store, EffectBarrier barrier) {
        this.store = store;
        this.barrier = barrier;
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "keel-delivery-delay");
            t.setDaemon(true);
            return t;
        });
    }

    /** Replay: a record of the log, in order. */
    void replay(RecordView r) {
        if (r.isDeferred()) {
            unforwarded.put(r.physicalOffset(), new Pending(r.deliveryTime(), new QueueKey(r.destination(), r.queueId()),
                    r.physicalOffset(), r.totalSize(), r.tagCode()));
        } else if (r.isForward()) {
            unforwarded.remove(ForwardRecord.targetOffset(r.buffer(), r.payloadPosition()));
        }
    }

    /**
     * Replay: a committed transaction's send; due for a forwarding record (at once, or at its delivery
     * time) unless one follows in the log. This is what completes a commit a crash cut short.
     */
    void replayCommitted(long deliveryTime, QueueKey key, long bodyOffset, int bodySize, long tagCode) {
        unforwarded.put(bodyOffset, new Pending(deliveryTime, key, bodyOffset, bodySize, tagCode));
    }

    /** After replay: schedules what is still deferred and starts the timer. */
    void start() {
        synchronized (this) {
            queue.addAll(unforwarded.values());
            if (!unforwarded.isEmpty()) {
                LOG.info("delivery delay: {} messages still waiting for their delivery time", unforwarded.size());
            }
            unforwarded.clear();
        }
        timer.scheduleWithFixedDelay(this::fireDue, 10, 10, TimeUnit.MILLISECONDS);
    }

    /**
     * Before appending a deferred message: a snapshot cut waits until it is scheduled (the timer's
     * state changes after the append). Pass the token to {@link #stored} or {@link #notStored}.
     */
    public int storing() {
        return barrier.enter();
    }

    /** The deferred message announced with {@code token} is stored: it becomes visible at {@code due}. */
    public void stored(int token, long due, QueueKey key, long bodyOffset, int bodySize, long tagCode) {
        try {
            schedule(due, key, bodyOffset, bodySize, tagCode);
        } finally {
            barrier.exit(token);
        }
    }

    public void notStored(int token) {
        barrier.exit(token);
    }

    /** Forgets what a snapshot restored (it could not be loaded whole). */
    synchronized void forgetReplay() {
        unforwarded.clear();
    }

    /** A deferred message was stored; it becomes visible at {@code due}. */
    public synchronized void schedule(long due, QueueKey key, long bodyOffset, int bodySize, long tagCode) {
        queue.add(new Pending(due, key, bodyOffset, bodySize, tagCode));
    }

    public synchronized int pending() {
        return queue.size();
    }

    private void fireDue() {
        long now = System.currentTimeMillis();
        while (true) {
            Pending p;
            synchronized (this) {
                p = queue.peek();
                if (p == null || p.due > now) {
                    return;
                }
                queue.poll();
            }
            Pending fired = p;
            ForwardRecord.encode(forward, p.bodyOffset, p.bodySize);
            store.append(record.reset().message(p.key, forward).forward(true).tagCode(p.tagCode).awaitFlush(false),
                    new AppendCallback() {
                        @Override
                        public void appended(long physicalOffset, long queueOffset, int size, long storeTimestamp) {
                        }

                        @Override
                        public void failed(StoreException error) {
                            LOG.warn("delivery delay: cannot release the message at {}: {}; retrying",
                                    fired.bodyOffset, error.getMessage());
                            synchronized (DelayedDelivery.this) {
                                queue.add(new Pending(System.currentTimeMillis() + 1000, fired.key, fired.bodyOffset,
                                        fired.bodySize, fired.tagCode));
                            }
                        }
                    });
        }
    }

    /** The lowest body offset still waiting (retention keeps it), or Long.MAX_VALUE. */
    public synchronized long minBodyOffset() {
        long min = Long.MAX_VALUE;
        for (Pending p : queue) {
            min = Math.min(min, p.bodyOffset);
        }
        return min;
    }

    /** Writes every waiting message for a snapshot. */
    synchronized void writeTo(java.io.DataOutput out) throws java.io.IOException {
        out.writeInt(queue.size());
        for (Pending p : queue) {
            out.writeLong(p.due);
            out.writeUTF(p.key.destination());
            out.writeInt(p.key.queueId());
            out.writeLong(p.bodyOffset);
            out.writeInt(p.bodySize);
            out.writeLong(p.tagCode);
        }
    }

    /** Restores waiting messages from a snapshot, before the log after it is replayed. */
    void readFrom(java.io.DataInput in) throws java.io.IOException {
        int n = in.readInt();
        for (int i = 0; i < n; i++) {
            long due = in.readLong();
            QueueKey key = new QueueKey(in.readUTF(), in.readInt());
            long body = in.readLong();
            unforwarded.put(body, new Pending(due, key, body, in.readInt(), in.readLong()));
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
