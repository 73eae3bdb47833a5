package io.keel.broker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.net.Socket;
import java.nio.file.Path;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.keel.protocol.client.ProtocolClient;

/**
 * Heartbeats: an idle connection stays open because each side sends HEARTBEATs when it has written
 * nothing for an interval, and a peer that sends nothing at all is disconnected after three.
 */
class HeartbeatTest {

    private static final int HEARTBEAT_MILLIS = 200;

    @TempDir
    Path dir;
    private Broker broker;

    @BeforeEach
    void start() {
        broker = Broker.start(TestBrokers.config(dir).set("heartbeatMillis", Integer.toString(HEARTBEAT_MILLIS)));
    }

    @AfterEach
    void stop() {
        broker.close();
    }

    @Test
    void anIdleConnectionOutlivesManyHeartbeatIntervals() throws Exception {
        try (ProtocolClient c = ProtocolClient.connect("127.0.0.1", broker.brokerPort(),
                ProtocolClient.Options.defaults().withHeartbeatMillis(HEARTBEAT_MILLIS))) {
            long deadline = System.nanoTime() + 10L * HEARTBEAT_MILLIS * 1_000_000;
            while (c.channel().isActive() && System.nanoTime() < deadline) {
                Thread.sleep(20); // polling interval: the condition is that nothing happens for 10 intervals
            }
            assertTrue(c.channel().isActive(), "closed although both sides were alive");
            TestBrokers.send(c, "after-idle", "m", false); // fails unless the connection still serves requests
        }
    }

    @Test
    void aSilentPeerIsDisconnectedAfterThreeIntervals() throws Exception {
        try (Socket s = new Socket("127.0.0.1", broker.brokerPort())) {
            s.setSoTimeout(10_000);
            long t0 = System.nanoTime();
            InputStream in = s.getInputStream();
            int read;
            while ((read = in.read()) >= 0) {
                // the broker may write before it gives up (nothing here answers it)
            }
            long millis = (System.nanoTime() - t0) / 1_000_000;
            assertEquals(-1, read);
            assertTrue(millis >= 3L * HEARTBEAT_MILLIS - 50, "closed after " + millis + " ms, before 3 intervals");
        }
    }
}
