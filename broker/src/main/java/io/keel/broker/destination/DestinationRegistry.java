package io.keel.broker.destination;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.keel.protocol.DestinationType;
import io.keel.store.MessageStore;
import io.keel.store.QueueKey;

/**
 * Every destination of the broker, found in O(1). Persisted in {@code <data>/broker/destinations.properties},
 * rewritten atomically: at once for admin changes, within 100 ms for destinations created on first
 * use (a crash in between loses nothing: such a destination has a message in the store, and the
 * store's queues are merged back in at start).
 */
public final class DestinationRegistry implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(DestinationRegistry.class);

    /** Why a destination could not be resolved. */
    public static final class DestinationException extends RuntimeException {
        private final boolean exists;

        DestinationException(String message, boolean exists) {
            super(message);
            this.exists = exists;
        }

        public DestinationException(String message) {
            this(message, false);
        }

        /** True when the failure is that the destination already exists. */
        public boolean alreadyExists() {
            return exists;
        }
    }

    private final Path file;
    private final MessageStore store;
    private final boolean autoCreate;
    private final int defaultQueueCount;
    private final Map<DestinationId, Destination> destinations = new ConcurrentHashMap<>();
    /** Destinations removed so far (admin deletes, temporary ones gone): a resolved one is stale once this moved. */
    private final java.util.concurrent.atomic.AtomicInteger removals = new java.util.concurrent.atomic.AtomicInteger();
    /** Floors of deleted destinations, by store queue ("Q:name#id"), applied if they are created again. */
    private final Map<String, Long> deletedFloors = new ConcurrentHashMap<>();
    private final AtomicBoolean dirty = new AtomicBoolean();
    private final ScheduledExecutorService writer;

    public DestinationRegistry(Path directory, MessageStore store, boolean autoCreate, int defaultQueueCount)
            throws IOException {
        Files.createDirectories(directory);
        this.file = directory.resolve("destinations.properties");
        this.store = store;
        this.autoCreate = autoCreate;
        this.defaultQueueCount = defaultQueueCount;
        load();
        this.writer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "keel-destination-writer");
            t.setDaemon(true);
            return t;
        });
        writer.scheduleWithFixedDelay(this::writeIfDirty, 100, 100, TimeUnit.MILLISECONDS);
    }

    private void load() throws IOException {
        Properties p = new Properties();
        if (Files.exists(file)) {
            try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                p.load(r);
            }
        }
        for (String k : p.stringPropertyNames()) {
            if (k.startsWith("deletedFloor.")) {
                deletedFloors.put(k.substring("deletedFloor.".length()), Long.parseLong(p.getProperty(k)));
            }
        }
        for (int i = 0; p.containsKey("d." + i + ".name"); i++) {
            DestinationId id = new DestinationId(DestinationType.valueOf(p.getProperty("d." + i + ".type")),
                    p.getProperty("d." + i + ".name"));
            int queues = Integer.parseInt(p.getProperty("d." + i + ".queues"));
            long[] floors = new long[queues * Destination.BANDS];
            for (int q = 0; q < floors.length; q++) {
                floors[q] = Long.parseLong(p.getProperty("d." + i + ".floor." + q, "0"));
            }
            Destination d = new Destination(id, queues, floors);
            Map<String, String> overrides = new java.util.TreeMap<>();
            String prefix = "d." + i + ".setting.";
            for (String k : p.stringPropertyNames()) {
                if (k.startsWith(prefix)) {
                    overrides.put(k.substring(prefix.length()), p.getProperty(k));
                }
            }
            d.settingOverrides(overrides);
            destinations.put(id, d);
        }
        // Destinations created on first use whose metadata write a crash prevented; and the store
        // queues of temporary destinations, which do not outlive the broker.
        Map<DestinationId, Integer> fromStore = new HashMap<>();
        for (QueueKey k : store.queueKeys()) {
            DestinationId id = fromStoreName(k.destination());
            if (id != null && id.type().isTemporary()) {
                store.deleteQueue(k);
                continue;
            }
            if (id != null && !id.type().isTemporary() && !destinations.containsKey(id)) {
                fromStore.merge(id, Destination.queueIdOf(k.queueId()) + 1, Math::max);
            }
        }
        fromStore.forEach((id, maxQueue) -> {
            if (!isDeletedWithoutNewMessages(id)) {
                create(id, Math.max(maxQueue, defaultQueueCount), false);
            }
        });
    }

    private boolean isDeletedWithoutNewMessages(DestinationId id) {
        for (int q = 0; q < 64 * Destination.BANDS; q++) {
            Long floor = deletedFloors.get(id.storeName() + "#" + q);
            QueueKey k = new QueueKey(id.storeName(), q);
            if (floor != null && store.hasQueue(k) && store.maxQueueOffset(k) > floor) {
                return false;
            }
        }
        return deletedFloors.keySet().stream().anyMatch(s -> s.startsWith(id.storeName() + "#"));
    }

    /** The destination whose store queues are named {@code storeName} (see {@link DestinationId#storeName()}), or null. */
    public Destination forStoreName(String storeName) {
        DestinationId id = fromStoreName(storeName);
        return id == null ? null : destinations.get(id);
    }

    private static DestinationId fromStoreName(String storeName) {
        if (storeName.length() < 3 || storeName.charAt(1) != ':') {
            return null;
        }
        DestinationType type = switch (storeName.charAt(0)) {
            case 'Q' -> DestinationType.QUEUE;
            case 'T' -> DestinationType.TOPIC;
            case 'q' -> DestinationType.TEMPORARY_QUEUE;
            case 't' -> DestinationType.TEMPORARY_TOPIC;
            default -> null;
        };
        return type == null ? null : new DestinationId(type, storeName.substring(2));
    }

    /**
     * How many destinations were removed so far. A caller that keeps a resolved destination (a
     * connection sending to the same one again and again) reads this before resolving and resolves
     * again once it changed.
     */
    public int removals() {
        return removals.get();
    }

    /** The destination, or null if it does not exist. */
    public Destination get(DestinationId id) {
        return destinations.get(id);
    }

    /**
     * The destination for a send or a subscription: created with the default queue count if it does
     * not exist and auto-creation is on; otherwise a DestinationException naming it.
     */
    public Destination resolve(DestinationType type, String name) {
        DestinationId id = new DestinationId(type, name);
        Destination d = destinations.get(id);
        if (d != null) {
            return d;
        }
        String problem = DestinationId.problem(name);
        if (problem != null) {
            throw new DestinationException(problem, false);
        }
        if (!autoCreate || type.isTemporary()) {
            throw new DestinationException(id + " does not exist"
                    + (type.isTemporary() ? "" : " and autoCreateDestinations is off"), false);
        }
        return create(id, defaultQueueCount, false);
    }

    /** Admin create: fails if the destination exists; durable when it returns. */
    public Destination createExplicitly(DestinationType type, String name, int queueCount) {
        String problem = DestinationId.problem(name);
        if (problem != null) {
            throw new DestinationException(problem, false);
        }
        if (queueCount <= 0 || queueCount > 1024) {
            throw new DestinationException("queue count " + queueCount + " is not within 1-1024", false);
        }
        DestinationId id = new DestinationId(type, name);
        if (destinations.containsKey(id)) {
            throw new DestinationException(id + " already exists", true);
        }
        Destination d = create(id, queueCount, true);
        writeNow();
        return d;
    }

    private Destination create(DestinationId id, int queueCount, boolean explicit) {
        Destination d = destinations.computeIfAbsent(id, k -> {
            long[] floors = new long[queueCount * Destination.BANDS];
            for (int q = 0; q < floors.length; q++) {
                Long deleted = deletedFloors.remove(k.storeName() + "#" + q);
                floors[q] = deleted == null ? 0 : deleted;
            }
            LOG.info("created {} with {} queue ids{}", k, queueCount, explicit ? "" : " on first use");
            Destination created = new Destination(k, queueCount, floors);
            // Their ConsumeQueue files are made in the background now rather than by the store's
            // dispatcher at each queue id's first message, inside that send's round trip.
            java.util.concurrent.CompletableFuture<?>[] prepared = new java.util.concurrent.CompletableFuture<?>[queueCount];
            for (int q = 0; q < queueCount; q++) {
                prepared[q] = store.prepareQueue(created.key(Destination.storeQueueId(q, Destination.DEFAULT_PRIORITY)));
            }
            created.storageReady(java.util.concurrent.CompletableFuture.allOf(prepared));
            return created;
        });
        dirty.set(true);
        return d;
    }

    /**
     * Admin configure: replaces the delivery settings set for a destination (already validated by the
     * caller); durable when it returns. An empty value removes a key (back to the broker default).
     */
    public Destination configure(DestinationType type, String name, Map<String, String> changes) {
        DestinationId id = new DestinationId(type, name);
        Destination d = destinations.get(id);
        if (d == null) {
            throw new DestinationException(id + " does not exist", false);
        }
        if (type.isTemporary()) {
            throw new DestinationException(id + " is temporary: it uses the broker's settings", false);
        }
        Map<String, String> merged = new java.util.TreeMap<>(d.settingOverrides());
        changes.forEach((k, v) -> {
            if (v == null || v.isEmpty()) {
                merged.remove(k);
            } else {
                merged.put(k, v);
            }
        });
        d.settingOverrides(merged);
        writeNow();
        LOG.info("{}: delivery settings {}", id, merged);
        return d;
    }

    /** Admin delete: its stored messages become unreachable; durable when it returns. */
    public void delete(DestinationType type, String name) {
        DestinationId id = new DestinationId(type, name);
        Destination d = destinations.remove(id);
        if (d == null) {
            throw new DestinationException(id + " does not exist", false);
        }
        removals.incrementAndGet();
        for (int q = 0; q < d.storeQueueCount(); q++) {
            if (d.exists(store, q)) {
                deletedFloors.put(id.storeName() + "#" + q, d.maxOffset(store, q));
            }
        }
        writeNow();
        LOG.info("deleted {}", id);
    }

    private final long startedAt = System.currentTimeMillis();
    private final java.util.concurrent.atomic.AtomicLong temporaryCount = new java.util.concurrent.atomic.AtomicLong();

    /**
     * Creates a temporary destination owned by connection {@code owner}. Its name is unique across
     * restarts of the broker (it carries the start time), so a new one never sees an old one's messages.
     */
    public Destination createTemporary(DestinationType type, long owner) {
        if (!type.isTemporary()) {
            throw new DestinationException(type + " is not a temporary destination type");
        }
        String name = (type == DestinationType.TEMPORARY_QUEUE ? "TQ." : "TT.") + Long.toString(startedAt, 36) + "."
                + owner + "." + temporaryCount.incrementAndGet();
        DestinationId id = new DestinationId(type, name);
        Destination d = new Destination(id, 1, null, owner);
        destinations.put(id, d);
        return d;
    }

    /**
     * Gives a temporary destination of a connection that failed over back to its new connection: the
     * same name, created empty if the broker no longer has it (temporary destinations do not survive
     * their connection or a restart). Refused if another live connection owns it, or if the name is not
     * one this registry would give a temporary destination of that type.
     */
    public synchronized Destination reclaimTemporary(DestinationType type, String name, long owner) {
        String prefix = type == DestinationType.TEMPORARY_QUEUE ? "TQ." : "TT.";
        if (!type.isTemporary() || name == null || !name.startsWith(prefix) || name.length() > 200) {
            throw new DestinationException("'" + name + "' is not the name of a " + type.name().toLowerCase(java.util.Locale.ROOT)
                    .replace('_', ' ') + " (it starts with " + prefix + ")");
        }
        DestinationId id = new DestinationId(type, name);
        Destination d = destinations.get(id);
        if (d != null) {
            if (d.owner() != owner) {
                throw new DestinationException(id + " is owned by another connection (" + d.owner() + ")");
            }
            return d;
        }
        d = new Destination(id, 1, null, owner);
        destinations.put(id, d);
        return d;
    }

    /**
     * Removes a temporary destination (not persisted) and deletes its store queues: a temporary
     * destination is never read again, and a request/reply application makes one per request, so
     * their ConsumeQueue files must not pile up.
     */
    public void removeTemporary(DestinationId id) {
        Destination d = destinations.remove(id);
        if (d != null) {
            removals.incrementAndGet();
            deleteStoreQueues(d);
        }
    }

    private void deleteStoreQueues(Destination d) {
        for (int q = 0; q < d.storeQueueCount(); q++) {
            QueueKey key = d.key(q);
            if (store.hasQueue(key)) {
                store.deleteQueue(key).whenComplete((r, e) -> {
                    if (e != null) {
                        LOG.warn("could not delete the store queue {} of {}: {}", key, d.id(), e.toString());
                    }
                });
            }
        }
    }

    /** Admin purge: every stored message of the destination is dropped; returns how many. */
    public long purge(DestinationType type, String name) {
        Destination d = destinations.get(new DestinationId(type, name));
        if (d == null) {
            throw new DestinationException(new DestinationId(type, name) + " does not exist", false);
        }
        long purged = d.depth(store);
        for (int q = 0; q < d.storeQueueCount(); q++) {
            d.setFloor(q, d.maxOffset(store, q));
        }
        writeNow();
        return purged;
    }

    public List<Destination> all() {
        List<Destination> out = new ArrayList<>(destinations.values());
        out.sort(Comparator.comparing((Destination d) -> d.id().type()).thenComparing(d -> d.id().name()));
        return out;
    }

    private void writeIfDirty() {
        if (dirty.getAndSet(false)) {
            try {
                write();
            } catch (IOException | RuntimeException e) {
                dirty.set(true);
                LOG.warn("cannot write {}: {}", file, e.toString());
            }
        }
    }

    private void writeNow() {
        dirty.set(false);
        try {
            write();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    private synchronized void write() throws IOException {
        Properties p = new Properties();
        int i = 0;
        for (Destination d : all()) {
            if (d.id().type().isTemporary()) {
                continue;
            }
            p.setProperty("d." + i + ".type", d.id().type().name());
            p.setProperty("d." + i + ".name", d.id().name());
            p.setProperty("d." + i + ".queues", Integer.toString(d.queueCount()));
            int n = i;
            d.settingOverrides().forEach((k, v) -> p.setProperty("d." + n + ".setting." + k, v));
            for (int q = 0; q < d.storeQueueCount(); q++) {
                if (d.floor(q) != 0) {
                    p.setProperty("d." + i + ".floor." + q, Long.toString(d.floor(q)));
                }
            }
            i++;
        }
        deletedFloors.forEach((k, v) -> p.setProperty("deletedFloor." + k, Long.toString(v)));
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        try (Writer w = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
            p.store(w, "Keel destinations; written by the broker");
        }
        try (java.nio.channels.FileChannel ch = java.nio.channels.FileChannel.open(tmp, java.nio.file.StandardOpenOption.WRITE)) {
            ch.force(true);
        }
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    @Override
    public void close() {
        writer.shutdownNow();
        writeIfDirty();
    }
}
