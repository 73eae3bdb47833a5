package io.keel.broker.bench;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import jakarta.jms.BytesMessage;
import jakarta.jms.CompletionListener;
import jakarta.jms.Connection;
import jakarta.jms.DeliveryMode;
import jakarta.jms.Destination;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;

import org.apache.activemq.artemis.core.config.Configuration;
import org.apache.activemq.artemis.core.config.impl.ConfigurationImpl;
import org.apache.activemq.artemis.core.server.embedded.EmbeddedActiveMQ;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;
import org.apache.activemq.artemis.logs.AuditLogger;

import io.keel.broker.bench.E2eHarness.Completion;
import io.keel.broker.bench.E2eHarness.SendMode;
import io.keel.broker.bench.E2eHarness.Stats;

/**
 * Apache ActiveMQ Artemis, the baseline of the end-to-end benchmark: an {@link EmbeddedActiveMQ} in
 * this JVM with {@link ConfigurationImpl}'s defaults (persistence on, journal sync on for
 * transactional and non-transactional work, the journal type it picks: ASYNCIO if libaio loads,
 * else NIO), security off (no users are configured), a fresh data directory, and one Netty TCP
 * acceptor on 127.0.0.1. Clients are Artemis's Jakarta JMS client over that acceptor with its
 * defaults (blockOnDurableSend=true, blockOnNonDurableSend=false, 1 MiB consumer window). Audit
 * logging is off: its loggers are set to "off" in slf4j-simple before anything logs (see
 * {@link EndToEndBenchmark}), and {@link #auditLoggingEnabled()} checks it.
 */
final class ArtemisSide implements E2eHarness.Side {

    private final EmbeddedActiveMQ server;
    private final Path dir;
    private final ActiveMQConnectionFactory factory;

    private ArtemisSide(EmbeddedActiveMQ server, Path dir, ActiveMQConnectionFactory factory) {
        this.server = server;
        this.dir = dir;
        this.factory = factory;
    }

    static ArtemisSide start(Path base, String label) throws Exception {
        Path dir = Files.createTempDirectory(base, "artemis-" + label + "-");
        EmbeddedActiveMQ server = new EmbeddedActiveMQ();
        try {
            int port = freePort();
            Configuration c = new ConfigurationImpl().setName("artemis-e2e").setPersistenceEnabled(true)
                    .setSecurityEnabled(false)
                    .setJournalDirectory(dir.resolve("journal").toString())
                    .setBindingsDirectory(dir.resolve("bindings").toString())
                    .setPagingDirectory(dir.resolve("paging").toString())
                    .setLargeMessagesDirectory(dir.resolve("large-messages").toString())
                    .setNodeManagerLockDirectory(dir.resolve("lock").toString())
                    .addAcceptorConfiguration("netty", "tcp://127.0.0.1:" + port);
            String tuned = System.getProperty("bench.artemis.journalBufferTimeout");
            if (tuned != null) { // an experiment, never the default run (docs/benchmarks.md)
                c.setJournalBufferTimeout_NIO(Integer.parseInt(tuned)).setJournalBufferTimeout_AIO(Integer.parseInt(tuned));
            }
            server.setConfiguration(c);
            server.start();
            return new ArtemisSide(server, dir, new ActiveMQConnectionFactory("tcp://127.0.0.1:" + port));
        } catch (Exception | Error e) {
            try {
                server.stop();
            } catch (Exception ignored) {
                // not started
            }
            BenchBroker.deleteQuietly(dir);
            throw e;
        }
    }

    /** An ephemeral port for the acceptor (closed again just before Artemis binds it). */
    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    /** Whether any of Artemis's audit loggers would log (they log at INFO). */
    static boolean auditLoggingEnabled() {
        return AuditLogger.isAnyLoggingEnabled();
    }

    @Override
    public String name() {
        return "artemis";
    }

    /** A plain send() of a non-persistent message does not wait for the broker (blockOnNonDurableSend=false). */
    @Override
    public boolean streamsWithoutAnswers() {
        return true;
    }

    @Override
    public E2eHarness.Producer producer(int index, boolean persistent, SendMode mode) throws JMSException {
        Connection connection = factory.createConnection();
        try {
            return new ArtemisProducer(connection, index + 1, persistent, mode == SendMode.TXN);
        } catch (JMSException | RuntimeException e) {
            connection.close();
            throw e;
        }
    }

    @Override
    public AutoCloseable consumers(int index, List<String> destinations, boolean topic, Stats stats)
            throws JMSException {
        Connection connection = factory.createConnection();
        try {
            if (topic) {
                connection.setClientID("e2e-sub-" + index);
            }
            // DUPS_OK: acknowledgements go in batches (ackBatchSize, 1 MiB by default), not waited for.
            Session session = connection.createSession(false, Session.DUPS_OK_ACKNOWLEDGE);
            List<MessageConsumer> consumers = new ArrayList<>();
            for (String d : destinations) {
                MessageConsumer c = topic ? session.createDurableSubscriber(session.createTopic(d), "e2e")
                        : session.createConsumer(session.createQueue(d));
                c.setMessageListener(m -> onMessage(m, stats));
                consumers.add(c);
            }
            connection.start();
            return connection::close;
        } catch (JMSException | RuntimeException e) {
            connection.close();
            throw e;
        }
    }

    private static void onMessage(Message m, Stats stats) {
        try {
            BytesMessage b = (BytesMessage) m;
            byte[] body = new byte[(int) b.getBodyLength()];
            b.readBytes(body);
            stats.received(E2eHarness.stampOf(body), m.getJMSRedelivered());
        } catch (JMSException | RuntimeException e) {
            stats.error(e);
        }
    }

    @Override
    public String remarks() {
        return "journal " + server.getActiveMQServer().getConfiguration().getJournalType() + ", buffer timeout "
                + server.getActiveMQServer().getConfiguration().getJournalBufferTimeout_NIO() + " ns (NIO) / "
                + server.getActiveMQServer().getConfiguration().getJournalBufferTimeout_AIO() + " ns (AIO)";
    }

    @Override
    public void close() {
        try {
            factory.close();
            server.stop();
        } catch (Exception e) {
            throw new IllegalStateException("stopping Artemis: " + e, e);
        } finally {
            BenchBroker.retire(dir);
        }
    }

    /** One producer: its own connection and session, an anonymous producer, a 1 KiB BytesMessage per send. */
    private static final class ArtemisProducer implements E2eHarness.Producer {
        private final Connection connection;
        private final Session session;
        private final MessageProducer producer;
        private final byte[] body = new byte[EndToEndBenchmark.MESSAGE_SIZE];
        private final Map<String, Destination> destinations = new HashMap<>();

        ArtemisProducer(Connection connection, int index, boolean persistent, boolean transacted) throws JMSException {
            this.connection = connection;
            this.session = transacted ? connection.createSession(true, Session.SESSION_TRANSACTED)
                    : connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            this.producer = session.createProducer(null);
            producer.setDeliveryMode(persistent ? DeliveryMode.PERSISTENT : DeliveryMode.NON_PERSISTENT);
            new SplittableRandom(index).nextBytes(body);
        }

        private Destination destination(String name) {
            return destinations.computeIfAbsent(name, n -> {
                try {
                    return n.startsWith(EndToEndBenchmark.TOPIC_PREFIX) ? session.createTopic(n)
                            : session.createQueue(n);
                } catch (JMSException e) {
                    throw new IllegalStateException(e);
                }
            });
        }

        private BytesMessage message() throws JMSException {
            BytesMessage m = session.createBytesMessage();
            E2eHarness.stamp(body, System.nanoTime());
            m.writeBytes(body);
            return m;
        }

        @Override
        public void sendSync(String destination) throws JMSException {
            producer.send(destination(destination), message());
        }

        @Override
        public void sendAsync(String destination, Completion done) throws JMSException {
            producer.send(destination(destination), message(), new CompletionListener() {
                @Override
                public void onCompletion(Message message) {
                    done.done(null);
                }

                @Override
                public void onException(Message message, Exception exception) {
                    done.done(exception);
                }
            });
        }

        @Override
        public void sendTransacted(String destination, int n) throws JMSException {
            Destination d = destination(destination);
            for (int i = 0; i < n; i++) {
                producer.send(d, message());
            }
            session.commit();
        }

        @Override
        public void close() {
            try {
                connection.close();
            } catch (JMSException e) {
                throw new IllegalStateException("closing a producer: " + e, e);
            }
        }
    }
}
