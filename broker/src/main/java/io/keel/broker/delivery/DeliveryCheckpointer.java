package io.keel.broker.delivery;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.keel.broker.destination.Destination;
import io.keel.broker.destination.DestinationRegistry;
import io.keel.store.AppendCallback;
import io.keel.store.ConsumeQueueBatch;
import io.keel.store.MessageStore;
import io.keel.store.QueueKey;
import io.keel.store.StoreException;

/**
 * Snapshots of the delivery state and retention of the CommitLog. A checkpoint writes a snapshot
 * ({@link DeliverySnapshot}) covering the log up to a cut offset ({@link EffectBarrier}), once the log
 * is durable up to that offset (a snapshot must never cover records a power loss could still cut: the
 * log after a restart would grow again below the covered offset, and the next replay would skip it), then
 * deletes the CommitLog segments below the retention watermark: the lowest of
 * <ul>
 *   <li>the older of the two snapshots kept (the log after it is replayed at start);</li>
 *   <li>for every store queue, the entry at the lowest ack level of the subscriptions that read it
 *       (a queue that has no subscription yet keeps everything above its floor; a topic store queue
 *       no subscription reads keeps nothing), and the bodies its pending forwarding records point to
 *       in older segments ({@link ForwardIndex});</li>
 *   <li>the bodies of messages waiting for their delivery time;</li>
 *   <li>the first prepared message of every open transaction.</li>
 * </ul>
 */
final class DeliveryCheckpointer {

    private static final Logger LOG = LoggerFactory.getLogger(DeliveryCheckpointer.class);

    private final DeliveryEngine engine;
    private final MessageStore store;
    private final DestinationRegistry destinations;
    private final Path directory;
    private final ConsumeQueueBatch one = new ConsumeQueueBatch(1);
    private long currentOffset = -1;
    private long previousOffset = -1;

    DeliveryCheckpointer(DeliveryEngine engine, MessageStore store, DestinationRegistry destinations, Path directory) {
        this.engine = engine;
        this.store = store;
        this.destinations = destinations;
        this.directory = directory;
    }

    /** At start: restores the newest readable snapshot into {@code target}; returns the offset replay starts at. */
    long load(DeliverySnapshot.Target target) {
        for (String name : new String[] {DeliverySnapshot.FILE, DeliverySnapshot.PREVIOUS}) {
            Path file = directory.resolve(name);
            if (!Files.exists(file)) {
                continue;
            }
            try {
                DeliverySnapshot.Header h = DeliverySnapshot.load(file, target);
                currentOffset = h.coveredOffset();
                previousOffset = h.coveredOffset();
                if (name.equals(DeliverySnapshot.FILE)) {
                    try {
                        previousOffset = Math.min(currentOffset,
                                DeliverySnapshot.check(directory.resolve(DeliverySnapshot.PREVIOUS)).coveredOffset());
                    } catch (IOException noPrevious) {
                        // the first snapshot, or an unreadable previous one: retention keeps to the current
                    }
                }
                engine.restoredNextSubscriptionId(h.nextSubscriptionId());
                return h.coveredOffset();
            } catch (IOException | RuntimeException e) {
                LOG.error("delivery snapshot {} cannot be used ({}); trying an older one", file, e.getMessage());
                engine.forgetRestoredState();
            }
        }
        if (store.minOffset() > 0 && (Files.exists(directory.resolve(DeliverySnapshot.FILE))
                || Files.exists(directory.resolve(DeliverySnapshot.PREVIOUS)))) {
            LOG.error("no usable delivery snapshot and the CommitLog below offset {} was deleted: acknowledgements "
                    + "recorded there are lost, so messages still stored may be delivered again (never lost)",
                    store.minOffset());
        }
        return store.minOffset();
    }

    /** Writes a snapshot, then deletes the CommitLog below the retention watermark. Returns the new oldest offset. */
    synchronized long checkpoint() throws IOException {
        long covered = engine.barrier().cut(store::writtenOffset, 30_000);
        awaitDurable(covered);
        synchronized (engine) {
            DeliverySnapshot.write(directory, covered, engine.nextSubscriptionIdValue(), engine.snapshotSource());
        }
        previousOffset = currentOffset < 0 ? covered : currentOffset;
        currentOffset = covered;
        long watermark = retentionWatermark();
        if (watermark > store.minOffset()) {
            long oldest = store.deleteBelow(watermark);
            LOG.debug("retention: watermark {}, oldest offset now {}", watermark, oldest);
            return oldest;
        }
        return store.minOffset();
    }

    /** Waits until every record below {@code offset} is durable per the flush mode (at once under ASYNC_FLUSH). */
    private void awaitDurable(long offset) throws IOException {
        CompletableFuture<Void> durable = new CompletableFuture<>();
        store.whenWritten(new AppendCallback() {
            @Override
            public void appended(long physicalOffset, long queueOffset, int size, long storeTimestamp) {
                durable.complete(null);
            }

            @Override
            public void failed(StoreException error) {
                durable.completeExceptionally(error);
            }
        });
        try {
            durable.get(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while waiting for the CommitLog to be durable up to " + offset, e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IOException("the CommitLog is not durable up to offset " + offset + " (" + e + "): no snapshot", e);
        }
    }

    /** The lowest CommitLog offset anything still needs (see the class comment). */
    long retentionWatermark() {
        long w = previousOffset < 0 ? store.minOffset() : Math.min(previousOffset, currentOffset);
        w = Math.min(w, engine.delays().minBodyOffset());
        w = Math.min(w, engine.transactions().minOpenOffset());
        Map<String, Destination> byStoreName = new HashMap<>();
        for (Destination d : destinations.all()) {
            byStoreName.put(d.id().storeName(), d);
        }
        Map<Destination, java.util.List<Subscription>> subscriptions = new HashMap<>();
        for (Subscription s : engine.subscriptions()) {
            subscriptions.computeIfAbsent(s.destination(), k -> new java.util.ArrayList<>()).add(s);
        }
        for (QueueKey key : store.queueKeys()) {
            Destination d = byStoreName.get(key.destination());
            int sq = key.queueId();
            if (d == null || sq < 0 || sq >= d.storeQueueCount()) {
                engine.forwards().forget(key); // a deleted destination: nobody reads it again
                continue;
            }
            long level = Long.MAX_VALUE;
            java.util.List<Subscription> subs = subscriptions.getOrDefault(d, java.util.List.of());
            for (Subscription s : subs) {
                level = Math.min(level, s.ackLevel(sq));
            }
            if (subs.isEmpty() && d.id().type().isQueue()) {
                level = d.floor(sq); // a queue nobody consumed yet keeps all it holds
            }
            if (level == Long.MAX_VALUE) {
                engine.forwards().forget(key); // a topic store queue no subscription reads
                continue;
            }
            w = Math.min(w, engine.forwards().minTarget(key, level));
            long max = store.maxQueueOffset(key);
            long from = Math.max(level, store.minQueueOffset(key));
            if (from < max) {
                try {
                    if (store.readQueue(key, from, 1, one) == 1) {
                        w = Math.min(w, one.physicalOffset(0));
                    }
                } catch (StoreException e) {
                    return store.minOffset(); // unsure: delete nothing this time
                }
            }
        }
        return w;
    }
}
