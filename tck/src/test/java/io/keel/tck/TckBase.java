package io.keel.tck;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Hashtable;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

import javax.naming.Context;
import javax.naming.InitialContext;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;

import io.keel.broker.Broker;
import io.keel.broker.auth.PasswordHash;
import io.keel.broker.config.BrokerConfig;
import jakarta.jms.Connection;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.JMSContext;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.Queue;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import jakarta.jms.Topic;

/**
 * Base of every conformance test: one in-process broker per test class (ephemeral ports, its own data
 * directory), and per test a fresh JNDI context built with Keel's InitialContextFactory, exactly as an
 * application would configure it. Every test gets destinations with names of its own (so no test sees
 * another's leftovers while the broker is shared by the class) and a factory with a client id of its own.
 *
 * <p>JNDI names bound for each test:
 * <ul>
 * <li>{@code ConnectionFactory}: through the embedded name server (the README's URL form)</li>
 * <li>{@code DirectConnectionFactory}: straight to the broker port</li>
 * <li>{@code ClientIdConnectionFactory}: administratively configured client id ({@link #adminClientId})</li>
 * <li>{@code Q}, {@code Q2}: queues; {@code T}, {@code T2}: topics</li>
 * </ul>
 */
public abstract class TckBase {

    /** User the broker's users file knows (anonymous access stays allowed). */
    protected static final String USER = "tck";
    protected static final String PASSWORD = "secret";
    /** Long enough for a loaded 2-core machine; only reached when a test is about to fail. */
    protected static final long TIMEOUT = 10_000;
    /** How long a receive waits to conclude that no message is there. */
    protected static final long ABSENT = 400;

    private static final AtomicInteger SEQUENCE = new AtomicInteger();

    protected static Broker broker;
    private static Path dataDir;

    protected Context jndi;
    protected ConnectionFactory cf;
    protected Queue queue;
    protected Queue queue2;
    protected Topic topic;
    protected Topic topic2;
    protected String adminClientId;
    /** Unique per test; prefix of names a test invents itself (subscriptions, client ids). */
    protected String unique;
    private final List<AutoCloseable> opened = new ArrayList<>();

    @BeforeAll
    static void startBroker() throws Exception {
        dataDir = Files.createTempDirectory("keel-tck");
        Path users = dataDir.resolve("users.properties");
        Files.write(users, List.of(USER + " = " + PasswordHash.encode(PASSWORD.toCharArray(), PasswordHash.MIN_ITERATIONS)));
        broker = Broker.start(BrokerConfig.defaults().set("dataDir", dataDir.resolve("data").toString())
                .set("brokerPort", "0").set("nameServerPort", "0").set("segmentSize", "4m")
                .set("maxMessageSize", "1m").set("ioThreads", "2").set("usersFile", users.toString())
                .set("allowAnonymous", "true"));
    }

    @AfterAll
    static void stopBroker() throws Exception {
        if (broker != null) {
            broker.close();
            broker = null;
        }
        deleteTree(dataDir);
    }

    @BeforeEach
    void bindJndi() throws Exception {
        int n = SEQUENCE.incrementAndGet();
        unique = getClass().getSimpleName() + "-" + n;
        adminClientId = "admin-" + unique;
        Hashtable<String, String> env = new Hashtable<>();
        env.put(Context.INITIAL_CONTEXT_FACTORY, "io.keel.jms.jndi.KeelInitialContextFactory");
        env.put(Context.PROVIDER_URL, "keel://127.0.0.1:" + broker.nameServerPort());
        env.put("connectionFactory.ConnectionFactory", "");
        env.put("connectionFactory.DirectConnectionFactory", "keel://127.0.0.1:" + broker.brokerPort());
        env.put("connectionFactory.ClientIdConnectionFactory",
                "keel://127.0.0.1:" + broker.nameServerPort() + "?clientId=" + adminClientId);
        env.put("queue.Q", "tck.q." + unique);
        env.put("queue.Q2", "tck.q2." + unique);
        env.put("topic.T", "tck.t." + unique);
        env.put("topic.T2", "tck.t2." + unique);
        jndi = new InitialContext(env);
        cf = (ConnectionFactory) jndi.lookup("ConnectionFactory");
        queue = (Queue) jndi.lookup("Q");
        queue2 = (Queue) jndi.lookup("Q2");
        topic = (Topic) jndi.lookup("T");
        topic2 = (Topic) jndi.lookup("T2");
    }

    @AfterEach
    void closeAll() throws Exception {
        // Reverse order: contexts created from other contexts close before their parent.
        for (int i = opened.size() - 1; i >= 0; i--) {
            try {
                opened.get(i).close();
            } catch (Exception ignored) {
                // A test may have left an object in a failed state on purpose; closing is best effort.
            }
        }
        opened.clear();
        jndi.close();
    }

    /** A connection closed after the test. */
    protected Connection connection() throws Exception {
        return track(cf.createConnection());
    }

    /** A started connection closed after the test. */
    protected Connection started() throws Exception {
        Connection c = connection();
        c.start();
        return c;
    }

    protected JMSContext context() {
        return track(cf.createContext());
    }

    protected JMSContext context(int sessionMode) {
        return track(cf.createContext(sessionMode));
    }

    protected <T extends AutoCloseable> T track(T closeable) {
        opened.add(closeable);
        return closeable;
    }

    protected ConnectionFactory lookupFactory(String name) throws Exception {
        return (ConnectionFactory) jndi.lookup(name);
    }

    /** Sends texts "0".."n-1"... as given, through a separate connection, each send confirmed. */
    protected void sendTexts(jakarta.jms.Destination d, String... bodies) throws Exception {
        try (Connection c = cf.createConnection()) {
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            var p = s.createProducer(d);
            for (String b : bodies) {
                p.send(s.createTextMessage(b));
            }
        }
    }

    protected static String text(Message m) throws Exception {
        assertNotNull(m, "expected a message, got none within the timeout");
        return ((TextMessage) m).getText();
    }

    protected static String receiveText(MessageConsumer c) throws Exception {
        return text(c.receive(TIMEOUT));
    }

    /** Waits for a condition (never a fixed sleep): fails with the message if it does not hold in time. */
    protected static void await(String what, BooleanSupplier condition) {
        await(what, condition, () -> "");
    }

    /** As {@link #await(String, BooleanSupplier)}; the failure message ends with the observed state. */
    protected static void await(String what, BooleanSupplier condition, java.util.function.Supplier<Object> state) {
        long deadline = System.nanoTime() + TIMEOUT * 1_000_000;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                fail("timed out waiting for: " + what + "; observed: " + state.get());
            }
            Thread.onSpinWait();
            try {
                Thread.sleep(5); // polling interval only, not synchronisation
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                fail("interrupted waiting for: " + what);
            }
        }
    }

    private static void deleteTree(Path root) throws Exception {
        if (root == null || !Files.exists(root)) {
            return;
        }
        try (var walk = Files.walk(root)) {
            walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
