package io.keel.broker.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The users file format: hashes, the rules of a line, edits that keep comments, atomic writes. */
class UsersFileTest {

    @TempDir
    Path dir;

    @Test
    void pbkdf2HashesVerifyOnlyTheirPassword() {
        String stored = PasswordHash.encode("pässword".toCharArray(), 1000);
        assertTrue(stored.matches("pbkdf2-sha256:1000:[A-Za-z0-9+/=]{24}:[A-Za-z0-9+/=]{44}"), stored);
        PasswordHash h = PasswordHash.parse(stored);
        assertTrue(h.matches("pässword"));
        assertFalse(h.matches("password"));
        assertFalse(h.matches(""));
        assertFalse(h.matches(null));
        assertEquals(1000, h.iterations());
        // A fresh salt every time: the same password never gives the same line.
        assertNotEquals(stored, PasswordHash.encode("pässword".toCharArray(), 1000));
    }

    @Test
    void plainPasswordsMatchExactly() {
        PasswordHash h = PasswordHash.parse("plain:a:b c");
        assertEquals(PasswordHash.PLAIN, h.scheme());
        assertTrue(h.matches("a:b c"));
        assertFalse(h.matches("a:b"));
        assertTrue(PasswordHash.parse("plain:").matches(""));
    }

    private static String parseError(String... lines) {
        return assertThrows(UsersFileException.class, () -> UsersFile.parse(Path.of("u.txt"), List.of(lines))).getMessage();
    }

    @Test
    void everyRuleIsNamedWithItsLine() {
        String ok = PasswordHash.encode("x".toCharArray(), 1000);
        assertEquals("users file u.txt line 2: expected 'name = password', found no '='", parseError("# c", "alice"));
        assertTrue(parseError("al ice = " + ok).startsWith("users file u.txt line 1: user name 'al ice' must be"));
        assertTrue(parseError(" = " + ok).contains("user name '' must be"));
        assertEquals("users file u.txt line 3: user 'a' is already defined on line 1",
                parseError("a = plain:x", "", "a = plain:y"));
        assertTrue(parseError("a = sha1:abc").contains("line 1: user 'a': the password must be 'pbkdf2-sha256:"));
        assertTrue(parseError("a = pbkdf2-sha256:1000:AAAAAAAAAAA=").contains("has 4 fields"));
        assertTrue(parseError("a = pbkdf2-sha256:many:AAAAAAAAAAA=:AAAA").contains("'many' is not a whole number"));
        assertTrue(parseError("a = pbkdf2-sha256:10:AAAAAAAAAAA=:AAAA").contains("iteration count 10 is not within"));
        assertTrue(parseError("a = pbkdf2-sha256:1000:!!:AAAA").contains("the salt is not valid base64"));
        assertTrue(parseError("a = pbkdf2-sha256:1000:AAAA:AAAA").contains("the salt has 3 bytes"));
        assertTrue(parseError("a = pbkdf2-sha256:1000:AAAAAAAAAAA=:AAAA").contains("the hash has 3 bytes"));
        // The stored value (maybe a password) is never quoted in an error.
        assertFalse(parseError("a = topsecret").contains("topsecret"));
    }

    @Test
    void commentsBlankLinesAndSpacesAreAllowed() {
        UsersFile f = UsersFile.parse(Path.of("u"), List.of("# users", "! also a comment", "", "  j2ee=plain:j2ee  ",
                "x.y@z-1_2 =   plain:p"));
        assertEquals(List.of("j2ee", "x.y@z-1_2"), List.copyOf(f.users().keySet()));
        assertTrue(f.users().get("j2ee").matches("j2ee"));
    }

    @Test
    void editsKeepOtherLinesAndWritesAreAtomic() throws Exception {
        Path p = dir.resolve("users.properties");
        Files.write(p, List.of("# keep me", "a = plain:1", "b = plain:2"));
        UsersFile.read(p).withUser("a", "plain:one").withUser("c", "plain:3").without("b").write();
        assertEquals(List.of("# keep me", "a = plain:one", "c = plain:3"), Files.readAllLines(p));
        try (var files = Files.list(dir)) {
            assertEquals(List.of(p), files.toList(), "no temporary file is left behind");
        }
        assertThrows(IllegalArgumentException.class, () -> UsersFile.read(p).without("zz"));
        assertThrows(IllegalArgumentException.class, () -> UsersFile.read(p).withUser("bad name", "plain:x"));
        assertThrows(NoSuchFileException.class, () -> UsersFile.read(dir.resolve("missing")));
        if (p.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            assertEquals("rw-------", java.nio.file.attribute.PosixFilePermissions.toString(
                    Files.getPosixFilePermissions(p)));
        }
    }
}
