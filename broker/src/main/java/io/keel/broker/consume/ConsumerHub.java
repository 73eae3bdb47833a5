package io.keel.broker.consume;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import io.keel.store.DispatchListener;
import io.keel.store.RecordView;

/**
 * Every raw consumer of the broker, woken when the store's dispatcher makes new messages visible.
 * Waking is per dispatch batch, not per message: under load one batch covers many messages.
 */
public final class ConsumerHub implements DispatchListener {

    private final Set<RawConsumer> consumers = ConcurrentHashMap.newKeySet();

    public void add(RawConsumer c) {
        consumers.add(c);
    }

    public void remove(RawConsumer c) {
        consumers.remove(c);
    }

    public int size() {
        return consumers.size();
    }

    @Override
    public void onRecord(RecordView record) {
        // Consumers are woken once per batch, below.
    }

    @Override
    public void onBatchDispatched(long dispatchedOffset) {
        for (RawConsumer c : consumers) {
            c.wake();
        }
    }
}
