package io.keel.broker.delivery;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.keel.broker.destination.Destination;
import io.keel.broker.destination.DestinationId;
import io.keel.broker.destination.DestinationRegistry;
import io.keel.store.RecordView;

/** Which consumers to wake after a dispatch batch: those of the destinations the batch carried messages for. */
final class DispatchWaker {

    private final DestinationRegistry destinations;

    DispatchWaker(DestinationRegistry destinations) {
        this.destinations = destinations;
    }

    /**
     * Dispatcher thread: notes which destinations the batch carried messages for, so that only their
     * consumers are woken (with 10,000 queues, waking every consumer per batch cost more than the sends).
     */
    void onRecord(RecordView record) {
        io.keel.store.QueueKey key = record.queueKey();
        if (key == null) {
            return;
        }
        Destination d = destinationsByKey.get(key);
        if (d == null) {
            d = destinations.forStoreName(key.destination());
            if (d == null) {
                return;
            }
            destinationsByKey.put(key, d);
        }
        d.noteRecord(key.queueId());
        if (d.touch(batch)) {
            touched.add(d);
        }
    }

    void onBatchDispatched(Map<Destination, Subscription[]> byDestination) {
        for (int i = 0; i < touched.size(); i++) {
            Subscription[] subs = byDestination.get(touched.get(i));
            if (subs != null) {
                for (Subscription s : subs) {
                    if (!s.consumers().isEmpty()) {
                        s.wakeConsumers();
                    }
                }
            }
        }
        touched.clear();
        batch++;
    }

    /** Dispatcher thread only: the destinations of the current batch, and its number. */
    private final java.util.ArrayList<Destination> touched = new java.util.ArrayList<>();
    private long batch;
    /** Store queue -> destination, filled on first sight (the dispatcher never decodes a name twice). */
    private final Map<io.keel.store.QueueKey, Destination> destinationsByKey = new ConcurrentHashMap<>();

    /** A destination was deleted: forget its store queues. */
    void forget(DestinationId id) {
        destinationsByKey.values().removeIf(d -> d.id().equals(id));
    }
}
