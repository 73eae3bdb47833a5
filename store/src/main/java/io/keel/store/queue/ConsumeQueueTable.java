package io.keel.store.queue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

import io.keel.store.QueueKey;
import io.keel.store.commitlog.QueueOffsets;

/**
 * Every ConsumeQueue of the store, found by {@link QueueKey} in O(1). It hands out queue offsets to
 * the writer (under the CommitLog write lock) and finds the queue of a record for the dispatcher
 * straight from the record's bytes, without decoding the destination name.
 *
 * <p>On disk, every segment file of every queue in one directory:
 * {@code consumequeue/<destination>@<queueId>@<first queue offset, 20 digits>}, the destination name
 * percent-encoded except for {@code [A-Za-z0-9_-]} and non-leading dots (so {@code @} only separates).
 * Why flat: creating a directory costs a file system far more than creating a file in an existing
 * one (ext4 spreads new directories over its block groups); with a directory per destination and per
 * queue id, 10,000 new queues took seconds of kernel time, most of it in {@code mkdir}.
 */
public final class ConsumeQueueTable implements QueueOffsets {

    private final Path root;
    private final int entriesPerSegment;
    private final FreeSpace freeSpace;
    private final ConcurrentHashMap<QueueKey, ConsumeQueue> queues = new ConcurrentHashMap<>();

    private volatile QueueFilesWorker filesWorker;
    private boolean closed;
    private final EntryFileWriter entryFileWriter;

    // Dispatcher-owned open-addressing index from (destination bytes, queue id) to queue.
    private ConsumeQueue[] slots = new ConsumeQueue[1024];
    /** Slots holding a queue or {@link #DELETED_SLOT}; slots holding a queue. */
    private int slotsUsed;
    private int slotsLive;
    /** Marks an index slot whose queue was deleted (open addressing: probing goes on past it). */
    private static final ConsumeQueue DELETED_SLOT = new ConsumeQueue(new QueueKey("(deleted)", 0), Path.of("."), "", 1);
    /** Where deleted queues' directories wait for the background deletion. */
    static final String DELETED_DIRECTORY = ".deleted";
    private long deletionCounter;
    /** Queues detached by a deletion record that the dispatcher has not reached yet, oldest first. */
    private final Map<QueueKey, ArrayDeque<ConsumeQueue>> pendingDeletions = new HashMap<>();

    public ConsumeQueueTable(Path root, int entriesPerSegment) {
        this(root, entriesPerSegment, EntryFileWriter.DEFAULT_MAX_OPEN_FILES);
    }

    ConsumeQueueTable(Path root, int entriesPerSegment, int maxOpenFiles) {
        this.root = root;
        this.entriesPerSegment = entriesPerSegment;
        this.freeSpace = new FreeSpace(root);
        this.entryFileWriter = new EntryFileWriter(maxOpenFiles);
    }

    /** Creates the directory of the files; before the first queue is created. */
    public void createDirectory() throws IOException {
        Files.createDirectories(root);
    }

    public Path root() {
        return root;
    }

    /** The queue of {@code key}, or null if the store has never seen it. */
    public ConsumeQueue get(QueueKey key) {
        return queues.get(key);
    }

    public Collection<ConsumeQueue> all() {
        return queues.values();
    }

    public int size() {
        return queues.size();
    }

    /**
     * Creates the first segment of {@code key}'s queue in the background if it has none yet; see
     * {@link QueueFilesWorker}. Any thread. Not for a queue being deleted at the same moment: a
     * preparation racing the deletion record could map the old file, which the deletion then moves
     * aside (the broker prepares only non-temporary destinations and deletes only temporary ones).
     * The future completes once the queue has its first segment, or the preparation was given up (a
     * failure, or the table closing): the dispatcher then creates it at the first record, as without one.
     */
    public java.util.concurrent.CompletableFuture<Void> prepare(QueueKey key) {
        ConsumeQueue q = queues.get(key);
        if (q != null && q.hasSegments()) {
            return java.util.concurrent.CompletableFuture.completedFuture(null);
        }
        QueueFilesWorker p = worker();
        if (p == null) {
            return java.util.concurrent.CompletableFuture.completedFuture(null);
        }
        return p.submit(key);
    }

    /** The background thread of queue files, started on first use; null once closed. */
    private QueueFilesWorker worker() {
        QueueFilesWorker p = filesWorker;
        if (p == null) {
            synchronized (this) {
                p = filesWorker;
                if (p == null && !closed) {
                    p = new QueueFilesWorker(this);
                    filesWorker = p;
                }
            }
        }
        return p;
    }

    /** Queues submitted to {@link #prepare} and not yet prepared. */
    public int preparing() {
        QueueFilesWorker p = filesWorker;
        return p == null ? 0 : p.backlog();
    }

    ConsumeQueue getOrCreateQueue(QueueKey key) {
        return getOrCreate(key);
    }

    private ConsumeQueue getOrCreate(QueueKey key) {
        ConsumeQueue q = queues.get(key);
        if (q == null) {
            ConsumeQueue created = new ConsumeQueue(key, root, filePrefix(key), entriesPerSegment, freeSpace);
            q = queues.putIfAbsent(key, created);
            if (q == null) {
                q = created;
            }
        }
        return q;
    }

    @Override
    public long next(QueueKey key) {
        ConsumeQueue q = getOrCreate(key);
        long offset = q.nextAssignOffset;
        q.nextAssignOffset = offset + 1; // single writer (the CommitLog lock): no read-modify-write race
        return offset;
    }

    @Override
    public void undo(QueueKey key) {
        ConsumeQueue q = getOrCreate(key);
        q.nextAssignOffset = q.nextAssignOffset - 1;
    }

    /**
     * The queue of the record whose destination name is {@code length} bytes at {@code position} of
     * {@code buf}. Allocates only the first time a queue is seen. Dispatcher thread only.
     */
    public ConsumeQueue forRecord(ByteBuffer buf, int position, int length, int queueId) {
        int slot = slotOf(buf, position, length, queueId);
        if (slot >= 0) {
            return slots[slot];
        }
        QueueKey key = keyOf(buf, position, length, queueId);
        // A queue deleted by a record further on in the log still owns the records before it.
        ConsumeQueue q = oldestPendingDeletion(key);
        if (q == null) {
            q = getOrCreate(key);
        }
        index(q);
        return q;
    }

    private static QueueKey keyOf(ByteBuffer buf, int position, int length, int queueId) {
        byte[] name = new byte[length];
        buf.get(position, name);
        return new QueueKey(new String(name, StandardCharsets.UTF_8), queueId);
    }

    /** The index slot of the queue with these name bytes and queue id, or -1. */
    private int slotOf(ByteBuffer buf, int position, int length, int queueId) {
        int h = 1;
        for (int i = 0; i < length; i++) {
            h = 31 * h + buf.get(position + i);
        }
        h = h * 31 + queueId;
        int mask = slots.length - 1;
        for (int i = mix(h) & mask; ; i = (i + 1) & mask) {
            ConsumeQueue q = slots[i];
            if (q == null) {
                return -1;
            }
            if (q != DELETED_SLOT && q.key().hashCode() == h && q.key().queueId() == queueId
                    && sameBytes(q.key(), buf, position, length)) {
                return i;
            }
        }
    }

    private void index(ConsumeQueue q) {
        if ((slotsUsed + 1) * 2 > slots.length) {
            ConsumeQueue[] old = slots;
            slots = new ConsumeQueue[slotsLive * 4 > old.length ? old.length * 2 : old.length];
            slotsUsed = 0;
            slotsLive = 0;
            for (ConsumeQueue o : old) {
                if (o != null && o != DELETED_SLOT) {
                    index(o);
                }
            }
        }
        int mask = slots.length - 1;
        int i = mix(q.key().hashCode()) & mask;
        while (slots[i] != null && slots[i] != DELETED_SLOT) {
            i = (i + 1) & mask;
        }
        if (slots[i] == null) {
            slotsUsed++;
        }
        slots[i] = q;
        slotsLive++;
    }

    // ---- deletion ---------------------------------------------------------------------------------

    /**
     * Appender side, under the CommitLog write lock, once a {@link
     * io.keel.store.commitlog.RecordLayout#SYSTEM_TYPE_QUEUE_DELETED} record is written: later records
     * of {@code key} go to a new queue from offset 0; the old one keeps the records before the
     * deletion until the dispatcher reaches it ({@link #deleteAtDispatch}).
     */
    @Override
    public void deleted(QueueKey key) {
        synchronized (pendingDeletions) {
            ConsumeQueue q = queues.get(key);
            if (q != null) {
                pendingDeletions.computeIfAbsent(key, k -> new ArrayDeque<>()).add(q);
                queues.remove(key, q);
            }
        }
    }

    private ConsumeQueue oldestPendingDeletion(QueueKey key) {
        synchronized (pendingDeletions) {
            ArrayDeque<ConsumeQueue> d = pendingDeletions.get(key);
            return d == null ? null : d.peekFirst();
        }
    }

    boolean deletionPending(QueueKey key) {
        synchronized (pendingDeletions) {
            return pendingDeletions.containsKey(key);
        }
    }

    /**
     * Dispatcher side, at the deletion record of the queue with these name bytes and queue id: forgets
     * the queue and moves its directory aside, to be deleted in the background. Replaying the log
     * (recovery) deletes at the same point. Dispatcher thread only.
     */
    public void deleteAtDispatch(ByteBuffer buf, int position, int length, int queueId) throws IOException {
        int slot = slotOf(buf, position, length, queueId);
        ConsumeQueue q;
        QueueKey key;
        if (slot >= 0) {
            q = slots[slot];
            key = q.key();
            slots[slot] = DELETED_SLOT;
            slotsLive--;
        } else {
            key = keyOf(buf, position, length, queueId);
            q = oldestPendingDeletion(key);
            if (q == null) {
                q = queues.get(key); // recovery: the appender side never saw this deletion
            }
        }
        synchronized (pendingDeletions) {
            ArrayDeque<ConsumeQueue> d = pendingDeletions.get(key);
            if (d != null && d.peekFirst() == q) {
                d.pollFirst();
                if (d.isEmpty()) {
                    pendingDeletions.remove(key);
                }
            }
            if (q != null) {
                queues.remove(key, q);
            }
        }
        if (q == null) {
            return;
        }
        entryFileWriter.forget(q);
        List<Path> files = q.files();
        if (files.isEmpty()) {
            return;
        }
        // Renames, so that a new queue of the same key can create its files at once; the old mappings
        // stay valid for any reader still holding them.
        Path aside = root.resolve(DELETED_DIRECTORY).resolve(Long.toString(deletionCounter++) + "-" + System.nanoTime());
        Files.createDirectories(aside);
        for (Path f : files) {
            if (Files.exists(f)) {
                Files.move(f, aside.resolve(f.getFileName()));
            }
        }
        QueueFilesWorker.Deletion deletion = new QueueFilesWorker.Deletion(aside);
        QueueFilesWorker w = worker();
        if (w != null) {
            w.submitDeletion(deletion);
        } else {
            deletion.run();
        }
    }

    /** Removes what deletions left aside before a restart. Before loading. */
    public void removeDeletedLeftovers() throws IOException {
        Path aside = root.resolve(DELETED_DIRECTORY);
        if (Files.isDirectory(aside)) {
            QueueFilesWorker.deleteTree(aside);
        }
    }

    private static int mix(int h) {
        return h ^ (h >>> 16) * 0x9E3779B1;
    }

    private static boolean sameBytes(QueueKey key, ByteBuffer buf, int position, int length) {
        byte[] utf8 = key.destinationUtf8();
        if (utf8.length != length) {
            return false;
        }
        for (int i = 0; i < length; i++) {
            if (utf8[i] != buf.get(position + i)) {
                return false;
            }
        }
        return true;
    }

    /** Loads every queue found under the root. */
    public void load(long commitLogMinOffset) throws IOException {
        Map<QueueKey, List<Path>> files = new HashMap<>();
        for (Path p : segmentFiles(root)) {
            String name = p.getFileName().toString();
            int at = name.lastIndexOf('@', name.length() - 22);
            QueueKey key = new QueueKey(destinationOf(name.substring(0, at)), Integer.parseInt(name.substring(at + 1,
                    name.length() - 21)));
            files.computeIfAbsent(key, k -> new ArrayList<>()).add(p);
        }
        for (Map.Entry<QueueKey, List<Path>> e : files.entrySet()) {
            e.getValue().sort(null);
            getOrCreate(e.getKey()).load(e.getValue(), commitLogMinOffset);
        }
    }

    /** The ConsumeQueue segment files in {@code directory} (names {@code <destination>@<id>@<20 digits>}). */
    public static List<Path> segmentFiles(Path directory) throws IOException {
        List<Path> out = new ArrayList<>();
        if (!Files.isDirectory(directory)) {
            return out;
        }
        try (Stream<Path> s = Files.list(directory)) {
            s.filter(p -> SEGMENT_NAME.matcher(p.getFileName().toString()).matches() && Files.isRegularFile(p))
                    .forEach(out::add);
        }
        return out;
    }

    /** Whether {@code directory} holds subdirectories of the layout before the flat one. */
    public static boolean hasNestedLayout(Path directory) throws IOException {
        if (!Files.isDirectory(directory)) {
            return false;
        }
        try (Stream<Path> s = Files.list(directory)) {
            return s.anyMatch(p -> Files.isDirectory(p) && !p.getFileName().toString().startsWith("."));
        }
    }

    private static final java.util.regex.Pattern SEGMENT_NAME = java.util.regex.Pattern.compile("[^@.][^@]*@\\d+@\\d{20}");

    /** Writes the entry of a record; see {@link ConsumeQueue#put}. Dispatcher thread only. */
    public void put(ConsumeQueue q, long queueOffset, long commitLogOffset, int size, long tagCode) throws IOException {
        q.put(queueOffset, commitLogOffset, size, tagCode, entryFileWriter);
    }

    /** Stops preparing queues (see {@link #prepare}); waits for a preparation under way. */
    public void stopPreparing() {
        QueueFilesWorker p;
        synchronized (this) {
            closed = true;
            p = filesWorker;
        }
        if (p != null) {
            p.stop();
        }
    }

    /** Closes the segment files the dispatcher keeps open; the mappings stay usable. */
    public void closeFiles() throws IOException {
        entryFileWriter.close();
    }

    /** Recovery: every queue forgets entries at or beyond {@code commitLogEnd}. */
    public void truncateTo(long commitLogEnd) throws IOException {
        for (ConsumeQueue q : queues.values()) {
            q.truncateTo(commitLogEnd);
        }
    }

    /** After recovery dispatched the whole log: the next offset to hand out is each queue's maximum. */
    public void resetAssignedOffsets() {
        for (ConsumeQueue q : queues.values()) {
            q.nextAssignOffset = q.maxOffset();
        }
    }

    public void flushAll() throws IOException {
        for (ConsumeQueue q : queues.values()) {
            q.flush();
        }
    }

    public void dropEntriesBelow(long commitLogMinOffset) throws IOException {
        for (ConsumeQueue q : queues.values()) {
            q.dropEntriesBelow(commitLogMinOffset);
        }
    }

    private static String filePrefix(QueueKey key) {
        return fileDestination(key.destination()) + "@" + key.queueId() + "@";
    }

    /** Longest encoded destination used as is in a file name (file names stop at 255 bytes). */
    static final int MAX_ENCODED_DESTINATION = 160;

    /**
     * The destination as it appears in file names: percent-encoded, or, when that would make the file
     * name too long (a 200-byte name of spaces encodes to 600 characters), {@code ~} and 40 hex digits
     * of its SHA-256, with the name itself in the file {@code ~<digits>.name} beside the segments.
     */
    static String fileDestination(String destination) {
        String encoded = encode(destination);
        if (encoded.length() <= MAX_ENCODED_DESTINATION) {
            return encoded;
        }
        try {
            byte[] digest = java.security.MessageDigest.getInstance("SHA-256")
                    .digest(destination.getBytes(StandardCharsets.UTF_8));
            return "~" + java.util.HexFormat.of().formatHex(digest).substring(0, 40);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every Java runtime", e);
        }
    }

    /** The destination of a file-name destination: decoded, or read from its {@code .name} file. */
    private String destinationOf(String fileDestination) throws IOException {
        if (!fileDestination.startsWith("~")) {
            return decode(fileDestination);
        }
        return Files.readString(root.resolve(fileDestination + ".name"), StandardCharsets.UTF_8);
    }

    /** Percent-encodes a destination name into a safe directory name. */
    static String encode(String destination) {
        StringBuilder sb = new StringBuilder();
        byte[] utf8 = destination.getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < utf8.length; i++) {
            int b = utf8[i] & 0xFF;
            boolean plain = (b >= 'a' && b <= 'z') || (b >= 'A' && b <= 'Z') || (b >= '0' && b <= '9')
                    || b == '_' || b == '-' || (b == '.' && i > 0);
            if (plain) {
                sb.append((char) b);
            } else {
                sb.append('%').append(Character.toUpperCase(Character.forDigit(b >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(b & 0xF, 16)));
            }
        }
        return sb.toString();
    }

    static String decode(String directoryName) {
        byte[] out = new byte[directoryName.length()];
        int n = 0;
        for (int i = 0; i < directoryName.length(); i++) {
            char c = directoryName.charAt(i);
            if (c == '%' && i + 2 < directoryName.length()) {
                out[n++] = (byte) Integer.parseInt(directoryName.substring(i + 1, i + 3), 16);
                i += 2;
            } else {
                out[n++] = (byte) c;
            }
        }
        return new String(out, 0, n, StandardCharsets.UTF_8);
    }
}
