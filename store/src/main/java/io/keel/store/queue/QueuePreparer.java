package io.keel.store.queue;

import java.io.IOException;
import java.util.concurrent.LinkedBlockingQueue;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.keel.store.QueueKey;

/**
 * Creates the first segment file of queues the owner declared before their first record, on a
 * background thread of its own. Why: creating a ConsumeQueue's directory and segment file costs the
 * file system a few inodes (tens of microseconds each, far more on a file system that has just
 * deleted many), and the dispatcher, which otherwise creates it at the queue's first record, is in
 * the round trip of every synchronous send. A broker that declares 10,000 queues as their consumers
 * arrive then serves their first messages at the rate of its established queues.
 *
 * <p>Nothing depends on a preparation having happened: a queue whose record arrives first is created
 * by the dispatcher as before, and both paths take the queue's lock around the first segment.
 */
final class QueuePreparer implements Runnable {

    private static final Logger LOG = LoggerFactory.getLogger(QueuePreparer.class);

    private final ConsumeQueueTable table;
    private final LinkedBlockingQueue<QueueKey> pending = new LinkedBlockingQueue<>();
    private final Thread thread;
    private volatile boolean running = true;
    private boolean warned;

    QueuePreparer(ConsumeQueueTable table) {
        this.table = table;
        this.thread = new Thread(this, "keel-store-queue-preparer");
        this.thread.setDaemon(true);
        this.thread.start();
    }

    void submit(QueueKey key) {
        if (running) {
            pending.add(key);
        }
    }

    /** Queues submitted and not yet prepared. */
    int backlog() {
        return pending.size();
    }

    @Override
    public void run() {
        while (running) {
            QueueKey key;
            try {
                key = pending.take();
            } catch (InterruptedException e) {
                break;
            }
            try {
                table.getOrCreateQueue(key).prepareFirstSegment();
            } catch (IOException | RuntimeException e) {
                // The dispatcher creates the segment at the first record and reports a failure there;
                // here it is only worth one warning (a full disk would otherwise log per queue).
                if (!warned) {
                    warned = true;
                    LOG.warn("could not prepare the consume queue {} ahead of its first record (the dispatcher "
                            + "will create it): {}", key, e.toString());
                }
            }
        }
    }

    void stop() {
        running = false;
        thread.interrupt();
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        pending.clear();
    }
}
