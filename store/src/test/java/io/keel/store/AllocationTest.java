package io.keel.store;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The append path (callback API) and the dispatcher allocate nothing per record: measured with the
 * JVM's per-thread allocation counter over many records, after a warm-up that creates the queues,
 * segments and JIT-compiled code.
 */
class AllocationTest {

    @TempDir
    Path dir;

    /** The JVM's per-thread allocation counter, which every test here reads. */
    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    private static final class CountingCallback implements AppendCallback {
        long completed;

        @Override
        public void appended(long physicalOffset, long queueOffset, int size, long storeTimestamp) {
            completed++;
        }

        @Override
        public void failed(StoreException error) {
            throw error;
        }
    }

    @Test
    void appendAndDispatchAllocateNothingPerRecord() throws Exception {
        StoreConfig config = new StoreConfig(dir).segmentSize(64 << 20).flushMode(FlushMode.ASYNC_FLUSH)
                .zeroFillSegments(false);
        try (MessageStore store = MessageStore.open(config)) {
            QueueKey[] keys = new QueueKey[16];
            for (int i = 0; i < keys.length; i++) {
                keys[i] = new QueueKey("alloc-" + i, i % 4);
            }
            ByteBuffer payload = ByteBuffer.allocateDirect(1024);
            AppendRecord r = new AppendRecord();
            CountingCallback cb = new CountingCallback();
            Thread dispatcher = findThread("keel-store-dispatcher");
            int warmup = 50_000;
            int measured = 100_000;
            for (int i = 0; i < warmup; i++) {
                store.append(r.reset().message(keys[i % keys.length], payload).tagCode(i), cb);
            }
            MessageStoreTest.awaitDispatched(store);
            long appenderBefore = THREADS.getThreadAllocatedBytes(Thread.currentThread().getId());
            long dispatcherBefore = THREADS.getThreadAllocatedBytes(dispatcher.getId());
            for (int i = 0; i < measured; i++) {
                store.append(r.reset().message(keys[i % keys.length], payload).tagCode(i), cb);
            }
            long appenderBytes = THREADS.getThreadAllocatedBytes(Thread.currentThread().getId()) - appenderBefore;
            MessageStoreTest.awaitDispatched(store);
            long dispatcherBytes = THREADS.getThreadAllocatedBytes(dispatcher.getId()) - dispatcherBefore;
            assertTrue(cb.completed == warmup + measured, "every append completed: " + cb.completed);
            // Less than one byte per record: nothing is allocated per record (a constant remains for
            // the measurement itself and for parking).
            assertTrue(appenderBytes < measured, "append path allocated " + appenderBytes + " bytes for "
                    + measured + " records");
            assertTrue(dispatcherBytes < measured, "dispatcher allocated " + dispatcherBytes + " bytes for "
                    + measured + " records");
            assertTrue(store.dispatchedOffset() == store.writtenOffset());
        }
    }

    /** A source that copies from a direct buffer with an absolute bulk put, allocating nothing. */
    private static final class DirectSource implements PayloadSource {
        private final ByteBuffer bytes;

        DirectSource(ByteBuffer bytes) {
            this.bytes = bytes;
        }

        @Override
        public int length() {
            return bytes.capacity();
        }

        @Override
        public void copyTo(ByteBuffer dst) {
            dst.put(dst.position(), bytes, 0, bytes.capacity());
            dst.position(dst.position() + bytes.capacity());
        }
    }

    @Test
    void appendingFromAPayloadSourceAllocatesNothingPerRecord() throws Exception {
        StoreConfig config = new StoreConfig(dir).segmentSize(64 << 20).flushMode(FlushMode.ASYNC_FLUSH)
                .zeroFillSegments(false);
        try (MessageStore store = MessageStore.open(config)) {
            QueueKey key = new QueueKey("alloc-source", 0);
            DirectSource source = new DirectSource(ByteBuffer.allocateDirect(1024));
            AppendRecord r = new AppendRecord();
            CountingCallback cb = new CountingCallback();
            int warmup = 50_000;
            int measured = 100_000;
            for (int i = 0; i < warmup; i++) {
                store.append(r.reset().message(key, source).tagCode(i), cb);
            }
            long before = THREADS.getThreadAllocatedBytes(Thread.currentThread().getId());
            for (int i = 0; i < measured; i++) {
                store.append(r.reset().message(key, source).tagCode(i), cb);
            }
            long bytes = THREADS.getThreadAllocatedBytes(Thread.currentThread().getId()) - before;
            assertTrue(cb.completed == warmup + measured, "every append completed: " + cb.completed);
            assertTrue(bytes < measured, "append from a source allocated " + bytes + " bytes for " + measured
                    + " records");
        }
    }

    @Test
    void readingThroughAReusableSliceAllocatesNothingPerRecord() throws Exception {
        StoreConfig config = new StoreConfig(dir).segmentSize(64 << 20).flushMode(FlushMode.ASYNC_FLUSH);
        try (MessageStore store = MessageStore.open(config)) {
            QueueKey key = new QueueKey("alloc-read", 0);
            ByteBuffer payload = ByteBuffer.allocateDirect(1024);
            AppendRecord r = new AppendRecord();
            int records = 1_000;
            long[] offsets = new long[records];
            for (int i = 0; i < records; i++) {
                offsets[i] = store.append(r.reset().message(key, payload.duplicate()).tagCode(i)).get(5, TimeUnit.SECONDS)
                        .physicalOffset();
            }
            RecordSlice slice = RecordSlice.reusable();
            long sum = 0;
            for (int round = 0; round < 20; round++) { // warm-up: compiled before measuring
                sum += readAll(store, offsets, slice);
            }
            long before = THREADS.getThreadAllocatedBytes(Thread.currentThread().getId());
            int rounds = 100;
            for (int round = 0; round < rounds; round++) {
                sum += readAll(store, offsets, slice);
            }
            long allocated = THREADS.getThreadAllocatedBytes(Thread.currentThread().getId()) - before;
            assertTrue(sum > 0);
            long reads = (long) rounds * records;
            assertTrue(allocated < reads, "reading allocated " + allocated + " bytes for " + reads + " reads");
        }
    }

    private static long readAll(MessageStore store, long[] offsets, RecordSlice slice) {
        long sum = 0;
        for (long offset : offsets) {
            try (RecordSlice s = store.readMessage(offset, slice)) {
                ByteBuffer p = s.payload();
                sum += s.record().tagCode() + p.remaining() + p.get(p.position());
            }
        }
        return sum;
    }

    private static Thread findThread(String name) {
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.getName().equals(name)) {
                return t;
            }
        }
        throw new AssertionError("no thread named " + name);
    }
}
