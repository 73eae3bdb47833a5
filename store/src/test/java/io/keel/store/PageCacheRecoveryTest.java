package io.keel.store;

import static io.keel.store.StoreTestSupport.payload;
import static io.keel.store.StoreTestSupport.smallConfig;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.keel.store.recovery.Checkpoint;

/**
 * After a crash, recovery re-dispatches from the checkpoint's page-cache position when the machine
 * has not restarted (a process crash leaves the page cache, ConsumeQueue entries included, in
 * place) and from the last forced position otherwise. The crashed store is played by copying the
 * files of an open store (the copy reads what the page cache holds); the boot by the file
 * {@code keel.store.bootIdFile} names.
 */
class PageCacheRecoveryTest {

    @TempDir
    Path dir;

    private static final QueueKey KEY = new QueueKey("orders", 0);

    @AfterEach
    void clearBootId() {
        System.clearProperty("keel.store.bootIdFile");
    }

    @Test
    void sameBootStartsAtThePageCachePositionAnotherBootAtTheForcedOne() throws Exception {
        Path bootId = dir.resolve("boot_id");
        Files.writeString(bootId, "11111111-2222-3333-4444-555555555555");
        System.setProperty("keel.store.bootIdFile", bootId.toString());
        Path live = dir.resolve("live");
        List<AppendResult> appended = new ArrayList<>();
        long end;
        try (MessageStore store = MessageStore.open(smallConfig(live))) { // ConsumeQueues forced every 60 s
            for (int i = 0; i < 40; i++) {
                appended.add(store.append(new AppendRecord().message(KEY, ByteBuffer.wrap(payload(i, 500)))).get());
            }
            end = store.writtenOffset();
            awaitCheckpoint(live.resolve("checkpoint"), end);
            copy(live, dir.resolve("crashed-same-boot"));
            copy(live, dir.resolve("crashed-other-boot"));
        }

        try (MessageStore store = MessageStore.open(smallConfig(dir.resolve("crashed-same-boot")))) {
            assertTrue(store.recoveryReport().crashed());
            assertEquals(end, store.recoveryReport().dispatchedFrom(), "nothing to re-dispatch: the page cache had it");
            assertRecords(store, appended);
        }
        Files.writeString(bootId, "99999999-2222-3333-4444-555555555555");
        try (MessageStore store = MessageStore.open(smallConfig(dir.resolve("crashed-other-boot")))) {
            assertTrue(store.recoveryReport().crashed());
            assertEquals(0, store.recoveryReport().dispatchedFrom(), "another boot: from the last forced position");
            assertRecords(store, appended);
        }
    }

    private static void awaitCheckpoint(Path file, long end) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            Checkpoint c = Checkpoint.read(file);
            if (c != null && c.cachedDispatchedOffset() == end) {
                assertEquals(0, c.dispatchedOffset(), "no ConsumeQueue was forced since the store opened");
                return;
            }
            Thread.onSpinWait();
        }
        throw new AssertionError("no checkpoint recorded the page-cache position " + end);
    }

    private static void assertRecords(MessageStore store, List<AppendResult> appended) {
        ConsumeQueueBatch batch = new ConsumeQueueBatch(64);
        assertEquals(appended.size(), store.readQueue(KEY, 0, 64, batch));
        for (int i = 0; i < appended.size(); i++) {
            assertEquals(appended.get(i).physicalOffset(), batch.physicalOffset(i));
            assertArrayEquals(payload(i, 500), StoreTestSupport.payloadAt(store, batch.physicalOffset(i)));
        }
    }

    private static void copy(Path from, Path to) throws IOException {
        try (Stream<Path> s = Files.walk(from)) {
            for (Path p : (Iterable<Path>) s::iterator) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target);
                }
            }
        }
    }
}
