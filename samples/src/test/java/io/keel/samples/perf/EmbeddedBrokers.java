package io.keel.samples.perf;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

import org.apache.activemq.artemis.core.config.Configuration;
import org.apache.activemq.artemis.core.config.impl.ConfigurationImpl;
import org.apache.activemq.artemis.core.server.embedded.EmbeddedActiveMQ;

import io.keel.broker.Broker;
import io.keel.broker.config.BrokerConfig;

/**
 * The two brokers of {@link KeelVsArtemis}, each in process, in a fresh data directory that
 * {@link Running#close()} deletes, listening on loopback TCP; JmsPerf reaches them by URL only.
 */
final class EmbeddedBrokers {

    private EmbeddedBrokers() {
    }

    /** A started broker: the URL JmsPerf connects to, a line about its settings, and how to stop it. */
    interface Running extends AutoCloseable {
        String url();

        String remarks();

        @Override
        void close();
    }

    /**
     * Keel with its defaults (SYNC_FLUSH group commit: a persistent send is answered once forced),
     * an ephemeral port, no name server: the URL names the broker itself.
     */
    static Running keel(Path base) throws IOException {
        Path dir = Files.createTempDirectory(base, "keel-");
        try {
            Broker.serviceDefaults(); // as `keel broker` does (Artemis does the same in its acceptor)
            Broker broker = Broker.start(BrokerConfig.defaults().set("dataDir", dir.toString()).set("brokerPort", "0")
                    .set("nameServerPort", "0").set("embeddedNameServer", "false").set("flushMode", "SYNC_FLUSH"));
            return new Running() {
                @Override
                public String url() {
                    return "keel://127.0.0.1:" + broker.brokerPort();
                }

                @Override
                public String remarks() {
                    return "flushMode SYNC_FLUSH, defaults otherwise";
                }

                @Override
                public void close() {
                    try {
                        broker.close();
                    } finally {
                        delete(dir);
                    }
                }
            };
        } catch (RuntimeException e) {
            delete(dir);
            throw e;
        }
    }

    /**
     * Artemis as the end-to-end benchmark configures it (broker/src/test/.../bench/ArtemisSide):
     * {@link ConfigurationImpl}'s defaults with persistence on and the journal synced for
     * transactional and non-transactional work (set explicitly here: the same durability as Keel's
     * SYNC_FLUSH), the journal type it picks (ASYNCIO if libaio loads, else NIO), security off
     * (Keel authenticates nobody either), one Netty acceptor on 127.0.0.1.
     */
    static Running artemis(Path base) throws Exception {
        Path dir = Files.createTempDirectory(base, "artemis-");
        EmbeddedActiveMQ server = new EmbeddedActiveMQ();
        try {
            int port = freePort();
            Configuration c = new ConfigurationImpl().setName("artemis-jmsperf").setPersistenceEnabled(true)
                    .setJournalSyncTransactional(true).setJournalSyncNonTransactional(true).setJournalDatasync(true)
                    .setSecurityEnabled(false)
                    .setJournalDirectory(dir.resolve("journal").toString())
                    .setBindingsDirectory(dir.resolve("bindings").toString())
                    .setPagingDirectory(dir.resolve("paging").toString())
                    .setLargeMessagesDirectory(dir.resolve("large-messages").toString())
                    .setNodeManagerLockDirectory(dir.resolve("lock").toString())
                    .addAcceptorConfiguration("netty", "tcp://127.0.0.1:" + port);
            server.setConfiguration(c);
            server.start();
            Configuration live = server.getActiveMQServer().getConfiguration();
            String remarks = "journal " + live.getJournalType() + " (buffer timeout NIO "
                    + live.getJournalBufferTimeout_NIO() + " ns, AIO " + live.getJournalBufferTimeout_AIO()
                    + " ns), datasync " + live.isJournalDatasync();
            return new Running() {
                @Override
                public String url() {
                    return "tcp://127.0.0.1:" + port;
                }

                @Override
                public String remarks() {
                    return remarks;
                }

                @Override
                public void close() {
                    try {
                        server.stop();
                    } catch (Exception e) {
                        throw new IllegalStateException("stopping Artemis: " + e, e);
                    } finally {
                        delete(dir);
                    }
                }
            };
        } catch (Exception | Error e) {
            try {
                server.stop();
            } catch (Exception ignored) {
                // it did not start
            }
            delete(dir);
            throw e;
        }
    }

    /** An ephemeral port for Artemis's acceptor (closed again just before Artemis binds it). */
    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    static void delete(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> s = Files.walk(dir)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            System.err.println("cannot delete " + dir + ": " + e);
        }
    }
}
