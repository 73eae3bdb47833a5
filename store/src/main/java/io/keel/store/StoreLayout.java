package io.keel.store;

import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;

/**
 * The files of a data directory, and {@code store.properties}: the settings a directory is created
 * with and may not change afterwards (segment sizes), checked on every open.
 */
final class StoreLayout {

    final Path root;
    final Path commitLog;
    final Path consumeQueues;
    final Path checkpoint;
    final Path abortMarker;
    private final Path properties;

    StoreLayout(Path root) {
        this.root = root;
        this.commitLog = root.resolve("commitlog");
        this.consumeQueues = root.resolve("consumequeue");
        this.checkpoint = root.resolve("checkpoint");
        this.abortMarker = root.resolve("abort");
        this.properties = root.resolve("store.properties");
    }

    /** Writes the fixed settings of a new directory, or checks them against an existing one. */
    void checkFixedSettings(StoreConfig config) throws IOException {
        Properties p = new Properties();
        if (Files.exists(properties)) {
            try (Reader r = Files.newBufferedReader(properties, StandardCharsets.UTF_8)) {
                p.load(r);
            }
            check(p, "segmentSize", config.segmentSize());
            check(p, "consumeQueueEntriesPerSegment", config.consumeQueueEntriesPerSegment());
            return;
        }
        p.setProperty("segmentSize", Integer.toString(config.segmentSize()));
        p.setProperty("consumeQueueEntriesPerSegment", Integer.toString(config.consumeQueueEntriesPerSegment()));
        Path tmp = root.resolve("store.properties.tmp");
        try (Writer w = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
            p.store(w, "Keel store settings fixed at creation; do not edit");
        }
        Files.move(tmp, properties, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }

    private void check(Properties p, String key, int configured) {
        String stored = p.getProperty(key);
        if (stored != null && Integer.parseInt(stored.trim()) != configured) {
            throw new StoreException("store in " + root + " was created with " + key + "=" + stored
                    + " and cannot be opened with " + key + "=" + configured);
        }
    }
}
