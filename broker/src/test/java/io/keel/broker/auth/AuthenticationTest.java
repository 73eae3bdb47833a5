package io.keel.broker.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.keel.broker.Broker;
import io.keel.broker.BrokerStartException;
import io.keel.broker.config.BrokerConfig;
import io.keel.protocol.client.ProtocolClient;
import io.keel.protocol.client.RemoteError;
import io.keel.protocol.command.ErrorCode;
import io.keel.protocol.command.Handshake;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.UnpooledByteBufAllocator;

/** Handshakes against an in-process broker with a users file: who gets in, who does not, and reloads. */
class AuthenticationTest {

    /** Few iterations keep the tests fast; {@link #defaultIterationsWork} covers the default. */
    private static final int FAST = PasswordHash.MIN_ITERATIONS;

    @TempDir
    Path dir;
    private Broker broker;

    @AfterEach
    void stop() {
        if (broker != null) {
            broker.close();
        }
    }

    private BrokerConfig config() {
        return BrokerConfig.defaults().set("dataDir", dir.resolve("data").toString()).set("brokerPort", "0")
                .set("nameServerPort", "0").set("segmentSize", "4m").set("maxMessageSize", "1m").set("ioThreads", "2");
    }

    private Path usersFile(String... lines) throws Exception {
        Path f = dir.resolve("users.properties");
        Files.write(f, List.of(lines));
        return f;
    }

    private static String hash(String password) {
        return PasswordHash.encode(password.toCharArray(), FAST);
    }

    private void start(Path users, boolean allowAnonymous) {
        broker = Broker.start(config().set("usersFile", users.toString())
                .set("allowAnonymous", Boolean.toString(allowAnonymous)));
    }

    private ProtocolClient connect(String user, String password) {
        return ProtocolClient.connect("127.0.0.1", broker.brokerPort(), ProtocolClient.Options.defaults()
                .withCredentials(user, password).withRequestTimeoutMillis(15_000));
    }

    private RemoteError refused(String user, String password) {
        return assertThrows(RemoteError.class, () -> connect(user, password).close());
    }

    @Test
    void rightPasswordIsAcceptedAndTheConnectionWorks() throws Exception {
        start(usersFile("# test users", "alice = " + hash("s3cret"), "j2ee = plain:j2ee"), true);
        try (ProtocolClient c = connect("alice", "s3cret")) {
            assertTrue(c.handshake().connectionId() > 0);
            // A request after the handshake is served: the connection is really open.
            io.keel.broker.TestBrokersAccess.send(c, "q", "hello");
        }
        try (ProtocolClient c = connect("j2ee", "j2ee")) {
            assertTrue(c.isOpen());
        }
    }

    @Test
    void defaultIterationsWork() throws Exception {
        start(usersFile("alice = " + PasswordHash.encode("pw".toCharArray(), PasswordHash.DEFAULT_ITERATIONS)), true);
        connect("alice", "pw").close();
        assertEquals(ErrorCode.AUTHENTICATION_FAILED, refused("alice", "pW").code());
    }

    @Test
    void wrongPasswordAndUnknownUserGetTheSameAnswer() throws Exception {
        start(usersFile("alice = " + hash("s3cret"), "bob = plain:bobpw"), true);
        RemoteError wrong = refused("alice", "S3cret");
        assertEquals(ErrorCode.AUTHENTICATION_FAILED, wrong.code());
        assertTrue(wrong.getMessage().startsWith("user 'alice': wrong password or unknown user"), wrong.getMessage());
        assertFalse(wrong.getMessage().contains("S3cret"), wrong.getMessage());

        RemoteError unknown = refused("mallory", "s3cret");
        assertEquals(ErrorCode.AUTHENTICATION_FAILED, unknown.code());
        assertEquals(wrong.getMessage().replace("alice", "mallory"), unknown.getMessage());

        assertEquals(ErrorCode.AUTHENTICATION_FAILED, refused("bob", "bobPW").code());
        assertEquals(ErrorCode.AUTHENTICATION_FAILED, refused("alice", null).code());
        assertEquals(ErrorCode.AUTHENTICATION_FAILED, refused("alice", "").code());
    }

    @Test
    void theBrokerClosesTheConnectionAfterRefusingIt() throws Exception {
        start(usersFile("alice = " + hash("s3cret")), true);
        String answer = rawHandshake("alice", "nope");
        assertTrue(answer.contains("user 'alice': wrong password or unknown user"), answer);
    }

    /** Sends a handshake on a plain socket and returns every byte the broker sent until it closed the socket. */
    private String rawHandshake(String user, String password) throws Exception {
        ByteBuf frame = new Handshake.Request(Handshake.VERSION, null, user, password, 10_000)
                .frame(UnpooledByteBufAllocator.DEFAULT, 1);
        byte[] bytes = new byte[frame.readableBytes()];
        frame.readBytes(bytes);
        frame.release();
        try (Socket s = new Socket("127.0.0.1", broker.brokerPort())) {
            s.setSoTimeout(15_000); // a failure guard: a broker that keeps the socket open fails the read
            s.getOutputStream().write(bytes);
            s.getOutputStream().flush();
            InputStream in = s.getInputStream();
            ByteArrayOutputStream got = new ByteArrayOutputStream();
            byte[] buf = new byte[512];
            for (int n; (n = in.read(buf)) >= 0; ) {
                got.write(buf, 0, n);
            }
            return got.toString(StandardCharsets.UTF_8);
        }
    }

    @Test
    void anonymousIsAcceptedByDefault() throws Exception {
        start(usersFile("alice = " + hash("s3cret")), true);
        connect(null, null).close();
        connect("", null).close();
        // A password without a user name is still anonymous.
        connect(null, "whatever").close();
    }

    @Test
    void anonymousIsRefusedWhenNotAllowed() throws Exception {
        start(usersFile("alice = " + hash("s3cret")), false);
        RemoteError e = refused(null, null);
        assertEquals(ErrorCode.AUTHENTICATION_FAILED, e.code());
        assertTrue(e.getMessage().contains("anonymous connections are not accepted") && e.getMessage().contains("allowAnonymous=false"),
                e.getMessage());
        assertEquals(ErrorCode.AUTHENTICATION_FAILED, refused("", "x").code());
        connect("alice", "s3cret").close();
    }

    @Test
    void withoutAUsersFileEveryConnectionIsAccepted() throws Exception {
        broker = Broker.start(config());
        assertFalse(broker.context().authenticator().enabled());
        connect("j2ee", "j2ee").close();
        connect("anyone", "any password").close();
        connect(null, null).close();
    }

    @Test
    void usersAddedToTheFileCanLogInWithoutARestart() throws Exception {
        Path f = usersFile("alice = " + hash("s3cret"));
        start(f, true);
        assertEquals(ErrorCode.AUTHENTICATION_FAILED, refused("bob", "bobpw").code());

        UsersFile.read(f).withUser("bob", hash("bobpw")).write();
        connect("bob", "bobpw").close();
        connect("alice", "s3cret").close();

        UsersFile.read(f).without("alice").write();
        assertEquals(ErrorCode.AUTHENTICATION_FAILED, refused("alice", "s3cret").code());
    }

    @Test
    void aBrokenOrMissingFileKeepsThePreviousUsers() throws Exception {
        Path f = usersFile("alice = " + hash("s3cret"));
        start(f, true);
        Files.write(f, List.of("alice = " + hash("new"), "this line has no equals sign"));
        connect("alice", "s3cret").close();
        assertEquals(ErrorCode.AUTHENTICATION_FAILED, refused("alice", "new").code());

        Files.delete(f);
        connect("alice", "s3cret").close();

        // Fixed again: the new version takes over.
        UsersFile.empty(f).withUser("alice", hash("new")).write();
        connect("alice", "new").close();
        assertEquals(ErrorCode.AUTHENTICATION_FAILED, refused("alice", "s3cret").code());
    }

    @Test
    void aMalformedFileStopsTheBrokerFromStarting() throws Exception {
        Path f = usersFile("alice = " + hash("s3cret"), "bob = md5:abc");
        BrokerStartException e = assertThrows(BrokerStartException.class, () -> start(f, true));
        assertTrue(e.getMessage().contains("users file " + f + " line 2: user 'bob'"), e.getMessage());
        assertTrue(e.getMessage().contains("not scheme 'md5'"), e.getMessage());
        // Refused before the store was opened: the data directory was not even created.
        assertFalse(Files.exists(dir.resolve("data")));
    }

    @Test
    void aMissingFileStopsTheBrokerFromStarting() {
        Path f = dir.resolve("nope.properties");
        BrokerStartException e = assertThrows(BrokerStartException.class, () -> start(f, true));
        assertTrue(e.getMessage().contains("users file " + f) && e.getMessage().contains("does not exist")
                && e.getMessage().contains("keel users add"), e.getMessage());
    }

    @Test
    void configKeys() throws Exception {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> config().set("allowAnonymous", "false").validate());
        assertTrue(e.getMessage().contains("allowAnonymous=false needs a usersFile"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> config().set("allowAnonymous", "maybe").validate());

        // Relative to the config file's directory, not to the working directory.
        Path conf = Files.createDirectories(dir.resolve("etc")).resolve("broker.properties");
        Files.write(conf, List.of("usersFile = users.properties"));
        BrokerConfig c = BrokerConfig.load(conf, List.of());
        assertEquals(dir.resolve("etc/users.properties").toAbsolutePath(), c.usersFile());
        // With --set: relative to the working directory.
        BrokerConfig o = BrokerConfig.load(null, List.of("usersFile=u.properties"));
        assertEquals(Path.of("u.properties").toAbsolutePath(), o.usersFile());
        assertEquals(null, BrokerConfig.defaults().usersFile());
        assertNotNull(BrokerConfig.KEYS.stream().filter(k -> k.name().equals("allowAnonymous")).findFirst().orElse(null));
    }
}
