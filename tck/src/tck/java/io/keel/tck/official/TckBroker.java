package io.keel.tck.official;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.List;

import org.junit.platform.launcher.LauncherSession;
import org.junit.platform.launcher.LauncherSessionListener;

import io.keel.broker.Broker;
import io.keel.broker.config.BrokerConfig;

/**
 * Runs the Keel broker the official Jakarta Messaging TCK talks to: started once when the JUnit
 * Platform launcher session of the Failsafe fork opens (before the first TCK class), closed when it
 * closes (after the last). The TCK has no hook of its own for this, and its tests assume a broker
 * that is already running, with an empty store, and shared by every class (durable subscriptions
 * and queue contents carry from one test to the next, as they would against a real server).
 *
 * <p>Registered only by the {@code tck} profile (META-INF/services in {@code src/tck/resources}), so
 * Keel's own test suites never see it. Ports come from the system properties
 * {@code keel.tck.brokerPort} and {@code keel.tck.nameServerPort}, which the profile sets from the
 * same pom properties it filters into {@code jndi.properties}, so the JNDI URLs and the broker agree.
 *
 * <p>Users, as the TCK needs them: {@code j2ee}/{@code j2ee} (the {@code user}/{@code password}
 * system properties) in a users file, so that wrong credentials are refused with
 * JMSSecurityException, and anonymous connections allowed, because many TCK tests call
 * {@code createConnection()} without credentials.
 */
public final class TckBroker implements LauncherSessionListener {

    public static final String BROKER_PORT = "keel.tck.brokerPort";
    public static final String NAME_SERVER_PORT = "keel.tck.nameServerPort";
    /** Where the fresh data directory is made (the module's target directory under Maven). */
    public static final String WORK_DIR = "keel.tck.workDir";

    private Broker broker;
    private Path dir;

    @Override
    public void launcherSessionOpened(LauncherSession session) {
        try {
            Path parent = Path.of(System.getProperty(WORK_DIR, System.getProperty("java.io.tmpdir")));
            Files.createDirectories(parent);
            // A new directory every run: the TCK assumes an empty store (no subscriptions or messages
            // left over from an earlier, perhaps interrupted, run).
            dir = Files.createTempDirectory(parent, "keel-tck-broker-");
            Path users = dir.resolve("users.properties");
            // plain: is the users file's scheme for test setups (docs/broker.md, Authentication).
            Files.write(users, List.of("# the TCK's user (system properties user/password)", "j2ee = plain:j2ee"));
            broker = Broker.start(BrokerConfig.defaults()
                    .set("dataDir", dir.resolve("data").toString())
                    .set("brokerPort", required(BROKER_PORT))
                    .set("nameServerPort", required(NAME_SERVER_PORT))
                    // Small segments: the TCK's messages are small and the default 1 GiB sparse
                    // segments (two of them, active and next) are needless on a shared build machine.
                    .set("segmentSize", "64m")
                    .set("usersFile", users.toString())
                    .set("allowAnonymous", "true"));
            System.out.println("[keel-tck] " + broker.describe());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare the TCK broker's directory", e);
        }
    }

    @Override
    public void launcherSessionClosed(LauncherSession session) {
        if (broker != null) {
            broker.close();
            broker = null;
        }
        if (dir != null) {
            deleteTree(dir);
            dir = null;
        }
    }

    private static String required(String property) {
        String v = System.getProperty(property);
        if (v == null || v.isBlank()) {
            throw new IllegalStateException("system property " + property + " is not set (the tck profile sets it)");
        }
        return v.trim();
    }

    private static void deleteTree(Path root) {
        try {
            Files.walkFileTree(root, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                    Files.delete(file);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path d, IOException e) throws IOException {
                    Files.delete(d);
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            // Left for `mvn clean`: it lies under target/, and a failed delete must not hide the results.
            System.err.println("[keel-tck] could not delete " + root + ": " + e);
        }
    }
}
