package io.keel.broker.delivery;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

class LeaseTableTest {

    private record Expected(long holder, int count, long expiry) {
    }

    @Test
    void behavesLikeAMapUnderRandomLeasesAndRemovals() {
        SplittableRandom random = new SplittableRandom(42);
        LeaseTable table = new LeaseTable();
        Map<Long, Expected> model = new HashMap<>();
        for (int step = 0; step < 200_000; step++) {
            // Offsets from a narrow window, as a queue's leases are, so probe runs collide and wrap.
            long offset = 1_000_000 + random.nextInt(step < 100_000 ? 3000 : 300);
            int op = random.nextInt(10);
            if (op < 5) {
                Expected e = new Expected(random.nextInt(5) - 1, 1 + random.nextInt(9), random.nextInt(3) * 1000L);
                table.put(offset, e.holder(), e.count(), e.expiry());
                model.put(offset, e);
            } else if (op < 9) {
                Expected removed = model.remove(offset);
                assertEquals(removed == null ? -1 : removed.count(), table.remove(offset), "remove " + offset);
            } else {
                Expected e = model.get(offset);
                assertEquals(e != null, table.contains(offset));
                assertEquals(e == null ? QueueCursor.NOT_LEASED : e.holder(), table.holder(offset, QueueCursor.NOT_LEASED));
                assertEquals(e == null ? -1 : e.count(), table.deliveryCount(offset));
                assertEquals(e == null ? -1 : e.expiry(), table.expiresAt(offset));
            }
            assertEquals(model.size(), table.size());
        }
        for (Map.Entry<Long, Expected> e : model.entrySet()) {
            assertEquals(e.getValue().holder(), table.holder(e.getKey(), QueueCursor.NOT_LEASED), "offset " + e.getKey());
        }
        long[] heldBy3 = model.entrySet().stream().filter(e -> e.getValue().holder() == 3).mapToLong(Map.Entry::getKey)
                .sorted().toArray();
        assertArrayEquals(heldBy3, table.select((holder, expiry) -> holder == 3), "select, in ascending order");
        int[] visited = new int[1];
        table.forEach((offset, holder, count, expiry) -> {
            assertEquals(model.get(offset), new Expected(holder, count, expiry));
            visited[0]++;
        });
        assertEquals(model.size(), visited[0]);
    }

    @Test
    void removeBelowEndsOnlyTheLowerLeasesAndClearStartsOver() {
        LeaseTable table = new LeaseTable();
        for (long o = 0; o < 100; o++) {
            table.put(o, 7, 1, 0);
        }
        table.removeBelow(60);
        assertEquals(40, table.size());
        assertFalse(table.contains(59));
        assertTrue(table.contains(60) && table.contains(99));
        table.clear();
        assertTrue(table.isEmpty());
        assertFalse(table.contains(60));
    }

    @Test
    void aNegativeOffsetIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new LeaseTable().put(-1, 1, 1, 0));
        assertEquals("queue offset -1 is negative", e.getMessage());
    }

    @Test
    void leasingAndSettlingAllocateNothingOnceTheTableHasGrown() {
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        QueueCursor cursor = new QueueCursor(0);
        for (long o = 0; o < 2_000; o++) { // grows the table to its working size, warms the code up
            cursor.lease(o, 1, 1000, 0);
        }
        for (long o = 0; o < 2_000; o++) {
            cursor.settle(o);
        }
        long base = 2_000;
        int measured = 200_000;
        long before = threads.getThreadAllocatedBytes(Thread.currentThread().getId());
        for (long o = base; o < base + measured; o++) {
            cursor.lease(o, 1, 1000, 0); // up to 1,000 leased at a time, as with a consumer's credit
            if (o - base >= 1000) {
                cursor.settle(o - 1000);
            }
        }
        long bytes = threads.getThreadAllocatedBytes(Thread.currentThread().getId()) - before;
        assertTrue(bytes < measured, "leasing and settling allocated " + bytes + " bytes for " + measured + " messages");
        assertEquals(1000, cursor.leaseCount());
    }
}
