package io.keel.broker.consume;

import java.util.ArrayList;
import java.util.List;

import io.keel.broker.destination.Destination;
import io.keel.protocol.command.Deliver;
import io.keel.protocol.command.Subscribe;
import io.keel.store.ConsumeQueueBatch;
import io.keel.store.MessageStore;
import io.keel.store.RecordSlice;
import io.keel.store.StoreException;
import io.netty.channel.Channel;

/**
 * A consumer of the raw consume path: it follows one or all queue ids of a destination from a start
 * position and is pushed DELIVER frames while it has credit (messages and bytes). With nothing to
 * deliver it simply waits: the store's dispatcher wakes it when messages arrive (long polling without
 * a poll). All of its state is touched on its connection's event loop only; {@link #wake()} may be
 * called from any thread. Pushing also stops while the connection's outbound buffer is above its
 * high-water mark, and resumes when it drains.
 */
public final class RawConsumer extends CreditedPusher {

    private static final int READ_BATCH = 32;

    private final long id;
    private final MessageStore store;
    private final Destination destination;
    private final int[] queueIds;
    private final long[] next;
    private final ConsumeQueueBatch batch = new ConsumeQueueBatch(READ_BATCH);
    private int roundRobin;
    private long delivered;

    public RawConsumer(long id, Channel channel, MessageStore store, Destination destination, Subscribe s) {
        super(channel, s.creditMessages(), s.creditBytes());
        this.id = id;
        this.store = store;
        this.destination = destination;
        // A raw consumer reads store queues: every priority band of one queue id, or of all.
        if (s.queueId() >= 0) {
            if (s.queueId() >= destination.queueCount()) {
                throw new IllegalArgumentException("queue id " + s.queueId() + " does not exist on " + destination.id()
                        + " (it has " + destination.queueCount() + ")");
            }
            this.queueIds = new int[Destination.BANDS];
            for (int b = 0; b < Destination.BANDS; b++) {
                queueIds[b] = Destination.storeQueueId(s.queueId(), Destination.BANDS - 1 - b);
            }
        } else {
            this.queueIds = new int[destination.storeQueueCount()];
            int i = 0;
            for (int b = Destination.BANDS - 1; b >= 0; b--) {
                for (int q = 0; q < destination.queueCount(); q++) {
                    queueIds[i++] = Destination.storeQueueId(q, b);
                }
            }
        }
        this.next = new long[queueIds.length];
        for (int i = 0; i < queueIds.length; i++) {
            int q = queueIds[i];
            long floor = destination.floor(q);
            long max = destination.maxOffset(store, q);
            long min = store.hasQueue(destination.key(q)) ? store.minQueueOffset(destination.key(q)) : 0;
            next[i] = switch (s.start()) {
                case Subscribe.START_LATEST -> max;
                case Subscribe.START_AT_OFFSET -> Math.max(s.startOffset(), Math.max(floor, min));
                default -> Math.max(floor, min);
            };
        }
    }

    public long id() {
        return id;
    }

    public Destination destination() {
        return destination;
    }

    public long delivered() {
        return delivered;
    }

    /** Where this consumer starts on each of its queue ids (for the SUBSCRIBE answer). */
    public List<Subscribe.Position> positions() {
        List<Subscribe.Position> out = new ArrayList<>();
        for (int i = 0; i < queueIds.length; i++) {
            out.add(new Subscribe.Position(queueIds[i], next[i]));
        }
        return out;
    }

    @Override
    protected void pushOnce() {
        pumpOnce();
    }

    private void pumpOnce() {
        boolean wrote = false;
        int queues = queueIds.length;
        int idle = 0;
        while (creditMessages > 0 && creditBytes > 0 && channel.isWritable() && idle < queues) {
            int i = roundRobin;
            roundRobin = (roundRobin + 1) % queues;
            int q = queueIds[i];
            long max = destination.maxOffset(store, q);
            long from = Math.max(next[i], destination.floor(q));
            if (from >= max) {
                idle++;
                continue;
            }
            idle = 0;
            int want = Math.min(READ_BATCH, creditMessages);
            int n;
            try {
                n = store.readQueue(destination.key(q), from, want, batch);
            } catch (StoreException.OffsetOutOfRange e) {
                next[i] = store.minQueueOffset(destination.key(q));
                continue;
            } catch (StoreException e) {
                break; // the store is closing
            }
            if (n == 0) {
                next[i] = Math.min(max, from + want);
                continue;
            }
            for (int k = 0; k < n && creditMessages > 0 && creditBytes > 0; k++) {
                try (RecordSlice s = store.readMessage(batch.physicalOffset(k))) {
                    channel.write(Deliver.frame(channel.alloc(), id, q, batch.queueOffset(k), 1,
                            s.record().storeTimestamp(), s.payload()), channel.voidPromise());
                    creditBytes -= s.record().payloadLength();
                } catch (StoreException.OffsetOutOfRange e) {
                    // Deleted by retention meanwhile (or the store is closing): nothing to deliver.
                }
                creditMessages--;
                delivered++;
                next[i] = batch.queueOffset(k) + 1;
                wrote = true;
            }
        }
        if (wrote) {
            channel.flush();
        }
    }
}
