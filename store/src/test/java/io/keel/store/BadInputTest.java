package io.keel.store;

import static io.keel.store.StoreTestSupport.bytes;
import static io.keel.store.StoreTestSupport.payload;
import static io.keel.store.StoreTestSupport.smallConfig;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Each kind of bad input gets a clear error, and nothing already stored is lost. */
class BadInputTest {

    private static final QueueKey KEY = new QueueKey("bad-input", 0);

    @TempDir
    Path dir;

    private List<AppendResult> store10(MessageStore store) throws Exception {
        List<AppendResult> out = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            out.add(store.append(new AppendRecord().message(KEY, ByteBuffer.wrap(payload(i, 1000)))).get());
        }
        return out;
    }

    private void assertIntact(MessageStore store, List<AppendResult> stored) {
        for (int i = 0; i < stored.size(); i++) {
            try (RecordSlice s = store.read(stored.get(i).physicalOffset())) {
                assertArrayEquals(payload(i, 1000), bytes(s.payload()));
            }
        }
    }

    private static StoreException failure(java.util.concurrent.CompletableFuture<?> f) throws Exception {
        ExecutionException e = assertThrows(ExecutionException.class, () -> f.get(5, TimeUnit.SECONDS));
        return (StoreException) e.getCause();
    }

    @Test
    void destinationsTooLongForAFileNameAreStoredReadAndReloaded() throws Exception {
        // Percent-encoded, these names would be 600 and 600 characters: past the 255 a file name may have.
        QueueKey spaces = new QueueKey(" ".repeat(QueueKey.MAX_DESTINATION_BYTES), 3);
        QueueKey accents = new QueueKey("é".repeat(QueueKey.MAX_DESTINATION_BYTES / 2), 0);
        QueueKey plain = new QueueKey("plain", 0);
        List<AppendResult> written = new java.util.ArrayList<>();
        try (MessageStore store = MessageStore.open(smallConfig(dir))) {
            for (QueueKey key : List.of(spaces, accents, plain)) {
                written.add(store.append(new AppendRecord().message(key, ByteBuffer.wrap(payload(key.hashCode(), 100))))
                        .get(10, java.util.concurrent.TimeUnit.SECONDS));
            }
            MessageStoreTest.awaitDispatched(store);
            assertLongNamedQueuesReadBack(store, List.of(spaces, accents, plain), written);
        }
        try (MessageStore store = MessageStore.open(smallConfig(dir))) {
            assertTrue(store.queueKeys().containsAll(List.of(spaces, accents, plain)), "" + store.queueKeys());
            assertLongNamedQueuesReadBack(store, List.of(spaces, accents, plain), written);
        }
    }

    private static void assertLongNamedQueuesReadBack(MessageStore store, List<QueueKey> keys, List<AppendResult> written) {
        ConsumeQueueBatch batch = new ConsumeQueueBatch(4);
        for (int i = 0; i < keys.size(); i++) {
            assertEquals(1, store.readQueue(keys.get(i), 0, 4, batch), "queue " + i);
            assertEquals(written.get(i).physicalOffset(), batch.physicalOffset(0));
        }
    }

    @Test
    void oversizedRecordIsRefusedAndTheStoreGoesOn() throws Exception {
        try (MessageStore store = MessageStore.open(smallConfig(dir))) {
            List<AppendResult> stored = store10(store);
            StoreException e = failure(store.append(new AppendRecord().message(KEY, ByteBuffer.allocate(16 * 1024))));
            assertTrue(e instanceof StoreException.RecordTooLarge, e.toString());
            assertTrue(e.getMessage().contains("bad-input#0") && e.getMessage().contains("maximum record size of 16384"),
                    e.getMessage());
            AppendResult next = store.append(new AppendRecord().message(KEY, ByteBuffer.allocate(10))).get();
            assertEquals(10, next.queueOffset(), "the refused record took no queue offset");
            assertIntact(store, stored);
        }
    }

    @Test
    void readsOfUnknownQueuesAndBeyondTheEndAreClearErrors() throws Exception {
        try (MessageStore store = MessageStore.open(smallConfig(dir))) {
            List<AppendResult> stored = store10(store);
            MessageStoreTest.awaitDispatched(store);
            QueueKey unknown = new QueueKey("never-written", 3);
            ConsumeQueueBatch b = new ConsumeQueueBatch(4);
            StoreException e = assertThrows(StoreException.UnknownQueue.class, () -> store.readQueue(unknown, 0, 4, b));
            assertTrue(e.getMessage().contains("never-written#3"), e.getMessage());
            assertThrows(StoreException.UnknownQueue.class, () -> store.maxQueueOffset(unknown));
            assertThrows(StoreException.UnknownQueue.class, () -> store.minQueueOffset(unknown));
            assertThrows(StoreException.UnknownQueue.class, () -> store.queueOffsetForTimestamp(unknown, 0));
            e = assertThrows(StoreException.OffsetOutOfRange.class, () -> store.read(store.writtenOffset()));
            assertTrue(e.getMessage().contains("beyond the end"), e.getMessage());
            assertThrows(StoreException.OffsetOutOfRange.class, () -> store.read(-1));
            e = assertThrows(StoreException.class, () -> store.read(stored.get(3).physicalOffset() + 1));
            assertTrue(e.getMessage().contains("not the start of a record"), e.getMessage());
            assertEquals(0, store.readQueue(KEY, 10, 4, b), "reading at the end of a queue is empty, not an error");
            assertEquals(0, store.readQueue(KEY, 1_000_000, 4, b));
            assertIntact(store, stored);
        }
    }

    @Test
    void corruptedCheckpointFallsBackToAFullScan() throws Exception {
        List<AppendResult> stored;
        try (MessageStore store = MessageStore.open(smallConfig(dir))) {
            stored = store10(store);
        }
        byte[] cp = Files.readAllBytes(dir.resolve("checkpoint"));
        cp[10] ^= 0x5A;
        Files.write(dir.resolve("checkpoint"), cp);
        try (MessageStore store = MessageStore.open(smallConfig(dir))) {
            assertTrue(store.recoveryReport().scanned(), "a checkpoint that fails its CRC is not trusted");
            assertEquals(0, store.recoveryReport().scanStart());
            assertIntact(store, stored);
            assertEquals(10, store.maxQueueOffset(KEY));
        }
        Files.write(dir.resolve("checkpoint"), new byte[] {1, 2, 3});
        try (MessageStore store = MessageStore.open(smallConfig(dir))) {
            assertTrue(store.recoveryReport().scanned());
            assertIntact(store, stored);
        }
    }

    @Test
    void fullDiskRefusesAppendsAndLosesNothing() throws Exception {
        List<AppendResult> stored;
        try (MessageStore store = MessageStore.open(smallConfig(dir))) {
            stored = store10(store);
        }
        // A limit of 0% makes any real file system "full".
        try (MessageStore store = MessageStore.open(smallConfig(dir).diskUsageLimit(0.0))) {
            StoreException e = failure(store.append(new AppendRecord().message(KEY, ByteBuffer.allocate(10))));
            assertTrue(e instanceof StoreException.Full, e.toString());
            assertTrue(e.getMessage().contains("store full") && e.getMessage().contains("limit is 0.0%"), e.getMessage());
            assertIntact(store, stored);
            assertEquals(10, store.maxQueueOffset(KEY));
        }
        try (MessageStore store = MessageStore.open(smallConfig(dir))) {
            assertIntact(store, stored);
            assertEquals(10, store.append(new AppendRecord().message(KEY, ByteBuffer.allocate(10))).get().queueOffset());
        }
    }

    @Test
    void changedSegmentSizeIsRefused() throws Exception {
        try (MessageStore store = MessageStore.open(smallConfig(dir))) {
            store10(store);
        }
        StoreException e = assertThrows(StoreException.class,
                () -> MessageStore.open(smallConfig(dir).segmentSize(512 * 1024)));
        assertTrue(e.getMessage().contains("segmentSize=262144") && e.getMessage().contains("segmentSize=524288"),
                e.getMessage());
        try (MessageStore store = MessageStore.open(smallConfig(dir))) {
            assertEquals(10, store.maxQueueOffset(KEY), "the refused open changed nothing");
        }
    }

    @Test
    void invalidConfigurationNamesTheSetting() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> MessageStore.open(smallConfig(dir).maxRecordSize(1 << 20)));
        assertTrue(e.getMessage().contains("maxRecordSize"), e.getMessage());
    }

    @Test
    void invalidQueueKeysAreRefusedWithTheRule() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new QueueKey("", 0)).getMessage().contains("empty"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new QueueKey("q", -1)).getMessage().contains("negative"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new QueueKey("x".repeat(201), 0)).getMessage()
                .contains("maximum of 200"));
    }

    @Test
    void openingTheSameDirectoryTwiceInOneProcessIsRefused() throws Exception {
        try (MessageStore store = MessageStore.open(smallConfig(dir))) {
            StoreException e = assertThrows(StoreException.Locked.class, () -> MessageStore.open(smallConfig(dir)));
            assertTrue(e.getMessage().contains("already in use"), e.getMessage());
            store.append(new AppendRecord().message(KEY, ByteBuffer.allocate(1))).get();
        }
    }
}
