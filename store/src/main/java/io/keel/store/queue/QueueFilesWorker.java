package io.keel.store.queue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.stream.Stream;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.keel.store.QueueKey;

/**
 * The background thread of ConsumeQueue files. It creates the first segment file of queues the owner
 * declared before their first record. Why: creating a file costs the file system an inode (tens of
 * microseconds, far more on a file system that has just deleted many), and the dispatcher, which
 * otherwise creates it at the queue's first record, is in the round trip of every synchronous send. A broker that declares 10,000 queues as their consumers
 * arrive then serves their first messages at the rate of its established queues.
 *
 * <p>The same thread removes the files of deleted queues, which the dispatcher has moved aside.
 *
 * <p>Nothing depends on a preparation having happened: a queue whose record arrives first is created
 * by the dispatcher as before, and both paths take the queue's lock around the first segment.
 */
final class QueueFilesWorker implements Runnable {

    private static final Logger LOG = LoggerFactory.getLogger(QueueFilesWorker.class);

    private final ConsumeQueueTable table;
    /** {@link Preparation}s and {@link Deletion}s, in order. */
    private final LinkedBlockingQueue<Object> pending = new LinkedBlockingQueue<>();
    private final Thread thread;
    private volatile boolean running = true;
    private boolean warned;

    QueueFilesWorker(ConsumeQueueTable table) {
        this.table = table;
        this.thread = new Thread(this, "keel-store-queue-files");
        this.thread.setDaemon(true);
        this.thread.start();
    }

    /** A queue to give its first segment, and who waits for it. */
    private record Preparation(QueueKey key, CompletableFuture<Void> done) {
    }

    /** Queues {@code key}'s preparation; the future completes when it is done or given up. */
    CompletableFuture<Void> submit(QueueKey key) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        if (running) {
            pending.add(new Preparation(key, done));
        }
        if (!running) {
            done.complete(null); // stopped meanwhile: stop() may have missed it
        }
        return done;
    }

    /** The directory a deleted queue's files were moved to. */
    record Deletion(Path aside) {
        void run() throws IOException {
            deleteTree(aside);
        }
    }

    /** Removes the files of a deleted queue. */
    void submitDeletion(Deletion deletion) {
        if (running) {
            pending.add(deletion);
        } else {
            try {
                deletion.run();
            } catch (IOException e) {
                LOG.warn("could not remove {}: {}", deletion.aside(), e.toString());
            }
        }
    }

    static void deleteTree(Path root) throws IOException {
        try (Stream<Path> s = Files.walk(root)) {
            for (Path p : (Iterable<Path>) s.sorted(Comparator.reverseOrder())::iterator) {
                Files.deleteIfExists(p);
            }
        }
    }

    /** Work submitted and not yet done. */
    int backlog() {
        return pending.size();
    }

    @Override
    public void run() {
        while (running) {
            Object task;
            try {
                task = pending.take();
            } catch (InterruptedException e) {
                break;
            }
            if (task instanceof Deletion deletion) {
                try {
                    deletion.run();
                } catch (IOException | RuntimeException e) {
                    LOG.warn("could not remove the files of a deleted queue at {} (removed at the next start): {}",
                            deletion.aside(), e.toString());
                }
                continue;
            }
            Preparation preparation = (Preparation) task;
            QueueKey key = preparation.key();
            try {
                if (!table.deletionPending(key)) { // its old directory may still be there
                    table.getOrCreateQueue(key).prepareFirstSegment();
                }
            } catch (IOException | RuntimeException e) {
                // The dispatcher creates the segment at the first record and reports a failure there;
                // here it is only worth one warning (a full disk would otherwise log per queue).
                if (!warned) {
                    warned = true;
                    LOG.warn("could not prepare the consume queue {} ahead of its first record (the dispatcher "
                            + "will create it): {}", key, e.toString());
                }
            } finally {
                preparation.done().complete(null);
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
        for (Object task : pending) {
            if (task instanceof Preparation preparation) {
                preparation.done().complete(null); // given up: the dispatcher creates it if it is ever used
            }
            if (task instanceof Deletion deletion) {
                try {
                    deletion.run();
                } catch (IOException e) {
                    LOG.warn("could not remove {} (removed at the next start): {}", deletion.aside(), e.toString());
                }
            }
        }
        pending.clear();
    }
}
