package io.keel.store.queue;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.ByteBuffer;

import org.junit.jupiter.api.Test;

class ConsumeQueueFormatTest {

    @Test
    void entryRoundTripsAtAnyIndex() {
        ByteBuffer b = ByteBuffer.allocate(ConsumeQueueEntry.SIZE * 4);
        for (int i = 0; i < 4; i++) {
            ConsumeQueueEntry.write(b, i * ConsumeQueueEntry.SIZE, Long.MAX_VALUE - i, 100 + i, -i);
        }
        for (int i = 0; i < 4; i++) {
            assertEquals(Long.MAX_VALUE - i, ConsumeQueueEntry.commitLogOffset(b, i * ConsumeQueueEntry.SIZE));
            assertEquals(100 + i, ConsumeQueueEntry.size(b, i * ConsumeQueueEntry.SIZE));
            assertEquals(-i, ConsumeQueueEntry.tagCode(b, i * ConsumeQueueEntry.SIZE));
        }
        ConsumeQueueEntry.clear(b, ConsumeQueueEntry.SIZE);
        assertEquals(0, ConsumeQueueEntry.size(b, ConsumeQueueEntry.SIZE), "a cleared entry reads as never written");
    }

    @Test
    void destinationNamesRoundTripThroughDirectoryNames() {
        for (String name : new String[] {"orders", "a/b\\c", "..", ".hidden", "über-queue", "x y%z", "jms.queue.A-1_b"}) {
            String encoded = ConsumeQueueTable.encode(name);
            assertEquals(name, ConsumeQueueTable.decode(encoded), encoded);
            assertEquals(-1, encoded.indexOf('/'));
            assertEquals(false, encoded.startsWith("."), encoded);
        }
    }
}
