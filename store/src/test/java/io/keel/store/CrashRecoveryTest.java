package io.keel.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kills a real child JVM that appends under SYNC_FLUSH (kill -9, or its own Runtime.halt) at random
 * moments, then checks that every acknowledged record is there byte for byte, that nothing invalid is
 * readable and that the ConsumeQueues agree with the CommitLog. {@code -Dkeel.crash.rounds=1000} runs
 * more rounds; {@code -Dkeel.crash.seed} replays one.
 */
class CrashRecoveryTest {

    @TempDir
    Path dir;

    /** One acknowledged append, as the child printed it. */
    private record Ack(int round, int thread, int seq, long physical, QueueKey key, long queueOffset) {
    }

    @Test
    void everyAcknowledgedAppendSurvivesRandomKills() throws Exception {
        int rounds = Integer.getInteger("keel.crash.rounds", 20);
        long seed = Long.getLong("keel.crash.seed", System.nanoTime());
        Random random = new Random(seed);
        List<Ack> acked = new ArrayList<>();
        for (int round = 1; round <= rounds; round++) {
            boolean selfHalt = random.nextBoolean();
            long runMillis = 150 + random.nextInt(700);
            Process child = startChild(round, selfHalt ? runMillis : 0);
            List<Ack> roundAcks = new ArrayList<>();
            CountDownLatch opened = new CountDownLatch(1);
            Thread reader = readAcks(child, roundAcks, opened);
            assertTrue(opened.await(60, TimeUnit.SECONDS), "round " + round + " (seed " + seed + "): child did not open the store");
            if (!selfHalt) {
                // The kill moment is the random variable of this test, not a synchronisation.
                Thread.sleep(runMillis);
                child.destroyForcibly();
            }
            assertTrue(child.waitFor(60, TimeUnit.SECONDS), "child did not die");
            reader.join(10_000);
            synchronized (roundAcks) {
                acked.addAll(roundAcks);
            }
            // Every other round the next child recovers the crash itself; the others are checked here.
            if (round % 2 == 0 || round == rounds) {
                verify(acked, "round " + round + " (seed " + seed + ")");
            }
        }
        assertTrue(acked.size() > rounds, "the children acknowledged too little to prove anything: " + acked.size());
    }

    private void verify(List<Ack> acked, String where) throws IOException {
        try (MessageStore store = MessageStore.open(CrashWriter.config(dir))) {
            assertTrue(store.recoveryReport().crashed(), where + ": the abort marker should show a crash");
            for (Ack a : acked) {
                byte[] expected = CrashWriter.payload(a.round, a.thread, a.seq);
                try (RecordSlice s = store.read(a.physical)) {
                    assertArrayEquals(expected, StoreTestSupport.bytes(s.payload()), where + ": payload of " + a);
                    assertEquals(a.queueOffset, s.record().queueOffset(), where + ": queue offset of " + a);
                }
                assertEquals(a.physical, StoreVerifier.commitLogOffsetAt(store, a.key, a.queueOffset),
                        where + ": consume queue entry of " + a);
            }
            StoreVerifier.verifyLogAndQueuesAgree(store);
        }
    }

    @Test
    void aStoreOpenInAnotherProcessCannotBeOpened() throws Exception {
        Process child = startChild(1, 0);
        try {
            CountDownLatch opened = new CountDownLatch(1);
            readAcks(child, new ArrayList<>(), opened);
            assertTrue(opened.await(60, TimeUnit.SECONDS), "child did not open the store");
            StoreException.Locked e = assertThrows(StoreException.Locked.class,
                    () -> MessageStore.open(CrashWriter.config(dir)));
            assertTrue(e.getMessage().contains(dir.toString()) && e.getMessage().contains("already in use"), e.getMessage());
        } finally {
            child.destroyForcibly();
            child.waitFor(60, TimeUnit.SECONDS);
        }
    }

    private Process startChild(int round, long haltAfterMillis) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String cp = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        ProcessBuilder pb = new ProcessBuilder(java, "-Xmx256m", "-cp", cp,
                "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn", CrashWriter.class.getName(), dir.toString(),
                Integer.toString(round), Long.toString(haltAfterMillis));
        pb.redirectError(ProcessBuilder.Redirect.appendTo(new File(dir.toFile().getParentFile(), "crash-child.err")));
        return pb.start();
    }

    private static Thread readAcks(Process child, List<Ack> acks, CountDownLatch opened) {
        Thread t = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    if (line.startsWith("OPEN")) {
                        opened.countDown();
                    } else if (line.startsWith("ACK ")) {
                        String[] f = line.split(" ");
                        if (f.length != 8) {
                            continue; // a line cut by the kill: never acknowledged as a whole
                        }
                        Ack a = new Ack(Integer.parseInt(f[1]), Integer.parseInt(f[2]), Integer.parseInt(f[3]),
                                Long.parseLong(f[4]), new QueueKey(f[5], Integer.parseInt(f[6])), Long.parseLong(f[7]));
                        synchronized (acks) {
                            acks.add(a);
                        }
                    }
                }
            } catch (IOException | RuntimeException e) {
                // The child died mid-line; what was read completely stands.
            }
        });
        t.setDaemon(true);
        t.start();
        return t;
    }
}
