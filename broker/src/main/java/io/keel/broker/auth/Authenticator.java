package io.keel.broker.auth;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.keel.broker.BrokerStartException;
import io.keel.broker.config.BrokerConfig;
import io.keel.protocol.command.ErrorCode;
import io.keel.protocol.command.ErrorReply;

/**
 * Decides whether a handshake's user and password may connect to the broker, from the config keys
 * {@code usersFile} and {@code allowAnonymous}:
 * <ul>
 *   <li>no users file: authentication is off, every connection is accepted (one WARN at start);</li>
 *   <li>no user name (null or empty): accepted if {@code allowAnonymous}, else refused;</li>
 *   <li>a user name: accepted if the users file has it with that password. Wrong password and unknown
 *       user give the same answer, and an unknown user costs the same PBKDF2 run as a known one, so
 *       neither the message nor the time tells which user names exist.</li>
 * </ul>
 * PBKDF2 takes milliseconds of CPU by design, so passwords are checked on this class's own threads (at
 * most two, as logins are rare next to messages), never on a Netty event loop where it would stall every
 * connection of that loop. At most {@value #MAX_WAITING} logins wait; more are refused as "busy".
 *
 * <p>The users file is reloaded when it changes (modification time, size or file identity, checked at
 * each login: one stat call), so operators add users with {@code keel users add} without a restart. A
 * file that became invalid or disappeared keeps the previous good version in force, with one WARN.
 */
public final class Authenticator implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Authenticator.class);
    static final int MAX_WAITING = 1024;

    /** Checked against for unknown users, so they take as long as known ones (created on first need). */
    private static final class Dummy {
        static final PasswordHash HASH = PasswordHash.parse(PasswordHash.encode(new char[0], PasswordHash.DEFAULT_ITERATIONS));
    }

    private final String brokerName;
    private final Path file;
    private final boolean allowAnonymous;
    private final ThreadPoolExecutor checker;
    /** The users in force. */
    private volatile UsersFile users;
    /** The stamp of the last version looked at, good or bad: a bad version is warned about once. */
    private Stamp seen;

    private record Stamp(FileTime modified, long size, Object key) {
    }

    private Authenticator(String brokerName, Path file, boolean allowAnonymous) {
        this.brokerName = brokerName;
        this.file = file;
        this.allowAnonymous = allowAnonymous;
        if (file == null) {
            checker = null;
            return;
        }
        try {
            Stamp s = stamp();
            users = UsersFile.read(file);
            seen = s;
        } catch (NoSuchFileException e) {
            throw new BrokerStartException("cannot start: users file " + file + " (config key usersFile) does not "
                    + "exist; create it with 'keel users add NAME --file " + file + "'", e);
        } catch (IOException e) {
            throw new BrokerStartException("cannot start: cannot read users file " + file + ": " + e, e);
        } catch (UsersFileException e) {
            throw new BrokerStartException("cannot start: " + e.getMessage(), e);
        }
        warnAboutPlainPasswords(users);
        AtomicInteger n = new AtomicInteger();
        checker = new ThreadPoolExecutor(2, 2, 60, TimeUnit.SECONDS, new ArrayBlockingQueue<>(MAX_WAITING), r -> {
            Thread t = new Thread(r, "keel-auth-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        checker.allowCoreThreadTimeOut(true);
    }

    /** The authenticator of a broker's configuration; a bad users file is a {@link BrokerStartException}. */
    public static Authenticator of(BrokerConfig config) {
        Authenticator a = new Authenticator(config.brokerName(), config.usersFile(), config.allowAnonymous());
        if (a.file == null) {
            LOG.warn("broker '{}': authentication is off (config key usersFile is empty): every connection is accepted, "
                    + "with or without credentials", config.brokerName());
        } else {
            LOG.info("broker '{}': authentication on, {} users in {}; connections without a user name are {}",
                    config.brokerName(), a.users.users().size(), a.file, a.allowAnonymous ? "accepted" : "refused");
        }
        return a;
    }

    /** Whether a users file is configured. */
    public boolean enabled() {
        return file != null;
    }

    /**
     * Checks a handshake's credentials: completes with null to accept, or with the error reply that
     * refuses the connection. Completes at once unless a password has to be checked.
     */
    public CompletableFuture<ErrorReply> authenticate(String user, String password) {
        if (file == null) {
            return CompletableFuture.completedFuture(null);
        }
        if (user == null || user.isEmpty()) {
            return CompletableFuture.completedFuture(allowAnonymous ? null
                    : new ErrorReply(ErrorCode.AUTHENTICATION_FAILED, "anonymous connections are not accepted: broker '"
                            + brokerName + "' requires a user name and password (allowAnonymous=false)"));
        }
        try {
            return CompletableFuture.supplyAsync(() -> check(user, password), checker);
        } catch (RejectedExecutionException e) {
            return CompletableFuture.completedFuture(new ErrorReply(ErrorCode.INTERNAL, "broker '" + brokerName
                    + "' is busy: " + MAX_WAITING + " logins are waiting to be checked; try again"));
        }
    }

    private ErrorReply check(String user, String password) {
        PasswordHash stored = current().users().get(user);
        if (stored != null && stored.matches(password)) {
            return null;
        }
        if (stored == null) {
            Dummy.HASH.matches(password);
        }
        return new ErrorReply(ErrorCode.AUTHENTICATION_FAILED, "user '" + printable(user)
                + "': wrong password or unknown user (broker '" + brokerName + "')");
    }

    /** The users in force, reloaded first if the file changed since it was last looked at. */
    UsersFile current() {
        synchronized (this) {
            Stamp now;
            try {
                now = stamp();
            } catch (IOException e) {
                now = null;
            }
            if (Objects.equals(now, seen)) {
                return users;
            }
            seen = now;
            if (now == null) {
                LOG.warn("broker '{}': users file {} is gone or unreadable; the {} users loaded before stay in force",
                        brokerName, file, users.users().size());
                return users;
            }
            try {
                UsersFile fresh = UsersFile.read(file);
                users = fresh;
                LOG.info("broker '{}': users file {} reloaded, {} users", brokerName, file, fresh.users().size());
                warnAboutPlainPasswords(fresh);
            } catch (UsersFileException e) {
                LOG.warn("broker '{}': {}; the users loaded before stay in force until the file is fixed",
                        brokerName, e.getMessage());
            } catch (IOException e) {
                LOG.warn("broker '{}': cannot read users file {} ({}); the users loaded before stay in force",
                        brokerName, file, e.toString());
            }
            return users;
        }
    }

    private Stamp stamp() throws IOException {
        BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class);
        return new Stamp(a.lastModifiedTime(), a.size(), a.fileKey());
    }

    private void warnAboutPlainPasswords(UsersFile f) {
        List<String> plain = new ArrayList<>();
        for (Map.Entry<String, PasswordHash> e : f.users().entrySet()) {
            if (e.getValue().scheme().equals(PasswordHash.PLAIN)) {
                plain.add(e.getKey());
            }
        }
        if (!plain.isEmpty()) {
            LOG.warn("broker '{}': users file {} stores the passwords of {} in plain text (for tests only; "
                    + "'keel users add' writes hashes)", brokerName, f.path(), plain);
        }
    }

    /** A user name as it may appear in a log line or error: bounded and without control characters. */
    private static String printable(String user) {
        String s = user.length() > 64 ? user.substring(0, 64) + "..." : user;
        return s.replaceAll("\\p{Cntrl}", "?");
    }

    @Override
    public void close() {
        if (checker != null) {
            checker.shutdownNow();
        }
    }
}
