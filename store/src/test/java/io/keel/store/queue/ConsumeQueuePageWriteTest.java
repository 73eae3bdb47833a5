package io.keel.store.queue;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.keel.store.ConsumeQueueBatch;
import io.keel.store.QueueKey;

/**
 * The dispatcher writes the entry that opens each page of a segment through a file channel and the
 * rest through the mapping ({@link EntryFileWriter}); with more queues than open channels they are
 * evicted and reopened. A new segment's first page is written with zeros when it is created, so its
 * first entries need no channel. Whatever path an entry took, the mapping, a fresh load of the files
 * and the segment boundaries must all agree.
 */
class ConsumeQueuePageWriteTest {

    @TempDir
    Path dir;

    private static final int QUEUES = 5;
    private static final int ENTRIES = 1_000; // 5 pages of 4 KiB and 2 segments of 512 entries per queue

    @Test
    void entriesWrittenThroughFilesAndMappingsReadBackAndReload() throws Exception {
        ConsumeQueueTable table = new ConsumeQueueTable(dir, 512, 2); // 2 open channels for 5 queues
        ConsumeQueue[] queues = new ConsumeQueue[QUEUES];
        for (int q = 0; q < QUEUES; q++) {
            QueueKey key = new QueueKey("page-" + q, q);
            table.next(key);
            queues[q] = table.get(key);
        }
        // Interleaved, as the dispatcher sees many queues: every queue crosses pages in turn, so
        // channels are opened, evicted and reopened.
        for (int i = 0; i < ENTRIES; i++) {
            for (int q = 0; q < QUEUES; q++) {
                table.put(queues[q], i, offsetOf(q, i), 100 + q, i * 31L + q);
            }
        }
        for (int q = 0; q < QUEUES; q++) {
            assertEntries(queues[q], q);
        }
        table.flushAll();
        table.closeFiles();

        ConsumeQueueTable reloaded = new ConsumeQueueTable(dir, 512, 2);
        reloaded.load(0);
        assertEquals(QUEUES, reloaded.size());
        for (int q = 0; q < QUEUES; q++) {
            ConsumeQueue cq = reloaded.get(new QueueKey("page-" + q, q));
            assertEquals(ENTRIES, cq.maxOffset());
            assertEntries(cq, q);
        }
        reloaded.closeFiles();
    }

    @Test
    void aPreparedQueueHasItsFileBeforeItsFirstEntryAndNoRecords() throws Exception {
        ConsumeQueueTable table = new ConsumeQueueTable(dir, 512, 4);
        QueueKey key = new QueueKey("prepared", 2);
        table.prepare(key);
        Path first = dir.resolve("prepared@2@00000000000000000000");
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (!(table.get(key) != null && table.get(key).hasSegments()) && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
        assertTrue(Files.exists(first), "the first segment file is created in the background");
        ConsumeQueue q = table.get(key);
        assertFalse(q.everHadRecords(), "a prepared queue has no records");
        assertEquals(0, q.maxOffset());

        table.next(key);
        table.put(q, 0, 4096, 77, 5);
        table.put(q, 1, 8192, 78, 6);
        assertTrue(q.everHadRecords());
        assertNull(q.openSegmentChannel, "the first page was written when the segment was created: the first "
                + "entries go through the mapping, without opening the file again");
        for (int i = 2; i <= 4096 / ConsumeQueueEntry.SIZE; i++) { // into the second page
            table.next(key);
            table.put(q, i, 8192L * i, 79, 7);
        }
        assertNotNull(q.openSegmentChannel, "the entry that opens the second page is written through the file");
        ConsumeQueueBatch batch = new ConsumeQueueBatch(8);
        assertEquals(8, q.read(0, 8, batch));
        assertEquals(8192, batch.physicalOffset(1));
        assertEquals(8192L * 7, batch.physicalOffset(7));
        table.stopPreparing();
        table.closeFiles();
    }

    private static long offsetOf(int queue, int index) {
        return (long) index * 4096 * QUEUES + queue * 4096L;
    }

    private static void assertEntries(ConsumeQueue cq, int q) {
        ConsumeQueueBatch batch = new ConsumeQueueBatch(64);
        long next = 0;
        while (next < ENTRIES) {
            int n = cq.read(next, 64, batch);
            assertTrue(n > 0, "entries from " + next + " of queue " + q);
            for (int k = 0; k < n; k++) {
                long i = batch.queueOffset(k);
                assertEquals(next + k, i);
                assertEquals(offsetOf(q, (int) i), batch.physicalOffset(k), "entry " + i + " of queue " + q);
                assertEquals(100 + q, batch.size(k));
                assertEquals(i * 31L + q, batch.tagCode(k));
            }
            next += n;
        }
    }
}
