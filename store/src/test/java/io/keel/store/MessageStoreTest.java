package io.keel.store;

import static io.keel.store.StoreTestSupport.bytes;
import static io.keel.store.StoreTestSupport.payload;
import static io.keel.store.StoreTestSupport.smallConfig;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class MessageStoreTest {

    @TempDir
    Path dir;

    private static final QueueKey ORDERS = new QueueKey("orders", 0);
    private static final QueueKey ORDERS_1 = new QueueKey("orders", 1);

    static void awaitDispatched(MessageStore store) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (store.dispatchedOffset() < store.writtenOffset()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("dispatcher did not reach " + store.writtenOffset());
            }
            Thread.onSpinWait();
        }
    }

    @ParameterizedTest
    @EnumSource(WriteMode.class)
    void appendedRecordsAreReadableByteForByteAcrossSegmentRolls(WriteMode mode) throws Exception {
        List<AppendResult> results = new ArrayList<>();
        List<byte[]> payloads = new ArrayList<>();
        try (MessageStore store = MessageStore.open(smallConfig(dir).writeMode(mode))) {
            AppendRecord r = new AppendRecord();
            for (int i = 0; i < 400; i++) {
                byte[] p = payload(i, 4000);
                payloads.add(p);
                QueueKey key = i % 3 == 0 ? ORDERS_1 : ORDERS;
                results.add(store.append(r.reset().message(key, ByteBuffer.wrap(p)).tagCode(i).producer(7, i))
                        .get(5, TimeUnit.SECONDS));
            }
            assertTrue(store.commitLog().segments().length > 2, "the test must roll segments");
            awaitDispatched(store);
            RecordSlice reused = RecordSlice.reusable();
            for (int i = 0; i < results.size(); i++) {
                try (RecordSlice s = store.read(results.get(i).physicalOffset())) {
                    assertArrayEquals(payloads.get(i), bytes(s.payload()), "payload " + i);
                    assertEquals(i, s.record().tagCode());
                    assertEquals(i, s.record().producerSequence());
                    assertEquals(results.get(i).queueOffset(), s.record().queueOffset());
                }
                // The same through one reusable slice, across the segment rolls.
                try (RecordSlice s = store.readMessage(results.get(i).physicalOffset(), reused)) {
                    assertTrue(s == reused);
                    assertArrayEquals(payloads.get(i), bytes(s.payload()), "payload " + i + " through a reused slice");
                    assertEquals(i, s.record().tagCode());
                    assertEquals(results.get(i).physicalOffset(), s.record().physicalOffset());
                    assertEquals(s.record().totalSize(), s.bytes().remaining());
                }
            }
            RecordSlice once = store.read(results.get(0).physicalOffset());
            once.close();
            IllegalArgumentException notReusable = assertThrows(IllegalArgumentException.class,
                    () -> store.readMessage(results.get(0).physicalOffset(), once));
            assertTrue(notReusable.getMessage().contains("RecordSlice.reusable()"), notReusable.getMessage());
            assertEquals(400 - 134, store.maxQueueOffset(ORDERS));
            assertEquals(134, store.maxQueueOffset(ORDERS_1));
            ConsumeQueueBatch batch = new ConsumeQueueBatch(1000);
            assertEquals(134, store.readQueue(ORDERS_1, 0, 1000, batch));
            for (int k = 0; k < batch.count(); k++) {
                assertEquals(k, batch.queueOffset(k));
                assertEquals(results.get(3 * k).physicalOffset(), batch.physicalOffset(k));
                assertEquals(3 * k, batch.tagCode(k));
            }
        }
    }

    @Test
    void queueOffsetsAreDenseAndInLogOrderUnderConcurrentAppends() throws Exception {
        try (MessageStore store = MessageStore.open(smallConfig(dir))) {
            List<CompletableFuture<AppendResult>> futures = new CopyOnWriteArrayList<>();
            List<Thread> threads = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                int id = t;
                Thread th = new Thread(() -> {
                    AppendRecord r = new AppendRecord();
                    for (int i = 0; i < 250; i++) {
                        futures.add(store.append(r.reset().message(ORDERS, ByteBuffer.wrap(payload(id * 1000L + i, 300)))));
                    }
                });
                th.start();
                threads.add(th);
            }
            for (Thread t : threads) {
                t.join();
            }
            List<AppendResult> results = new ArrayList<>();
            for (CompletableFuture<AppendResult> f : futures) {
                results.add(f.get(10, TimeUnit.SECONDS));
            }
            results.sort((a, b) -> Long.compare(a.physicalOffset(), b.physicalOffset()));
            for (int i = 0; i < results.size(); i++) {
                assertEquals(i, results.get(i).queueOffset(), "queue offsets follow log order");
            }
            awaitDispatched(store);
            assertEquals(2000, store.maxQueueOffset(ORDERS));
        }
    }

    @Test
    void systemRecordsReachListenersInLogOrderButGetNoEntryUnlessIndexed() throws Exception {
        try (MessageStore store = MessageStore.open(smallConfig(dir))) {
            List<String> seen = new CopyOnWriteArrayList<>();
            java.util.concurrent.atomic.AtomicLong batchEnd = new java.util.concurrent.atomic.AtomicLong();
            store.addDispatchListener(new DispatchListener() {
                @Override
                public void onRecord(RecordView rec) {
                    seen.add((rec.isSystem() ? "sys" + rec.systemType() : "msg") + "@" + rec.physicalOffset());
                }

                @Override
                public void onBatchDispatched(long dispatchedOffset) {
                    batchEnd.set(dispatchedOffset);
                }
            });
            AppendRecord r = new AppendRecord();
            AppendResult m1 = store.append(r.reset().message(ORDERS, ByteBuffer.wrap(new byte[] {1}))).get();
            AppendResult ack = store.append(r.reset().system(42, ByteBuffer.wrap(new byte[] {2}))).get();
            QueueKey timers = new QueueKey("$timers", 0);
            AppendResult indexed = store.append(r.reset().system(43, ByteBuffer.wrap(new byte[] {3}))
                    .queueKey(timers).indexed(true)).get();
            AppendResult m2 = store.append(r.reset().message(ORDERS, ByteBuffer.wrap(new byte[] {4}))).get();
            awaitDispatched(store);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (seen.size() < 4 && System.nanoTime() < deadline) {
                Thread.onSpinWait();
            }
            assertEquals(List.of("msg@" + m1.physicalOffset(), "sys42@" + ack.physicalOffset(),
                    "sys43@" + indexed.physicalOffset(), "msg@" + m2.physicalOffset()), seen);
            while (batchEnd.get() < m2.physicalOffset() + m2.size() && System.nanoTime() < deadline) {
                Thread.onSpinWait();
            }
            assertEquals(m2.physicalOffset() + m2.size(), batchEnd.get(), "listeners hear where each batch ended");
            assertEquals(-1, ack.queueOffset());
            assertEquals(0, indexed.queueOffset());
            assertEquals(1, store.maxQueueOffset(timers));
            assertEquals(2, store.maxQueueOffset(ORDERS));
        }
    }

    @Test
    void preparedMessagesStayInvisible() throws Exception {
        try (MessageStore store = MessageStore.open(smallConfig(dir))) {
            AppendRecord r = new AppendRecord();
            AppendResult half = store.append(r.reset().message(ORDERS, ByteBuffer.wrap(new byte[] {1}))
                    .txnState(AppendRecord.TxnState.PREPARED).transactionId(99)).get();
            store.append(r.reset().message(ORDERS, ByteBuffer.wrap(new byte[] {2}))).get();
            awaitDispatched(store);
            assertEquals(-1, half.queueOffset());
            assertEquals(1, store.maxQueueOffset(ORDERS));
            try (RecordSlice s = store.read(half.physicalOffset())) {
                assertEquals(AppendRecord.TxnState.PREPARED, s.record().txnState());
                assertEquals(99, s.record().transactionId());
            }
        }
    }

    @Test
    void batchAppendAssignsConsecutiveOffsets() throws Exception {
        try (MessageStore store = MessageStore.open(smallConfig(dir))) {
            List<AppendRecord> batch = new ArrayList<>();
            for (int i = 0; i < 50; i++) {
                batch.add(new AppendRecord().message(ORDERS, ByteBuffer.wrap(payload(i, 9000))));
            }
            List<AppendResult> results = store.appendBatch(batch).get(5, TimeUnit.SECONDS);
            for (int i = 0; i < 50; i++) {
                assertEquals(i, results.get(i).queueOffset());
                if (i > 0) {
                    assertTrue(results.get(i).physicalOffset() > results.get(i - 1).physicalOffset());
                }
            }
        }
    }

    @Test
    void seekByTimestampFindsTheFirstRecordAtOrAfterTheTime() throws Exception {
        try (MessageStore store = MessageStore.open(smallConfig(dir))) {
            AppendRecord r = new AppendRecord();
            List<AppendResult> results = new ArrayList<>();
            for (int i = 0; i < 30; i++) {
                results.add(store.append(r.reset().message(ORDERS, ByteBuffer.wrap(new byte[] {(byte) i}))).get());
                if (i % 10 == 9) {
                    long until = System.currentTimeMillis() + 5;
                    while (System.currentTimeMillis() < until) {
                        Thread.onSpinWait();
                    }
                }
            }
            awaitDispatched(store);
            for (AppendResult a : results) {
                long q = store.queueOffsetForTimestamp(ORDERS, a.storeTimestamp());
                assertEquals(a.storeTimestamp(), results.get((int) q).storeTimestamp());
                assertTrue(q == 0 || results.get((int) q - 1).storeTimestamp() < a.storeTimestamp());
            }
            assertEquals(30, store.queueOffsetForTimestamp(ORDERS, Long.MAX_VALUE));
            assertEquals(0, store.queueOffsetForTimestamp(ORDERS, 0));
        }
    }

    @Test
    void cleanReopenRestoresOffsetsWithoutScanning() throws Exception {
        long end;
        try (MessageStore store = MessageStore.open(smallConfig(dir))) {
            AppendRecord r = new AppendRecord();
            for (int i = 0; i < 100; i++) {
                store.append(r.reset().message(ORDERS, ByteBuffer.wrap(payload(i, 5000)))).get();
            }
            end = store.writtenOffset();
        }
        assertFalse(Files.exists(dir.resolve("abort")));
        try (MessageStore store = MessageStore.open(smallConfig(dir))) {
            assertFalse(store.recoveryReport().scanned());
            assertEquals(end, store.writtenOffset());
            assertEquals(100, store.maxQueueOffset(ORDERS));
            AppendResult next = store.append(new AppendRecord().message(ORDERS, ByteBuffer.wrap(new byte[] {1}))).get();
            assertEquals(100, next.queueOffset());
            assertEquals(end, next.physicalOffset());
        }
    }

    @Test
    void asyncFlushCompletesAfterTheWriteAndDispatches() throws Exception {
        try (MessageStore store = MessageStore.open(smallConfig(dir).flushMode(FlushMode.ASYNC_FLUSH))) {
            AppendResult a = store.append(new AppendRecord().message(ORDERS, ByteBuffer.wrap(new byte[] {1})))
                    .get(5, TimeUnit.SECONDS);
            awaitDispatched(store);
            assertEquals(0, a.queueOffset());
            assertEquals(1, store.maxQueueOffset(ORDERS));
        }
    }

    @Test
    void metricsCountAppendsFlushesAndDispatchLag() throws Exception {
        try (MessageStore store = MessageStore.open(smallConfig(dir))) {
            long bytes = 0;
            for (int i = 0; i < 20; i++) {
                bytes += store.append(new AppendRecord().message(ORDERS, ByteBuffer.wrap(payload(i, 100)))).get().size();
            }
            awaitDispatched(store);
            StoreMetrics m = store.metrics();
            assertEquals(20, m.appendedRecords());
            assertEquals(bytes, m.appendedBytes());
            assertTrue(m.flushes() >= 1 && m.flushes() <= 20, "group commit forces at most once per append: " + m.flushes());
            assertTrue(m.maxFlushMicros() >= m.averageFlushMicros());
            assertEquals(0, m.dispatchLagBytes());
            assertEquals(m.writtenOffset(), m.flushedOffset());
            assertEquals(1, m.queueCount());
        }
    }

    @Test
    void closedStoreRefusesAppends() throws Exception {
        MessageStore store = MessageStore.open(smallConfig(dir));
        store.close();
        CompletableFuture<AppendResult> f = store.append(new AppendRecord().message(ORDERS, ByteBuffer.allocate(1)));
        Exception e = assertThrows(Exception.class, () -> f.get(1, TimeUnit.SECONDS));
        assertTrue(e.getCause() instanceof StoreException.Closed, e.toString());
    }
}
