package io.keel.store.commitlog;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Prepares the next CommitLog segment (create, zero-fill, map) on a background thread, so that a
 * roll only swaps a pointer. The writer asks for the segment after the active one when it opens or
 * rolls; a roll that arrives before the preparation ends waits for it.
 */
final class SegmentAllocator {

    private final Path directory;
    private final int segmentSize;
    private final boolean zeroFill;
    private final boolean withChannel;
    private final ExecutorService executor;
    private long pendingStart = -1;
    private CompletableFuture<CommitLogSegment> pending;

    SegmentAllocator(Path directory, int segmentSize, boolean zeroFill, boolean withChannel) {
        this.directory = directory;
        this.segmentSize = segmentSize;
        this.zeroFill = zeroFill;
        this.withChannel = withChannel;
        this.executor = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "keel-store-allocator");
            t.setDaemon(true);
            return t;
        });
    }

    /** Starts preparing the segment at {@code start} in the background. Writer thread only. */
    void prepare(long start) {
        if (pendingStart == start) {
            return;
        }
        pendingStart = start;
        pending = CompletableFuture.supplyAsync(() -> {
            try {
                return CommitLogSegment.create(directory, start, segmentSize, zeroFill, withChannel);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }, executor);
    }

    /** Returns the segment at {@code start}, waiting for its preparation (or preparing it now). */
    CommitLogSegment take(long start) throws IOException, ExecutionException {
        if (pendingStart != start) {
            prepare(start);
        }
        CompletableFuture<CommitLogSegment> f = pending;
        try {
            CommitLogSegment segment = f.get();
            pending = null;
            pendingStart = -1;
            return segment;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while waiting for segment " + start, e);
        } catch (ExecutionException e) {
            // Forget the failed attempt so the next append tries again (space may have been freed).
            pending = null;
            pendingStart = -1;
            Throwable cause = e.getCause();
            if (cause instanceof java.io.UncheckedIOException u) {
                throw u.getCause();
            }
            throw e;
        }
    }

    /** Stops the background thread and releases a prepared segment that was never used. */
    void close() {
        executor.shutdown();
        CompletableFuture<CommitLogSegment> f = pending;
        if (f != null) {
            try {
                f.get().release();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (ExecutionException e) {
                // Nothing was prepared; nothing to release.
            }
        }
    }
}
