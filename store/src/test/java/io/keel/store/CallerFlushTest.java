package io.keel.store;

import static io.keel.store.StoreTestSupport.payloadAt;
import static io.keel.store.StoreTestSupport.smallConfig;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Appends that leave their force to the appending thread ({@link AppendRecord#callerFlushes} and
 * {@link MessageStore#flushHere}): forced and answered on that thread while forces are solitary, handed
 * to the flusher once forces gather several appends, and never left unforced.
 */
class CallerFlushTest {

    @TempDir
    Path dir;

    private static final QueueKey KEY = new QueueKey("orders", 0);

    /** Completes with the thread that ran the callback. */
    private static final class ThreadRecordingCallback implements AppendCallback {
        final CompletableFuture<Thread> done = new CompletableFuture<>();
        volatile long physicalOffset = -1;

        @Override
        public void appended(long physical, long queueOffset, int size, long storeTimestamp) {
            physicalOffset = physical;
            done.complete(Thread.currentThread());
        }

        @Override
        public void failed(StoreException error) {
            done.completeExceptionally(error);
        }
    }

    private static ThreadRecordingCallback appendCallerFlushed(MessageStore store, AppendRecord r, byte[] payload) {
        ThreadRecordingCallback cb = new ThreadRecordingCallback();
        store.append(r.reset().message(KEY, ByteBuffer.wrap(payload)).callerFlushes(true), cb);
        return cb;
    }

    @Test
    void aLoneAppendIsForcedDispatchedAndAnsweredOnTheThreadThatCallsFlushHere() throws Exception {
        try (MessageStore store = MessageStore.open(smallConfig(dir))) {
            AppendRecord r = new AppendRecord();
            int onCaller = 0;
            int rounds = 20;
            for (int i = 0; i < rounds; i++) {
                byte[] payload = ("message " + i).getBytes();
                ThreadRecordingCallback cb = appendCallerFlushed(store, r, payload);
                store.flushHere();
                Thread answeredOn = cb.done.get(5, TimeUnit.SECONDS);
                if (answeredOn == Thread.currentThread()) {
                    onCaller++;
                    // Answered here means forced and dispatched here: flushed and readable already.
                    assertTrue(store.metrics().flushedOffset() >= cb.physicalOffset + 1);
                    assertArrayEquals(payload, payloadAt(store, cb.physicalOffset));
                }
            }
            // The flusher's idle wake-up (every 50 ms) may beat this thread to an append now and then.
            assertTrue(onCaller >= rounds - 2, "forced on the appending thread " + onCaller + " of " + rounds + " times");
            // Forced here but dispatched by the dispatcher thread (busy at that moment) counts as forced here.
            assertTrue(store.metrics().callerFlushes() >= onCaller, "caller forces " + store.metrics().callerFlushes());
            assertEquals(rounds, store.maxQueueOffset(KEY));
        }
    }

    @Test
    void anAppendWhoseCallerNeverFlushesIsStillForcedByTheFlusher() throws Exception {
        try (MessageStore store = MessageStore.open(smallConfig(dir))) {
            ThreadRecordingCallback cb = appendCallerFlushed(store, new AppendRecord(), new byte[] {1, 2, 3});
            Thread answeredOn = cb.done.get(5, TimeUnit.SECONDS);
            assertNotSame(Thread.currentThread(), answeredOn);
            assertEquals(0, store.metrics().callerFlushes());
        }
    }

    @Test
    void onceForcesGatherSeveralAppendsTheFlusherForcesAndLaterSolitaryForcesHandItBack() throws Exception {
        try (MessageStore store = MessageStore.open(smallConfig(dir))) {
            // Batches of 32 awaiting appends, each covered by one force: forces are no longer solitary.
            for (int b = 0; b < 3; b++) {
                List<AppendRecord> batch = new ArrayList<>();
                for (int i = 0; i < 32; i++) {
                    batch.add(new AppendRecord().message(KEY, ByteBuffer.wrap(new byte[] {(byte) i})));
                }
                store.appendBatch(batch).get(5, TimeUnit.SECONDS);
            }
            assertFalse(store.commitLog().forcesAreSolitary());
            ThreadRecordingCallback cb = appendCallerFlushed(store, new AppendRecord(), new byte[] {42});
            store.flushHere();
            assertNotSame(Thread.currentThread(), cb.done.get(5, TimeUnit.SECONDS), "handed to the flusher");
            assertEquals(0, store.metrics().callerFlushes());

            // One append per force for a while: the appending thread forces again.
            AppendRecord r = new AppendRecord();
            for (int i = 0; i < 40 && !store.commitLog().forcesAreSolitary(); i++) {
                store.append(r.reset().message(KEY, ByteBuffer.wrap(new byte[] {(byte) i}))).get(5, TimeUnit.SECONDS);
            }
            assertTrue(store.commitLog().forcesAreSolitary(), "solitary again after single appends");
            boolean here = false;
            for (int i = 0; i < 5 && !here; i++) { // the flusher's idle wake-up may beat this thread once
                ThreadRecordingCallback again = appendCallerFlushed(store, r, new byte[] {43});
                store.flushHere();
                here = again.done.get(5, TimeUnit.SECONDS) == Thread.currentThread();
            }
            assertTrue(here, "forced on the appending thread again");
            assertTrue(store.metrics().callerFlushes() >= 1);
        }
    }

    @Test
    void flushHereUnderAsyncFlushDoesNothingAndTheAppendCompletesAtOnce() throws Exception {
        try (MessageStore store = MessageStore.open(smallConfig(dir).flushMode(FlushMode.ASYNC_FLUSH))) {
            ThreadRecordingCallback cb = appendCallerFlushed(store, new AppendRecord(), new byte[] {7});
            assertTrue(cb.done.isDone(), "ASYNC_FLUSH completes an append when it is written");
            store.flushHere();
            assertEquals(0, store.metrics().callerFlushes());
        }
    }
}
