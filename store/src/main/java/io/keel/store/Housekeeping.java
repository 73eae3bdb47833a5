package io.keel.store;

import java.io.IOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The store's periodic chores on one daemon thread: writing the checkpoint, sampling disk usage
 * (appends fail fast above the limit), and failing SYNC_FLUSH appends whose force is overdue (the
 * flusher itself may be stuck in that force, so it cannot time them out).
 */
final class Housekeeping {

    private static final Logger LOG = LoggerFactory.getLogger(Housekeeping.class);

    private final MessageStore store;
    private final ScheduledExecutorService executor;

    Housekeeping(MessageStore store) {
        this.store = store;
        this.executor = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "keel-store-housekeeping");
            t.setDaemon(true);
            return t;
        });
    }

    void start() {
        StoreConfig c = store.config();
        executor.scheduleWithFixedDelay(this::checkpoint, c.checkpointIntervalMillis(), c.checkpointIntervalMillis(),
                TimeUnit.MILLISECONDS);
        long slice = Math.max(1, Math.min(1000, c.consumeQueueFlushIntervalMillis()));
        int slices = (int) Math.max(1, c.consumeQueueFlushIntervalMillis() / slice);
        executor.scheduleWithFixedDelay(() -> flushConsumeQueues(slices), slice, slice, TimeUnit.MILLISECONDS);
        executor.scheduleWithFixedDelay(this::checkDisk, c.diskCheckIntervalMillis(), c.diskCheckIntervalMillis(),
                TimeUnit.MILLISECONDS);
        long expiry = Math.max(1, Math.min(100, c.syncFlushTimeoutMillis() / 4));
        executor.scheduleWithFixedDelay(() -> store.flusher().expireWaiters(c.syncFlushTimeoutMillis()), expiry,
                expiry, TimeUnit.MILLISECONDS);
    }

    private void flushConsumeQueues(int slices) {
        try {
            store.flushConsumeQueues(slices);
        } catch (IOException | RuntimeException e) {
            LOG.warn("store: cannot force the consume queues: {}", e.toString());
        }
    }

    private void checkpoint() {
        try {
            store.writeCheckpoint();
        } catch (IOException | RuntimeException e) {
            LOG.warn("store: cannot write the checkpoint: {}", e.toString());
        }
    }

    /** Samples the file system of the data directory and sets or clears "store full". */
    void checkDisk() {
        StoreConfig c = store.config();
        try {
            FileStore fs = Files.getFileStore(c.dataDirectory());
            long total = fs.getTotalSpace();
            long usable = fs.getUsableSpace();
            double used = total == 0 ? 1.0 : 1.0 - (double) usable / total;
            boolean full = used > c.diskUsageLimit();
            boolean wasFull = store.commitLog().isDiskFull();
            String reason = String.format("disk usage of %s is %.1f%%, the limit is %.1f%%", c.dataDirectory(),
                    used * 100, c.diskUsageLimit() * 100);
            store.commitLog().setDiskFull(full, reason);
            if (full && !wasFull) {
                LOG.error("store full: {}; appends are refused until usage drops", reason);
            } else if (!full && wasFull) {
                LOG.info("store no longer full: {}", reason);
            }
        } catch (IOException | RuntimeException e) {
            LOG.warn("store: cannot sample disk usage: {}", e.toString());
        }
    }

    void stop() {
        executor.shutdownNow();
        try {
            executor.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
