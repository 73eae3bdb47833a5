package io.keel.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.Map;
import java.util.zip.CRC32C;

import io.keel.store.commitlog.RecordLayout;

/** Whole-store consistency checks shared by the recovery tests. */
final class StoreVerifier {

    private StoreVerifier() {
    }

    /**
     * Walks the whole CommitLog: every record passes the full validation (CRC included), and every
     * ConsumeQueue holds exactly one entry per indexed record, pointing at it.
     */
    static void verifyLogAndQueuesAgree(MessageStore store) {
        Map<QueueKey, Long> indexedPerQueue = new HashMap<>();
        CRC32C crc = new CRC32C();
        long end = store.scan(store.minOffset(), rec -> {
            int base = rec.destinationPosition() - RecordLayout.HEADER_SIZE;
            ByteBuffer buf = rec.buffer().duplicate();
            long segmentStart = rec.physicalOffset() - base;
            RecordLayout.Check check = RecordLayout.check(crc, buf, segmentStart, base, buf.capacity(), buf.capacity());
            assertEquals(RecordLayout.Check.RECORD, check, "record at " + rec.physicalOffset());
            if (rec.isIndexed()) {
                QueueKey key = new QueueKey(rec.destination(), rec.queueId());
                long q = rec.queueOffset();
                assertEquals(rec.physicalOffset(), commitLogOffsetAt(store, key, q),
                        "consume queue " + key + " entry " + q);
                indexedPerQueue.merge(key, 1L, Long::sum);
            }
        });
        assertEquals(store.writtenOffset(), end, "scan reaches the end of the log");
        for (QueueKey key : store.queueKeys()) {
            long count = store.maxQueueOffset(key) - store.minQueueOffset(key);
            assertEquals(indexedPerQueue.getOrDefault(key, 0L).longValue(), count, "entries of " + key);
        }
    }

    static long commitLogOffsetAt(MessageStore store, QueueKey key, long queueOffset) {
        ConsumeQueueBatch one = new ConsumeQueueBatch(1);
        int n = store.readQueue(key, queueOffset, 1, one);
        assertTrue(n == 1 && one.queueOffset(0) == queueOffset, "no entry " + queueOffset + " in " + key);
        return one.physicalOffset(0);
    }
}
