package io.keel.broker.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.keel.broker.auth.UsersFile;
import picocli.CommandLine;

/** {@code keel users}: add, remove, list on a users file, and their errors. */
class UsersCommandTest {

    @TempDir
    Path dir;

    /** Runs {@code keel users ...}; returns exit status, stdout and stderr. */
    private static String[] users(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = KeelCommand.commandLine();
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        List<String> full = new ArrayList<>(List.of("users"));
        full.addAll(List.of(args));
        int status = cl.execute(full.toArray(String[]::new));
        return new String[] {Integer.toString(status), out.toString(), err.toString()};
    }

    @Test
    void addListRemove() throws Exception {
        Path f = dir.resolve("conf/users.properties");
        String[] added = users("add", "alice", "--password", "s3cret", "--iterations", "1000", "--file", f.toString());
        assertEquals("0", added[0], added[2]);
        assertTrue(added[1].contains("added user 'alice' in " + f), added[1]);
        assertTrue(UsersFile.read(f).users().get("alice").matches("s3cret"));
        assertFalse(Files.readString(f).contains("s3cret"), "the password is stored hashed");

        assertEquals("0", users("add", "--file", f.toString(), "bob", "--password", "pw")[0]);
        String[] list = users("list", "--file", f.toString());
        assertEquals("0", list[0], list[2]);
        assertEquals(List.of("alice  pbkdf2-sha256, 1000 iterations", "bob  pbkdf2-sha256, 100000 iterations"),
                list[1].lines().toList());

        String[] again = users("add", "alice", "--password", "other", "--file", f.toString());
        assertEquals("1", again[0]);
        assertTrue(again[2].contains("user 'alice' already exists in " + f + "; add --force"), again[2]);
        assertTrue(UsersFile.read(f).users().get("alice").matches("s3cret"), "unchanged");
        String[] forced = users("add", "alice", "--password", "other", "--force", "--iterations", "1000", "--file", f.toString());
        assertEquals("0", forced[0], forced[2]);
        assertTrue(forced[1].contains("changed the password of user 'alice'"), forced[1]);
        assertTrue(UsersFile.read(f).users().get("alice").matches("other"));

        String[] removed = users("remove", "alice", "--file", f.toString());
        assertEquals("0", removed[0], removed[2]);
        assertEquals(List.of("bob"), List.copyOf(UsersFile.read(f).users().keySet()));
        String[] missing = users("remove", "alice", "--file", f.toString());
        assertEquals("1", missing[0]);
        assertTrue(missing[2].contains("user 'alice' is not in users file " + f), missing[2]);
    }

    @Test
    void theFileComesFromTheBrokerConfig() throws Exception {
        Path conf = Files.createDirectories(dir.resolve("etc")).resolve("broker.properties");
        Files.write(conf, List.of("usersFile = keel-users"));
        String[] added = users("add", "j2ee", "--password", "j2ee", "--iterations", "1000", "--config", conf.toString());
        assertEquals("0", added[0], added[2]);
        assertTrue(UsersFile.read(dir.resolve("etc/keel-users")).users().get("j2ee").matches("j2ee"));

        Path bare = dir.resolve("bare.properties");
        Files.write(bare, List.of("brokerName = b"));
        String[] none = users("list", "--config", bare.toString());
        assertEquals("2", none[0]);
        assertTrue(none[2].contains("sets no usersFile; give --file PATH"), none[2]);
    }

    @Test
    void withoutPasswordOptionThePasswordIsReadFromStandardInput() throws Exception {
        Path f = dir.resolve("users.properties");
        InputStream saved = System.in;
        // Tests run without a terminal, so System.console() is null and standard input is read.
        System.setIn(new ByteArrayInputStream("from-stdin\n".getBytes(StandardCharsets.UTF_8)));
        try {
            String[] added = users("add", "carol", "--iterations", "1000", "--file", f.toString());
            assertEquals("0", added[0], added[2]);
        } finally {
            System.setIn(saved);
        }
        assertTrue(UsersFile.read(f).users().get("carol").matches("from-stdin"));
    }

    @Test
    void errorsAreClear() throws Exception {
        Path f = dir.resolve("users.properties");
        String[] badName = users("add", "no spaces", "--password", "x", "--file", f.toString());
        assertEquals("2", badName[0]);
        assertTrue(badName[2].contains("user name 'no spaces' must be"), badName[2]);
        String[] weak = users("add", "a", "--password", "x", "--iterations", "10", "--file", f.toString());
        assertEquals("2", weak[0]);
        assertTrue(weak[2].contains("iteration count 10 is not within"), weak[2]);
        assertFalse(Files.exists(f), "nothing written after an error");

        String[] absent = users("list", "--file", f.toString());
        assertEquals("1", absent[0]);
        assertTrue(absent[2].contains("users file " + f + " does not exist"), absent[2]);

        Files.write(f, List.of("a = plain:x", "garbage"));
        String[] malformed = users("add", "b", "--password", "y", "--file", f.toString());
        assertEquals("2", malformed[0]);
        assertTrue(malformed[2].contains("users file " + f + " line 2: expected 'name = password'"), malformed[2]);
        assertEquals(List.of("a = plain:x", "garbage"), Files.readAllLines(f), "a malformed file is left alone");
    }
}
