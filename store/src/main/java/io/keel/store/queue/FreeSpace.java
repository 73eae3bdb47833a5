package io.keel.store.queue;

import java.io.IOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The free space of the file system under the ConsumeQueues, read at most every 100 ms. A new
 * ConsumeQueue segment is sparse, so its blocks must exist before the mapping is written (a write
 * into a mapping on a full disk is a fault, not an error); but finding the file store and asking it
 * for every one of 10,000 new queues cost more than the sends. Between two readings the bytes handed
 * out are subtracted, so the check stays conservative. Thread-safe.
 */
final class FreeSpace {

    private static final long REFRESH_NANOS = 100_000_000L;

    private final Path directory;
    private FileStore store;
    private long usable;
    private long readAtNanos;
    private boolean read;

    FreeSpace(Path directory) {
        this.directory = directory;
    }

    /** Reserves {@code bytes} for {@code file}; throws IOException naming it when the file system lacks them. */
    synchronized void reserve(Path file, long bytes) throws IOException {
        long now = System.nanoTime();
        if (!read || now - readAtNanos > REFRESH_NANOS || usable < bytes) {
            if (store == null) {
                Files.createDirectories(directory);
                store = Files.getFileStore(directory);
            }
            usable = store.getUsableSpace();
            readAtNanos = now;
            read = true;
        }
        if (usable < bytes) {
            throw new IOException("not enough free space for " + file + ": it needs " + bytes
                    + " bytes and the file system has " + usable + " usable");
        }
        usable -= bytes;
    }
}
