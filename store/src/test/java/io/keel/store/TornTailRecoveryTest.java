package io.keel.store;

import static io.keel.store.StoreTestSupport.bytes;
import static io.keel.store.StoreTestSupport.payload;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.keel.store.commitlog.CommitLogSegment;
import io.keel.store.recovery.Checkpoint;

/**
 * Damages the tail of a stopped store the way a power loss can (a shorter last file, random bytes
 * flipped in the last records) and checks that recovery keeps exactly the valid prefix.
 */
class TornTailRecoveryTest {

    private static final QueueKey KEY = new QueueKey("torn", 0);
    private static final int RECORDS = 120;

    @TempDir
    Path tmp;
    private Path pristine;
    private final List<AppendResult> results = new ArrayList<>();

    private static StoreConfig config(Path dir) {
        return new StoreConfig(dir).segmentSize(128 * 1024).maxRecordSize(8 * 1024)
                .consumeQueueEntriesPerSegment(32).zeroFillSegments(false);
    }

    @BeforeEach
    void writePristineStore() throws IOException, Exception {
        pristine = tmp.resolve("pristine");
        try (MessageStore store = MessageStore.open(config(pristine))) {
            AppendRecord r = new AppendRecord();
            for (int i = 0; i < RECORDS; i++) {
                results.add(store.append(r.reset().message(KEY, ByteBuffer.wrap(payload(i, 3000)))).get());
            }
        }
    }

    @Test
    void truncatedLastSegmentRecoversTheValidPrefix() throws Exception {
        Random random = new Random(42);
        AppendResult last = results.get(RECORDS - 1);
        long segmentStart = last.physicalOffset() - Math.floorMod(last.physicalOffset(), 128 * 1024);
        long from = Math.max(segmentStart, results.get(RECORDS - 10).physicalOffset());
        long to = last.physicalOffset() + last.size();
        for (int attempt = 0; attempt < 40; attempt++) {
            long cut = attempt == 0 ? to : from + random.nextInt((int) (to - from));
            Path dir = copyOfPristine("cut-" + attempt);
            Path segment = dir.resolve("commitlog").resolve(CommitLogSegment.fileName(segmentStart));
            try (RandomAccessFile f = new RandomAccessFile(segment.toFile(), "rw")) {
                f.setLength(cut - segmentStart);
            }
            simulateCrash(dir, attempt % 2 == 0);
            assertValidPrefix(dir, cut, "cut at " + cut);
        }
    }

    @Test
    void flippedBytesInTheLastRecordsRecoverTheValidPrefix() throws Exception {
        Random random = new Random(7);
        for (int attempt = 0; attempt < 40; attempt++) {
            Path dir = copyOfPristine("flip-" + attempt);
            long first = Long.MAX_VALUE;
            int flips = 1 + random.nextInt(3);
            for (int k = 0; k < flips; k++) {
                // Inside a record: bytes of a segment's padded tail carry no data and are never read.
                AppendResult victim = results.get(RECORDS - 1 - random.nextInt(10));
                long at = victim.physicalOffset() + random.nextInt(victim.size());
                first = Math.min(first, at);
                flip(dir, at, 1 + random.nextInt(255));
            }
            simulateCrash(dir, attempt % 2 == 0);
            assertValidPrefix(dir, first, "flips from " + first);
        }
    }

    private void assertValidPrefix(Path dir, long damagedAt, String what) throws Exception {
        int valid = 0;
        while (valid < RECORDS && results.get(valid).physicalOffset() + results.get(valid).size() <= damagedAt) {
            valid++;
        }
        long expectedEnd = valid == 0 ? 0 : results.get(valid - 1).physicalOffset() + results.get(valid - 1).size();
        int kept = 0;
        try (MessageStore store = MessageStore.open(config(dir))) {
            assertTrue(store.recoveryReport().scanned(), what + ": a crash must be scanned");
            long end = store.writtenOffset();
            // A record cut exactly at its end is whole; a damaged record in the middle ends the log.
            assertTrue(end == expectedEnd || (valid < RECORDS && end == results.get(valid).physicalOffset()),
                    what + ": end " + end + ", expected " + expectedEnd);
            while (kept < RECORDS && results.get(kept).physicalOffset() < end) {
                kept++;
            }
            for (int i = 0; i < kept; i++) {
                try (RecordSlice s = store.read(results.get(i).physicalOffset())) {
                    assertArrayEquals(payload(i, 3000), bytes(s.payload()), what + ": record " + i);
                }
            }
            assertEquals(kept, store.hasQueue(KEY) ? store.maxQueueOffset(KEY) : 0, what + ": queue length");
            assertTailIsZero(dir, end);
            StoreVerifier.verifyLogAndQueuesAgree(store);
            AppendResult next = store.append(new AppendRecord().message(KEY, ByteBuffer.wrap(new byte[] {9}))).get();
            assertEquals(end, next.physicalOffset(), what + ": the next append starts where the valid data ends");
            assertEquals(kept, next.queueOffset(), what + ": queue offsets continue without a gap");
        }
        try (MessageStore store = MessageStore.open(config(dir))) {
            assertEquals(kept + 1, store.maxQueueOffset(KEY), what + ": a clean reopen keeps the recovered queue");
            StoreVerifier.verifyLogAndQueuesAgree(store);
        }
    }

    private static void assertTailIsZero(Path dir, long end) throws IOException {
        long segmentStart = end - Math.floorMod(end, 128 * 1024);
        Path segment = dir.resolve("commitlog").resolve(CommitLogSegment.fileName(segmentStart));
        byte[] all = Files.readAllBytes(segment);
        for (int i = (int) (end - segmentStart); i < all.length; i++) {
            if (all[i] != 0) {
                throw new AssertionError("byte " + (segmentStart + i) + " after the end " + end + " is not zero");
            }
        }
    }

    private static void flip(Path dir, long offset, int xor) throws IOException {
        long segmentStart = offset - Math.floorMod(offset, 128 * 1024);
        Path segment = dir.resolve("commitlog").resolve(CommitLogSegment.fileName(segmentStart));
        try (RandomAccessFile f = new RandomAccessFile(segment.toFile(), "rw")) {
            f.seek(offset - segmentStart);
            int b = f.read();
            f.seek(offset - segmentStart);
            f.write(b ^ xor);
        }
    }

    /** Leaves the abort marker and either no checkpoint or one from before the damaged records. */
    private void simulateCrash(Path dir, boolean olderCheckpoint) throws IOException {
        Files.write(dir.resolve("abort"), new byte[0]);
        if (olderCheckpoint) {
            long earlier = results.get(RECORDS / 2).physicalOffset();
            new Checkpoint(earlier, earlier, 1, 0).write(dir.resolve("checkpoint"));
        } else {
            Files.delete(dir.resolve("checkpoint"));
        }
    }

    private Path copyOfPristine(String name) throws IOException {
        Path target = tmp.resolve(name);
        try (Stream<Path> s = Files.walk(pristine)) {
            for (Path p : (Iterable<Path>) s.sorted(Comparator.naturalOrder())::iterator) {
                Path t = target.resolve(pristine.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(t);
                } else if (!p.getFileName().toString().equals("lock")) {
                    Files.copy(p, t, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
        return target;
    }
}
