package io.keel.broker.delivery;

import java.nio.ByteBuffer;

import io.keel.broker.destination.Destination;
import io.keel.protocol.command.Browse;
import io.keel.protocol.message.EncodedMessage;
import io.keel.store.ConsumeQueueBatch;
import io.keel.store.MessageStore;
import io.keel.store.RecordSlice;
import io.netty.buffer.ByteBuf;

/**
 * A JMS QueueBrowser on the broker: the messages a queue holds when it opens (its end is recorded
 * per store queue), not yet consumed, in the order a consumer would get them (higher priority first),
 * that match its selector and have not expired. Messages leased to a consumer but not yet
 * acknowledged are still on the queue and are shown. It leases nothing.
 */
public final class QueueBrowser {

    private static final int READ_BATCH = 64;

    private final MessageStore store;
    private final Subscription subscription;
    private final Destination destination;
    private final MessageFilter filter;
    private final long[] snapshotEnd;
    private final long[] position;
    private final ConsumeQueueBatch batch = new ConsumeQueueBatch(READ_BATCH);
    private final EncodedMessage message = new EncodedMessage();
    private int band = Destination.BANDS - 1;
    private int queueId;

    public QueueBrowser(MessageStore store, Subscription subscription, MessageFilter filter) {
        this.store = store;
        this.subscription = subscription;
        this.destination = subscription.destination();
        this.filter = filter;
        int n = destination.storeQueueCount();
        this.snapshotEnd = new long[n];
        this.position = new long[n];
        for (int sq = 0; sq < n; sq++) {
            snapshotEnd[sq] = destination.maxOffset(store, sq);
            position[sq] = -1;
        }
    }

    /** Fills {@code page} with up to {@code max} messages; returns true when the snapshot is exhausted. */
    public boolean next(int max, ByteBuf page) {
        int added = 0;
        long now = System.currentTimeMillis();
        while (band >= 0 && added < max) {
            int sq = Destination.storeQueueId(queueId, band);
            long end = snapshotEnd[sq];
            long pos = position[sq] < 0 ? subscription.ackLevel(sq) : position[sq];
            while (pos < end && added < max) {
                int n = store.readQueue(destination.key(sq), pos, Math.min(READ_BATCH, (int) Math.min(end - pos,
                        READ_BATCH)), batch);
                if (n == 0) {
                    pos = Math.min(end, pos + READ_BATCH);
                    continue;
                }
                for (int k = 0; k < n && added < max; k++) {
                    long offset = batch.queueOffset(k);
                    pos = offset + 1;
                    if (offset >= end || subscription.isSettled(sq, offset)) {
                        continue;
                    }
                    try (RecordSlice slice = store.readMessage(batch.physicalOffset(k))) {
                        ByteBuffer payload = slice.payload();
                        int count = subscription.deliveriesSoFar(sq, offset);
                        if (!expired(payload, now) && filter.matches(payload, payload.position(), payload.remaining(),
                                count + 1)) {
                            Browse.addMessage(page, sq, offset, count, payload);
                            added++;
                        }
                    }
                }
            }
            position[sq] = pos;
            if (pos >= end) {
                if (++queueId == destination.queueCount()) {
                    queueId = 0;
                    band--;
                }
            }
        }
        return band < 0;
    }

    private boolean expired(ByteBuffer payload, long now) {
        try {
            message.wrap(payload, payload.position(), payload.remaining());
            return message.expiration() != 0 && message.expiration() <= now;
        } catch (RuntimeException notAJmsMessage) {
            return false;
        }
    }
}
