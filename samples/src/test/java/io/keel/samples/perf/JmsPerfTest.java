package io.keel.samples.perf;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.keel.broker.Broker;
import io.keel.broker.config.BrokerConfig;

/** JmsPerf against an in-process Keel broker, briefly: what it counts must add up and be printed. */
class JmsPerfTest {

    @TempDir
    Path dir;
    private Broker broker;
    private String url;

    @BeforeEach
    void start() {
        broker = Broker.start(BrokerConfig.defaults().set("dataDir", dir.toString()).set("brokerPort", "0")
                .set("nameServerPort", "0").set("embeddedNameServer", "false").set("segmentSize", "16m")
                .set("ioThreads", "2"));
        url = "keel://127.0.0.1:" + broker.brokerPort();
    }

    @AfterEach
    void stop() {
        broker.close();
    }

    private static String run(PerfResult[] result, String... args) {
        StringWriter text = new StringWriter();
        result[0] = JmsPerf.run(new PrintWriter(text), args);
        return text.toString();
    }

    @Test
    void persistentSyncSendsAreAllReceivedAndLatencyPercentilesArePrinted() {
        PerfResult[] r = new PerfResult[1];
        String out = run(r, "--url", url, "--duration", "2", "--warmup", "0.5", "--size", "1024");
        PerfResult result = r[0];
        assertNotNull(result, out);
        assertTrue(result.sentTotal() > 0, out);
        assertEquals(result.sentTotal(), result.receivedTotal(), out);
        assertEquals(0, result.errors(), out);
        assertTrue(out.contains("1 queue(s) perf.0..0, 1024 B, persistent, sync sends, ack auto"), out);
        assertTrue(result.sentInWindow() > 0 && result.sentInWindow() <= result.sentTotal(), out);
        assertTrue(result.e2e().getTotalCount() > 0, out);
        for (String s : new String[] {"end-to-end latency us: p50 ", " p90 ", " p99 ", " p99.9 ", " max ",
                "SUMMARY sent/s=", "RESULT jmsperf.e2e_p99_9_us=", "RESULT jmsperf.received_per_s="}) {
            assertTrue(out.contains(s), "missing '" + s + "' in:\n" + out);
        }
    }

    @Test
    void pacedAsyncProducersOverTwoTopicsDeliverToEverySubscriber() {
        PerfResult[] r = new PerfResult[1];
        // 2 producers at 200 msgs/s each, 3 subscribers over 2 topics: topic 0 has subscribers 0 and 2.
        String out = run(r, "--url", url, "--duration", "1", "--warmup", "0", "--async", "--rate", "200",
                "--producers", "2", "--consumers", "3", "--destinations", "2", "--topic", "--non-persistent",
                "--prefix", "paced", "--size", "100");
        PerfResult result = r[0];
        assertNotNull(result, out);
        assertEquals(0, result.errors(), out);
        assertTrue(out.contains("2 topic(s) paced.0..1, 100 B, non-persistent, async sends"), out);
        // One producer per topic, paced: about 200 sends each in the 1 s window, never more than scheduled.
        assertTrue(result.sentTotal() > 200 && result.sentTotal() <= 400, out);
        long owed = result.sentTotal() / 2 * 2 + result.sentTotal() / 2; // 2 subscribers on topic 0, 1 on topic 1
        assertEquals(result.expected(), result.receivedTotal(), out);
        assertTrue(result.expected() >= owed - 2 && result.expected() <= owed + 2, out);
    }

    @Test
    void transactedProducersCommitTheirLastPartialBatch() {
        PerfResult[] r = new PerfResult[1];
        String out = run(r, "--url", url, "--duration", "1", "--warmup", "0", "--transacted", "7", "--ack", "dups_ok",
                "--prefix", "txn");
        PerfResult result = r[0];
        assertNotNull(result, out);
        assertEquals(0, result.errors(), out);
        assertTrue(result.sentTotal() > 0, out);
        assertEquals(result.sentTotal(), result.receivedTotal(), out);
        assertTrue(result.send().getTotalCount() > 0, out); // one entry per transaction
    }

    @Test
    void everyDestinationGetsAMemberWhateverTheCounts() {
        assertArrayEquals(new int[] {0}, PerfRun.assignment(0, 1, 1));
        assertArrayEquals(new int[] {0, 2, 4}, PerfRun.assignment(0, 2, 5));
        assertArrayEquals(new int[] {1, 3}, PerfRun.assignment(1, 2, 5));
        assertArrayEquals(new int[] {1}, PerfRun.assignment(5, 4, 2));
    }

    @Test
    void refusesAnUnknownSchemeAndBadCounts() {
        PerfResult[] r = new PerfResult[1];
        String out = run(r, "--url", "foo://x");
        assertNull(r[0]);
        assertTrue(out.contains("unknown scheme"), out);
        out = run(r, "--url", url, "--producers", "0");
        assertNull(r[0]);
        assertTrue(out.contains("--producers must be at least 1"), out);
    }
}
