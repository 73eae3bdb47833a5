package io.keel.broker.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
import io.keel.protocol.client.ProtocolClient;
import picocli.CommandLine;

/** {@code keel admin} against an in-process broker: every subcommand, and its errors. */
class AdminCommandTest {

    @TempDir
    Path dir;
    private Broker broker;
    private String address;

    @BeforeEach
    void start() {
        broker = Broker.start(BrokerConfig.defaults().set("dataDir", dir.toString()).set("brokerPort", "0")
                .set("nameServerPort", "0").set("segmentSize", "4m").set("maxMessageSize", "1m"));
        address = "127.0.0.1:" + broker.brokerPort();
    }

    @AfterEach
    void stop() {
        broker.close();
    }

    /** Runs {@code keel admin ...}; returns exit status, stdout and stderr. */
    private String[] admin(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = KeelCommand.commandLine();
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        String[] full = new String[args.length + 3];
        full[0] = "admin";
        System.arraycopy(args, 0, full, 1, args.length);
        full[args.length + 1] = "--broker";
        full[args.length + 2] = address;
        int status = cl.execute(full);
        return new String[] {Integer.toString(status), out.toString(), err.toString()};
    }

    @Test
    void createListPurgeDeleteAndStats() throws Exception {
        assertEquals("0", admin("create", "orders", "--queues", "3")[0]);
        assertEquals("0", admin("create", "prices", "--topic")[0]);
        try (ProtocolClient c = ProtocolClient.connect("127.0.0.1", broker.brokerPort(), ProtocolClient.Options.defaults())) {
            for (int i = 0; i < 5; i++) {
                io.keel.broker.TestBrokersAccess.send(c, "orders", "m" + i);
            }
        }
        String[] list = admin("list");
        assertEquals("0", list[0], list[2]);
        assertTrue(list[1].matches("(?s).*queue\\s+orders\\s+3\\s+5\\s+0\\s+0\\s+5\\s+0\\s+0.*"), list[1]);
        assertTrue(list[1].contains("DEAD-LETTER"), list[1]);

        try (ProtocolClient c = ProtocolClient.connect("127.0.0.1", broker.brokerPort(), ProtocolClient.Options.defaults())) {
            io.keel.protocol.command.CreateConsumer cc = new io.keel.protocol.command.CreateConsumer(1,
                    io.keel.protocol.DestinationType.QUEUE, "orders", io.keel.protocol.command.CreateConsumer.KIND_QUEUE,
                    null, "n > 1", false, 0, Long.MAX_VALUE);
            c.request(id -> cc.frame(c.channel().alloc(), id)).get(10, java.util.concurrent.TimeUnit.SECONDS).release();
            String[] subs = admin("subscriptions");
            assertEquals("0", subs[0], subs[2]);
            assertTrue(subs[1].matches("(?s).*queue\\s+orders\\s+queue\\s+-\\s+-\\s+5\\s+0\\s+1\\s+0\\s+0\\s+-.*"),
                    subs[1]);
        }
        assertTrue(list[1].matches("(?s).*topic\\s+prices\\s+1\\s+0\\s+0\\s+0\\s+0.*"), list[1]); // the default: one queue id

        String[] purge = admin("purge", "orders");
        assertEquals("0", purge[0], purge[2]);
        assertTrue(purge[1].contains("purged 5 messages"), purge[1]);
        assertTrue(admin("list")[1].matches("(?s).*queue\\s+orders\\s+3\\s+0\\s+0\\s+0\\s+5.*"));

        String[] configured = admin("configure", "orders", "--set", "maxDeliveries=4", "--set", "expiryQueue=old");
        assertEquals("0", configured[0], configured[2]);
        assertTrue(configured[1].matches("(?s).*maxDeliveries\\s+4.*expiryQueue\\s+old.*"), configured[1]);
        String[] bad = admin("configure", "orders", "--set", "maxDeliveries=many");
        assertEquals("1", bad[0]);
        assertTrue(bad[2].contains("maxDeliveries='many' is not a whole number"), bad[2]);

        String[] stats = admin("stats");
        assertTrue(stats[1].contains("store.appendedRecords") && stats[1].contains("broker.destinations"), stats[1]);

        assertEquals("0", admin("delete", "orders")[0]);
        assertTrue(!admin("list")[1].contains("orders"));
    }

    @Test
    void aConnectionThatSentToADeletedDestinationSendsToItsNewIncarnation() throws Exception {
        try (ProtocolClient c = ProtocolClient.connect("127.0.0.1", broker.brokerPort(), ProtocolClient.Options.defaults())) {
            io.keel.broker.TestBrokersAccess.send(c, "reborn", "before the delete");
            assertEquals("0", admin("delete", "reborn")[0]);
            io.keel.broker.TestBrokersAccess.send(c, "reborn", "after the delete"); // same connection
        }
        String[] list = admin("list");
        assertEquals("0", list[0], list[2]);
        // Created again on first use, holding the one message sent after the delete.
        assertTrue(list[1].matches("(?s).*queue\\s+reborn\\s+1\\s+1\\s.*"), list[1]);
    }

    @Test
    void credentialsForABrokerThatRefusesAnonymousConnections() throws Exception {
        broker.close();
        java.nio.file.Path users = dir.resolve("users.properties");
        java.nio.file.Files.write(users, java.util.List.of("ops = plain:opspw"));
        broker = Broker.start(BrokerConfig.defaults().set("dataDir", dir.toString()).set("brokerPort", "0")
                .set("nameServerPort", "0").set("segmentSize", "4m").set("maxMessageSize", "1m")
                .set("usersFile", users.toString()).set("allowAnonymous", "false"));
        address = "127.0.0.1:" + broker.brokerPort();
        String[] anonymous = admin("list");
        assertEquals("1", anonymous[0]);
        assertTrue(anonymous[2].contains("AUTHENTICATION_FAILED: anonymous connections are not accepted"), anonymous[2]);
        String[] wrong = admin("list", "--user", "ops", "--password", "nope");
        assertEquals("1", wrong[0]);
        assertTrue(wrong[2].contains("AUTHENTICATION_FAILED: user 'ops': wrong password or unknown user"), wrong[2]);
        String[] ok = admin("create", "q1", "--user", "ops", "--password", "opspw");
        assertEquals("0", ok[0], ok[2]);
    }

    @Test
    void errorsAreClearAndExitNonZero() {
        assertEquals("0", admin("create", "dup")[0]);
        String[] again = admin("create", "dup");
        assertEquals("1", again[0]);
        assertTrue(again[2].contains("ALREADY_EXISTS") && again[2].contains("queue 'dup' already exists"), again[2]);
        String[] missing = admin("delete", "nope");
        assertEquals("1", missing[0]);
        assertTrue(missing[2].contains("queue 'nope' does not exist"), missing[2]);
        String[] badCount = admin("create", "q", "--queues", "5000");
        assertTrue(badCount[2].contains("queue count 5000"), badCount[2]);
        address = "127.0.0.1:1";
        String[] unreachable = admin("list");
        assertEquals("1", unreachable[0]);
        assertTrue(unreachable[2].contains("cannot connect to 127.0.0.1:1"), unreachable[2]);
    }
}
