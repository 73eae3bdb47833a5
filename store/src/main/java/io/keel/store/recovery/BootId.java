package io.keel.store.recovery;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;

/**
 * Identifies the operating system's current boot, so that recovery can tell a process crash (the
 * page cache, with every ConsumeQueue entry written into it, survives and reaches the disk) from a
 * machine crash or restart (whatever was not forced may be gone). On Linux it is the kernel's
 * {@code /proc/sys/kernel/random/boot_id}, folded to 64 bits; elsewhere it is {@link #UNKNOWN}, and
 * recovery relies only on what was forced.
 *
 * <p>The system property {@code keel.store.bootIdFile} names another file to read it from; tests use
 * it to play a restarted machine.
 */
public final class BootId {

    /** No boot id is known: nothing written but not forced is trusted. */
    public static final long UNKNOWN = 0;

    private static final String LINUX_FILE = "/proc/sys/kernel/random/boot_id";

    private BootId() {
    }

    /** The current boot's id, or {@link #UNKNOWN}. Reads the file on every call (at open and per checkpoint). */
    public static long current() {
        Path file = Path.of(System.getProperty("keel.store.bootIdFile", LINUX_FILE));
        try {
            if (!Files.isReadable(file)) {
                return UNKNOWN;
            }
            UUID id = UUID.fromString(Files.readString(file).trim());
            long folded = id.getMostSignificantBits() ^ id.getLeastSignificantBits();
            return folded == UNKNOWN ? 1 : folded;
        } catch (IOException | IllegalArgumentException e) {
            return UNKNOWN;
        }
    }
}
