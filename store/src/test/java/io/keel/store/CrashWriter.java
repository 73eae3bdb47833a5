package io.keel.store;

import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.SplittableRandom;
import java.util.concurrent.Semaphore;

/**
 * The child process of {@link CrashRecoveryTest}: appends records under SYNC_FLUSH from several
 * threads and prints one line per acknowledged append, {@code ACK round thread seq physical queue
 * queueOffset}, until it is killed (or halts itself after {@code haltAfterMillis} when positive).
 * Payloads are regenerated from (round, thread, seq) by {@link #payload}.
 */
public final class CrashWriter {

    static final int THREADS = 4;
    static final int QUEUES = 5;

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        int round = Integer.parseInt(args[1]);
        long haltAfterMillis = Long.parseLong(args[2]);
        PrintStream out = new PrintStream(new java.io.FileOutputStream(java.io.FileDescriptor.out), false, "UTF-8");
        MessageStore store = MessageStore.open(config(dir));
        out.println("OPEN " + store.writtenOffset());
        out.flush();
        if (haltAfterMillis > 0) {
            Thread halter = new Thread(() -> {
                long until = System.nanoTime() + haltAfterMillis * 1_000_000L;
                while (System.nanoTime() < until) {
                    java.util.concurrent.locks.LockSupport.parkNanos(until - System.nanoTime());
                }
                Runtime.getRuntime().halt(77);
            });
            halter.setDaemon(true);
            halter.start();
        }
        QueueKey[] keys = new QueueKey[QUEUES];
        for (int i = 0; i < QUEUES; i++) {
            keys[i] = new QueueKey("crash-" + i, i % 2);
        }
        for (int t = 0; t < THREADS; t++) {
            int thread = t;
            Thread th = new Thread(() -> {
                AppendRecord r = new AppendRecord();
                Semaphore inFlight = new Semaphore(16);
                for (int seq = 0; ; seq++) {
                    inFlight.acquireUninterruptibly();
                    byte[] p = payload(round, thread, seq);
                    QueueKey key = keys[(thread + seq) % QUEUES];
                    int s = seq;
                    store.append(r.reset().message(key, ByteBuffer.wrap(p)).producer(thread, seq), new AppendCallback() {
                        @Override
                        public void appended(long physicalOffset, long queueOffset, int size, long storeTimestamp) {
                            synchronized (out) {
                                out.println("ACK " + round + " " + thread + " " + s + " " + physicalOffset + " "
                                        + key.destination() + " " + key.queueId() + " " + queueOffset);
                                out.flush();
                            }
                            inFlight.release();
                        }

                        @Override
                        public void failed(StoreException error) {
                            inFlight.release();
                        }
                    });
                }
            });
            th.start();
        }
        Thread.currentThread().join();
    }

    static StoreConfig config(Path dir) {
        return new StoreConfig(dir).segmentSize(512 * 1024).maxRecordSize(8 * 1024)
                .consumeQueueEntriesPerSegment(256).checkpointIntervalMillis(100).flushMode(FlushMode.SYNC_FLUSH)
                .zeroFillSegments(false);
    }

    /** The payload of (round, thread, seq): its identity, then bytes derived from it. */
    static byte[] payload(int round, int thread, int seq) {
        SplittableRandom r = new SplittableRandom(((long) round << 40) ^ ((long) thread << 32) ^ seq);
        byte[] b = new byte[12 + r.nextInt(3000)];
        ByteBuffer.wrap(b).putInt(round).putInt(thread).putInt(seq);
        for (int i = 12; i < b.length; i++) {
            b[i] = (byte) r.nextInt(256);
        }
        return b;
    }
}
