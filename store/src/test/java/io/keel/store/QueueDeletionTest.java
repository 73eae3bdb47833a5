package io.keel.store;

import static io.keel.store.StoreTestSupport.payload;
import static io.keel.store.StoreTestSupport.smallConfig;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link MessageStore#deleteQueue}: the deletion is a record in the log, applied where it stands
 * both live and when the log is replayed, and a queue of the same key written afterwards starts
 * afresh at offset 0 without any entry of the deleted one.
 */
class QueueDeletionTest {

    @TempDir
    Path dir;

    private static final QueueKey DELETED = new QueueKey("q:temporary.1", 0);
    private static final QueueKey KEPT = new QueueKey("Q:kept", 1);

    @Test
    void deletionForgetsTheQueueAndItsFilesAndAFreshQueueStartsAtZero() throws Exception {
        List<AppendResult> fresh = new ArrayList<>();
        List<AppendResult> kept = new ArrayList<>();
        try (MessageStore store = MessageStore.open(smallConfig(dir))) {
            for (int i = 0; i < 3; i++) {
                store.append(new AppendRecord().message(DELETED, ByteBuffer.wrap(payload(i, 300)))).get();
                kept.add(store.append(new AppendRecord().message(KEPT, ByteBuffer.wrap(payload(100 + i, 300)))).get());
            }
            MessageStoreTest.awaitDispatched(store);
            Path oldFile = dir.resolve("consumequeue").resolve("q%3Atemporary.1@0@00000000000000000000");
            assertTrue(Files.isRegularFile(oldFile), "the queue has its file before the deletion");

            store.deleteQueue(DELETED).get();
            for (int i = 0; i < 2; i++) {
                fresh.add(store.append(new AppendRecord().message(DELETED, ByteBuffer.wrap(payload(200 + i, 300)))).get());
            }
            assertEquals(0, fresh.get(0).queueOffset(), "a record after the deletion starts the queue again");
            MessageStoreTest.awaitDispatched(store);
            assertQueues(store, fresh, kept);
            awaitNoLeftovers();
        }
        // Reopened after a clean close; then with every ConsumeQueue rebuilt from the log, which
        // replays the deletion where it stands.
        try (MessageStore store = MessageStore.open(smallConfig(dir))) {
            assertQueues(store, fresh, kept);
        }
        deleteTree(dir.resolve("consumequeue"));
        Files.delete(dir.resolve("checkpoint"));
        try (MessageStore store = MessageStore.open(smallConfig(dir))) {
            assertTrue(store.recoveryReport().consumeQueuesRebuilt());
            assertQueues(store, fresh, kept);
            awaitNoLeftovers();
        }
    }

    @Test
    void deletingAQueueTheStoreNeverSawChangesNothing() throws Exception {
        try (MessageStore store = MessageStore.open(smallConfig(dir))) {
            store.append(new AppendRecord().message(KEPT, ByteBuffer.wrap(payload(1, 100)))).get();
            store.deleteQueue(new QueueKey("q:never", 0)).get();
            AppendResult after = store.append(new AppendRecord().message(KEPT, ByteBuffer.wrap(payload(2, 100)))).get();
            MessageStoreTest.awaitDispatched(store);
            assertEquals(1, after.queueOffset());
            assertEquals(2, store.maxQueueOffset(KEPT));
            assertFalse(store.hasQueue(new QueueKey("q:never", 0)));
        }
    }

    private static void assertQueues(MessageStore store, List<AppendResult> fresh, List<AppendResult> kept) {
        assertEquals(0, store.minQueueOffset(DELETED));
        assertEquals(fresh.size(), store.maxQueueOffset(DELETED), "only the records after the deletion");
        ConsumeQueueBatch batch = new ConsumeQueueBatch(16);
        assertEquals(fresh.size(), store.readQueue(DELETED, 0, 16, batch));
        for (int i = 0; i < fresh.size(); i++) {
            assertEquals(fresh.get(i).physicalOffset(), batch.physicalOffset(i));
            assertArrayEquals(payload(200 + i, 300), StoreTestSupport.payloadAt(store, batch.physicalOffset(i)));
        }
        assertEquals(kept.size(), store.readQueue(KEPT, 0, 16, batch), "another queue is untouched");
        for (int i = 0; i < kept.size(); i++) {
            assertEquals(kept.get(i).physicalOffset(), batch.physicalOffset(i));
        }
        assertThrows(StoreException.OffsetOutOfRange.class, () -> store.readQueue(DELETED, -1, 1, batch));
    }

    private void awaitNoLeftovers() throws Exception {
        Path aside = dir.resolve("consumequeue").resolve(".deleted");
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (System.nanoTime() < deadline) {
            if (!Files.isDirectory(aside) || isEmpty(aside)) {
                return;
            }
            Thread.onSpinWait();
        }
        throw new AssertionError("the deleted queue's files are still under " + aside);
    }

    private static boolean isEmpty(Path directory) throws IOException {
        try (Stream<Path> s = Files.list(directory)) {
            return s.findAny().isEmpty();
        }
    }

    private static void deleteTree(Path root) throws IOException {
        try (Stream<Path> s = Files.walk(root)) {
            for (Path p : (Iterable<Path>) s.sorted(Comparator.reverseOrder())::iterator) {
                Files.delete(p);
            }
        }
    }
}
