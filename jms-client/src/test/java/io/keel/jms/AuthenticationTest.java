package io.keel.jms;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.keel.broker.Broker;
import io.keel.broker.auth.PasswordHash;
import io.keel.broker.config.BrokerConfig;
import jakarta.jms.Connection;
import jakarta.jms.JMSContext;
import jakarta.jms.JMSSecurityException;
import jakarta.jms.JMSSecurityRuntimeException;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;

/**
 * Credentials from the JMS API to the broker's users file, through the name server (which does not
 * authenticate) and directly: what the TCK expects (user j2ee accepted, no credentials accepted, bad
 * credentials refused with JMSSecurityException / JMSSecurityRuntimeException).
 */
class AuthenticationTest {

    @TempDir
    Path dir;
    private Broker broker;

    @AfterEach
    void stop() {
        if (broker != null) {
            broker.close();
        }
    }

    private void start(boolean allowAnonymous) throws Exception {
        Path users = dir.resolve("users.properties");
        Files.write(users, List.of("j2ee = " + PasswordHash.encode("j2ee".toCharArray(), PasswordHash.MIN_ITERATIONS)));
        broker = Broker.start(BrokerConfig.defaults().set("dataDir", dir.resolve("data").toString()).set("brokerPort", "0")
                .set("nameServerPort", "0").set("segmentSize", "4m").set("maxMessageSize", "1m").set("ioThreads", "2")
                .set("usersFile", users.toString()).set("allowAnonymous", Boolean.toString(allowAnonymous)));
    }

    /** Through the embedded name server, as the README's URL does. */
    private KeelConnectionFactory viaNameServer(String options) {
        return new KeelConnectionFactory("keel://127.0.0.1:" + broker.nameServerPort() + options);
    }

    private KeelConnectionFactory direct(String options) {
        return new KeelConnectionFactory("keel://127.0.0.1:" + broker.brokerPort() + options);
    }

    /** Proves a connection works: a message goes to a queue and comes back. */
    private static void roundTrip(Connection c) throws Exception {
        Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
        s.createProducer(s.createQueue("auth")).send(s.createTextMessage("in"));
        c.start();
        TextMessage m = (TextMessage) s.createConsumer(s.createQueue("auth")).receive(15_000);
        assertNotNull(m);
        assertEquals("in", m.getText());
    }

    @Test
    void goodCredentialsAndNoCredentialsConnect() throws Exception {
        start(true);
        for (KeelConnectionFactory f : List.of(viaNameServer(""), direct(""))) {
            try (Connection c = f.createConnection("j2ee", "j2ee")) {
                roundTrip(c);
            }
            try (Connection c = f.createConnection()) {
                roundTrip(c);
            }
            try (JMSContext ctx = f.createContext("j2ee", "j2ee")) {
                ctx.createProducer().send(ctx.createQueue("auth"), "ctx");
                assertEquals("ctx", ctx.createConsumer(ctx.createQueue("auth")).receiveBody(String.class, 15_000));
            }
            try (JMSContext ctx = f.createContext()) {
                assertNotNull(ctx.createTextMessage("anonymous"));
            }
        }
    }

    @Test
    void badCredentialsAreAJmsSecurityException() throws Exception {
        start(true);
        for (KeelConnectionFactory f : List.of(viaNameServer(""), direct(""), viaNameServer("?clientId=c1"))) {
            JMSSecurityException wrong = assertThrows(JMSSecurityException.class, () -> f.createConnection("j2ee", "nope"));
            assertEquals("AUTHENTICATION_FAILED", wrong.getErrorCode());
            assertTrue(wrong.getMessage().contains("user 'j2ee': wrong password or unknown user"), wrong.getMessage());
            JMSSecurityException unknown = assertThrows(JMSSecurityException.class,
                    () -> f.createConnection("nobody", "j2ee"));
            assertTrue(unknown.getMessage().contains("user 'nobody': wrong password or unknown user"), unknown.getMessage());
            assertThrows(JMSSecurityException.class, () -> f.createQueueConnection("j2ee", "nope"));
            assertThrows(JMSSecurityException.class, () -> f.createTopicConnection("j2ee", null));
        }
    }

    @Test
    void badCredentialsAreAJmsSecurityRuntimeExceptionForAContext() throws Exception {
        start(true);
        KeelConnectionFactory f = viaNameServer("");
        JMSSecurityRuntimeException e = assertThrows(JMSSecurityRuntimeException.class,
                () -> f.createContext("j2ee", "nope"));
        assertEquals("AUTHENTICATION_FAILED", e.getErrorCode());
        assertTrue(e.getMessage().contains("user 'j2ee'"), e.getMessage());
        assertThrows(JMSSecurityRuntimeException.class, () -> f.createContext("j2ee", "nope", JMSContext.SESSION_TRANSACTED));
    }

    @Test
    void urlCredentialsAreUsedByTheNoArgumentMethods() throws Exception {
        start(false); // anonymous refused: a connection without the URL's credentials would fail
        assertThrows(JMSSecurityException.class, () -> viaNameServer("").createConnection());
        assertThrows(JMSSecurityRuntimeException.class, () -> viaNameServer("").createContext());

        KeelConnectionFactory good = viaNameServer("?user=j2ee&password=j2ee");
        try (Connection c = good.createConnection()) {
            roundTrip(c);
        }
        try (JMSContext ctx = good.createContext()) {
            assertNotNull(ctx.createTextMessage());
        }
        // Explicit credentials replace the URL's.
        assertThrows(JMSSecurityException.class, () -> good.createConnection("j2ee", "nope"));

        KeelConnectionFactory bad = direct("?user=j2ee&password=wrong");
        assertThrows(JMSSecurityException.class, bad::createConnection);
        assertThrows(JMSSecurityRuntimeException.class, bad::createContext);
        bad.createConnection("j2ee", "j2ee").close();
    }
}
