package io.keel.broker.auth;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The users file: who may connect to the broker, and with which password. It is a UTF-8 text file of
 * lines in the style of a properties file:
 * <pre>
 * # comments start with '#' or '!'; blank lines are ignored
 * alice = pbkdf2-sha256:100000:3q2+7w...==:n5Fz...=
 * j2ee  = plain:j2ee
 * </pre>
 * <ul>
 *   <li>a user line is {@code name = password}; spaces around the name, '=' and the password are
 *       ignored;</li>
 *   <li>a name is 1 to 128 characters out of {@code A-Z a-z 0-9 . _ @ -} (no escapes, unlike
 *       java.util.Properties, so what you see is the name);</li>
 *   <li>a name appears once;</li>
 *   <li>the password is in one of the forms of {@link PasswordHash}.</li>
 * </ul>
 * A line breaking a rule makes the whole file invalid: {@link #read} throws a
 * {@link UsersFileException} naming the file, the line number and the rule.
 *
 * <p>Edits ({@link #withUser}, {@link #without}) keep every other line, comments included, and
 * {@link #write} replaces the file atomically (a temporary file in the same directory, forced to disk,
 * then renamed over it), so the broker never reads half a file. New files are readable by their owner
 * only where the file system supports POSIX permissions.
 */
public final class UsersFile {

    /** The rule for user names. */
    public static final Pattern NAME = Pattern.compile("[A-Za-z0-9._@-]{1,128}");

    private final Path path;
    private final List<String> lines;
    private final Map<String, PasswordHash> users;
    /** Index (from 0) in {@link #lines} of each user's line. */
    private final Map<String, Integer> lineOf;

    private UsersFile(Path path, List<String> lines, Map<String, PasswordHash> users, Map<String, Integer> lineOf) {
        this.path = path;
        this.lines = List.copyOf(lines);
        this.users = Collections.unmodifiableMap(users);
        this.lineOf = lineOf;
    }

    /** An empty users file at {@code path} (not written until {@link #write}). */
    public static UsersFile empty(Path path) {
        return new UsersFile(path, List.of(), new LinkedHashMap<>(), new LinkedHashMap<>());
    }

    /**
     * Reads and checks a users file. Throws {@link NoSuchFileException} when it does not exist and
     * {@link UsersFileException} when a line breaks a rule.
     */
    public static UsersFile read(Path path) throws IOException {
        List<String> lines;
        try {
            lines = Files.readAllLines(path, StandardCharsets.UTF_8);
        } catch (CharacterCodingException e) {
            throw new UsersFileException(path, 0, "the file is not valid UTF-8");
        }
        return parse(path, lines);
    }

    static UsersFile parse(Path path, List<String> lines) {
        Map<String, PasswordHash> users = new LinkedHashMap<>();
        Map<String, Integer> lineOf = new LinkedHashMap<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            int number = i + 1;
            if (line.isEmpty() || line.startsWith("#") || line.startsWith("!")) {
                continue;
            }
            int eq = line.indexOf('=');
            if (eq < 0) {
                throw new UsersFileException(path, number, "expected 'name = password', found no '='");
            }
            String name = line.substring(0, eq).strip();
            checkName(path, number, name);
            if (users.containsKey(name)) {
                throw new UsersFileException(path, number, "user '" + name + "' is already defined on line "
                        + (lineOf.get(name) + 1));
            }
            try {
                users.put(name, PasswordHash.parse(line.substring(eq + 1).strip()));
            } catch (IllegalArgumentException e) {
                throw new UsersFileException(path, number, "user '" + name + "': " + e.getMessage());
            }
            lineOf.put(name, i);
        }
        return new UsersFile(path, lines, users, lineOf);
    }

    private static void checkName(Path path, int line, String name) {
        if (!NAME.matcher(name).matches()) {
            throw new UsersFileException(path, line, "user name '" + name + "' must be 1 to 128 characters of "
                    + "A-Z a-z 0-9 . _ @ -");
        }
    }

    /** Whether {@code name} is a valid user name. */
    public static boolean validName(String name) {
        return name != null && NAME.matcher(name).matches();
    }

    public Path path() {
        return path;
    }

    /** Users in file order, with their stored passwords. */
    public Map<String, PasswordHash> users() {
        return users;
    }

    /**
     * The file with {@code name} given the stored password {@code encoded} (from
     * {@link PasswordHash#encode}): its line replaced where it is, or appended.
     */
    public UsersFile withUser(String name, String encoded) {
        if (!validName(name)) {
            throw new IllegalArgumentException("user name '" + name + "' must be 1 to 128 characters of A-Z a-z 0-9 . _ @ -");
        }
        PasswordHash.parse(encoded);
        List<String> out = new ArrayList<>(lines);
        String line = name + " = " + encoded;
        Integer at = lineOf.get(name);
        if (at != null) {
            out.set(at, line);
        } else {
            out.add(line);
        }
        return parse(path, out);
    }

    /** The file without {@code name}'s line; IllegalArgumentException if there is no such user. */
    public UsersFile without(String name) {
        Integer at = lineOf.get(name);
        if (at == null) {
            throw new IllegalArgumentException("user '" + name + "' is not in users file " + path);
        }
        List<String> out = new ArrayList<>(lines);
        out.remove((int) at);
        return parse(path, out);
    }

    /** Replaces the file on disk atomically with this content. */
    public void write() throws IOException {
        Path dir = path.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        // createTempFile makes the file rw for its owner only (POSIX): password hashes stay private.
        Path tmp = Files.createTempFile(dir, "." + path.getFileName() + ".", ".tmp");
        try {
            StringBuilder sb = new StringBuilder();
            for (String l : lines) {
                sb.append(l).append('\n');
            }
            Files.writeString(tmp, sb, StandardCharsets.UTF_8);
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
                ch.force(true);
            }
            try {
                Files.move(tmp, path, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, path, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
    }
}
