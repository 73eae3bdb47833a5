package io.keel.broker.delivery;

import java.nio.ByteBuffer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.keel.broker.destination.Destination;
import io.keel.broker.destination.DestinationRegistry;
import io.keel.protocol.DestinationType;
import io.keel.store.AppendCallback;
import io.keel.store.AppendRecord;
import io.keel.store.MessageStore;
import io.keel.store.RecordSlice;
import io.keel.store.StoreException;

/** Moves a message out of a subscription into another queue: the dead-letter queue, or the expiry queue. */
final class MessageMover {

    private static final Logger LOG = LoggerFactory.getLogger(MessageMover.class);

    private final MessageStore store;
    private final DestinationRegistry destinations;

    MessageMover(MessageStore store, DestinationRegistry destinations) {
        this.store = store;
        this.destinations = destinations;
    }

    /**
     * Copies the message to {@code queue} (the dead-letter or the expiry queue), then settles it here
     * with {@code reason}. If the copy fails the message stays and is offered again later.
     */
    void moveTo(Subscription s, int sq, long offset, String queue, long reason, String why, long retryDelayMillis) {
        Destination target;
        try {
            target = destinations.resolve(DestinationType.QUEUE, queue);
        } catch (RuntimeException e) {
            LOG.error("cannot resolve the queue '{}' for a message of {} {}: {}; the message stays", queue,
                    s.destination().id(), why, e.toString());
            s.release(sq, offset, QueueCursor.HELD_BY_BROKER, System.currentTimeMillis() + Math.max(1000, retryDelayMillis));
            return;
        }
        io.keel.store.ConsumeQueueBatch one = new io.keel.store.ConsumeQueueBatch(1);
        if (store.readQueue(s.destination().key(sq), offset, 1, one) != 1) {
            return;
        }
        try (RecordSlice slice = store.readMessage(one.physicalOffset(0))) {
            ByteBuffer body = slice.payload();
            if (reason == StateRecord.SETTLED_EXPIRED) {
                body = withoutExpiration(body);
            }
            AppendRecord copy = new AppendRecord().message(
                    target.key(Destination.storeQueueId(0, Destination.priorityOf(sq))), body);
            store.append(copy, new AppendCallback() {
                @Override
                public void appended(long physicalOffset, long queueOffset, int size, long storeTimestamp) {
                    target.enqueued();
                    if (s.settleAny(sq, offset)) {
                        s.countSettled(reason);
                    }
                    store.append(new AppendRecord().system(StateRecord.SETTLED, new StateRecord.Entries(s.spec().id(), 1)
                            .add(sq, offset, reason).payload()), DeliveryEngine.IGNORE);
                    LOG.info("{} offset {} of {} moved to queue '{}' {}", s.destination().id(), offset, sq, queue, why);
                }

                @Override
                public void failed(StoreException error) {
                    LOG.error("cannot move {} offset {} to queue '{}': {}; it will be offered again",
                            s.destination().id(), offset, queue, error.getMessage());
                    s.release(sq, offset, QueueCursor.HELD_BY_BROKER, System.currentTimeMillis()
                            + Math.max(1000, retryDelayMillis));
                }
            });
        }
    }

    /**
     * A copy of an expired JMS message whose JMSExpiration is cleared: in the expiry queue it is kept
     * for whoever inspects it, not expired again. Other payloads are copied unchanged.
     */
    private static ByteBuffer withoutExpiration(ByteBuffer payload) {
        ByteBuffer copy = ByteBuffer.allocate(payload.remaining());
        copy.put(payload.duplicate()).flip();
        if (copy.remaining() >= io.keel.protocol.message.MessageLayout.OFF_EXPIRATION + 8 && copy.get(io.keel.protocol.message.MessageLayout.OFF_VERSION) == io.keel.protocol.message.MessageLayout.VERSION) {
            copy.putLong(io.keel.protocol.message.MessageLayout.OFF_EXPIRATION, 0L);
        }
        return copy;
    }
}
