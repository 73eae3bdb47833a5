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
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.keel.store.commitlog.CommitLogSegment;

class RebuildAndRetentionTest {

    @TempDir
    Path dir;

    private List<AppendResult> fill(MessageStore store, int records, int queues) throws Exception {
        List<AppendResult> out = new ArrayList<>();
        AppendRecord r = new AppendRecord();
        for (int i = 0; i < records; i++) {
            QueueKey key = new QueueKey("dest-" + (i % queues) + (i % 2 == 0 ? "/ü ber" : ""), i % 3);
            out.add(store.append(r.reset().message(key, ByteBuffer.wrap(payload(i, 4000))).tagCode(i * 31L)).get());
        }
        return out;
    }

    private Map<String, byte[]> consumeQueueFiles() throws IOException {
        Map<String, byte[]> files = new TreeMap<>();
        Path root = dir.resolve("consumequeue");
        try (Stream<Path> s = Files.walk(root)) {
            for (Path p : (Iterable<Path>) s.filter(Files::isRegularFile)::iterator) {
                files.put(root.relativize(p).toString(), Files.readAllBytes(p));
            }
        }
        return files;
    }

    private void deleteTree(Path root) throws IOException {
        try (Stream<Path> s = Files.walk(root)) {
            for (Path p : (Iterable<Path>) s.sorted(Comparator.reverseOrder())::iterator) {
                Files.delete(p);
            }
        }
    }

    @Test
    void deletedConsumeQueuesAndCheckpointAreRebuiltIdentically() throws Exception {
        try (MessageStore store = MessageStore.open(smallConfig(dir))) {
            fill(store, 600, 7);
        }
        Map<String, byte[]> before = consumeQueueFiles();
        assertTrue(before.size() > 21, "several queues with several segments each: " + before.size());
        deleteTree(dir.resolve("consumequeue"));
        Files.delete(dir.resolve("checkpoint"));
        try (MessageStore store = MessageStore.open(smallConfig(dir))) {
            assertTrue(store.recoveryReport().consumeQueuesRebuilt());
            StoreVerifier.verifyLogAndQueuesAgree(store);
        }
        Map<String, byte[]> after = consumeQueueFiles();
        assertEquals(before.keySet(), after.keySet());
        for (String name : before.keySet()) {
            assertArrayEquals(before.get(name), after.get(name), "consume queue file " + name);
        }
    }

    @Test
    void deletedConsumeQueuesAreRebuiltEvenWithACheckpoint() throws Exception {
        try (MessageStore store = MessageStore.open(smallConfig(dir))) {
            fill(store, 200, 3);
        }
        Map<String, byte[]> before = consumeQueueFiles();
        deleteTree(dir.resolve("consumequeue"));
        try (MessageStore store = MessageStore.open(smallConfig(dir))) {
            assertTrue(store.recoveryReport().consumeQueuesRebuilt());
        }
        Map<String, byte[]> after = consumeQueueFiles();
        assertEquals(before.keySet(), after.keySet());
        for (String name : before.keySet()) {
            assertArrayEquals(before.get(name), after.get(name), "consume queue file " + name);
        }
    }

    @Test
    void consumeQueuesOfTheEarlierNestedLayoutAreRebuiltFlat() throws Exception {
        try (MessageStore store = MessageStore.open(smallConfig(dir))) {
            fill(store, 200, 3);
        }
        Map<String, byte[]> flat = consumeQueueFiles();
        // The layout before: consumequeue/<destination>/<queueId>/<20 digits>.
        Path nested = dir.resolve("consumequeue").resolve("dest-0").resolve("0");
        Files.createDirectories(nested);
        Files.write(nested.resolve("00000000000000000000"), new byte[64 * 20]);
        try (MessageStore store = MessageStore.open(smallConfig(dir))) {
            assertTrue(store.recoveryReport().consumeQueuesRebuilt());
            StoreVerifier.verifyLogAndQueuesAgree(store);
        }
        assertFalse(Files.exists(dir.resolve("consumequeue").resolve("dest-0")), "the nested layout is gone");
        Map<String, byte[]> after = consumeQueueFiles();
        assertEquals(flat.keySet(), after.keySet());
        for (String name : flat.keySet()) {
            assertFalse(name.contains("/"), name);
            assertArrayEquals(flat.get(name), after.get(name), "consume queue file " + name);
        }
    }

    @Test
    void retentionDeletesOnlyWholeSegmentsBelowTheWatermark() throws Exception {
        try (MessageStore store = MessageStore.open(smallConfig(dir))) {
            List<AppendResult> results = fill(store, 800, 2);
            MessageStoreTest.awaitDispatched(store);
            int segmentSize = store.config().segmentSize();
            AppendResult middle = results.get(400);
            long watermark = middle.physicalOffset();
            long expectedMin = watermark - Math.floorMod(watermark, segmentSize);
            long newMin = store.deleteBelow(watermark);
            assertEquals(expectedMin, newMin, "only segments wholly below the watermark go");
            assertFalse(Files.exists(dir.resolve("commitlog").resolve(CommitLogSegment.fileName(0))));
            assertTrue(Files.exists(dir.resolve("commitlog").resolve(CommitLogSegment.fileName(newMin))));
            for (AppendResult a : results) {
                if (a.physicalOffset() >= newMin) {
                    try (RecordSlice s = store.read(a.physicalOffset())) {
                        assertEquals(a.size(), s.record().totalSize());
                    }
                } else {
                    StoreException e = assertThrows(StoreException.OffsetOutOfRange.class, () -> store.read(a.physicalOffset()));
                    assertTrue(e.getMessage().contains("retention"), e.getMessage());
                }
            }
            for (QueueKey key : store.queueKeys()) {
                long min = store.minQueueOffset(key);
                ConsumeQueueBatch b = new ConsumeQueueBatch(1);
                if (min < store.maxQueueOffset(key)) {
                    store.readQueue(key, min, 1, b);
                    assertTrue(b.physicalOffset(0) >= newMin, "first readable entry of " + key + " is still stored");
                }
                if (min > 0) {
                    assertThrows(StoreException.OffsetOutOfRange.class, () -> store.readQueue(key, min - 1, 1, b));
                }
            }
            // The active segment is never deleted, whatever the watermark.
            store.deleteBelow(Long.MAX_VALUE);
            assertTrue(store.minOffset() <= store.writtenOffset());
            AppendResult after = store.append(new AppendRecord().message(new QueueKey("dest-0", 0),
                    ByteBuffer.wrap(new byte[] {1}))).get();
            try (RecordSlice s = store.read(after.physicalOffset())) {
                assertEquals(1, s.payload().remaining());
            }
        }
        try (MessageStore store = MessageStore.open(smallConfig(dir))) {
            StoreVerifier.verifyLogAndQueuesAgree(store);
        }
    }
}
