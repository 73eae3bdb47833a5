package io.keel.store.commitlog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.keel.store.AppendCallback;
import io.keel.store.StoreException;

class FlushWaitersTest {

    private static final class Recorder implements AppendCallback {
        final List<String> events = new ArrayList<>();

        @Override
        public void appended(long physicalOffset, long queueOffset, int size, long storeTimestamp) {
            events.add("ok " + physicalOffset + " q" + queueOffset);
        }

        @Override
        public void failed(StoreException error) {
            events.add("failed " + error.getClass().getSimpleName() + ": " + error.getMessage());
        }
    }

    @Test
    void aForceCompletesExactlyTheAppendsItCovers() {
        FlushWaiters w = new FlushWaiters();
        Recorder r = new Recorder();
        for (int i = 0; i < 3000; i++) { // beyond the initial capacity: the ring grows
            w.add(r, (i + 1) * 100L, i * 100L, i, 100, 0, Long.MAX_VALUE);
        }
        w.complete(150_000);
        assertEquals(1500, r.events.size());
        assertEquals("ok 0 q0", r.events.get(0));
        assertEquals("ok 149900 q1499", r.events.get(1499));
        w.complete(300_000);
        assertEquals(3000, r.events.size());
        assertEquals(0, w.size());
    }

    @Test
    void overdueAppendsFailWithAFlushTimeoutNamingTheOffset() {
        FlushWaiters w = new FlushWaiters();
        Recorder r = new Recorder();
        long now = System.nanoTime();
        w.add(r, 100, 0, 0, 100, 0, now - 1);
        w.add(r, 200, 100, 1, 100, 0, now + 60_000_000_000L);
        w.expire(now, 5000);
        assertEquals(1, r.events.size());
        assertTrue(r.events.get(0).startsWith("failed FlushTimeout") && r.events.get(0).contains("offset 100")
                && r.events.get(0).contains("5000 ms"), r.events.get(0));
        w.complete(200);
        assertEquals("ok 100 q1", r.events.get(1));
    }
}
