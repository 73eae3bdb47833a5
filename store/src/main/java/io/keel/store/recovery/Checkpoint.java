package io.keel.store.recovery;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.zip.CRC32C;

/**
 * The checkpoint file: positions known to be on disk, written atomically (temporary file, force,
 * rename) by the store's housekeeping and at close. Version 2 (60 bytes, written now):
 *
 * <pre>
 *  0       4       8               16              24      28      32              40              48              56      60
 *  +-------+-------+---------------+---------------+-------+-------+---------------+---------------+---------------+-------+
 *  | magic | vers  | commitLogFlush| dispatched    | queues| rsvd  | writtenAtMs   | cachedDispatch| bootId        | crc32c|
 *  +-------+-------+---------------+---------------+-------+-------+---------------+---------------+---------------+-------+
 * </pre>
 *
 * <ul>
 *   <li>{@code commitLogFlush}: every CommitLog byte below it has been forced (a record boundary).</li>
 *   <li>{@code dispatched}: every record below it has its ConsumeQueue entry forced.</li>
 *   <li>{@code queues}: number of ConsumeQueues at that time (a missing queue directory is noticed).</li>
 *   <li>{@code cachedDispatch}: every record below it has its ConsumeQueue entry written, at least
 *       into the operating system's page cache, which outlives the process but not the machine.</li>
 *   <li>{@code bootId}: the operating system's boot (see {@link BootId}) when it was written, 0 if
 *       unknown. Recovery trusts {@code cachedDispatch} only within the same boot.</li>
 *   <li>{@code crc32c}: over every byte before it.</li>
 * </ul>
 *
 * Version 1 (44 bytes: the first six fields, then the CRC at 40) is still read, as a checkpoint
 * whose cached position is its forced one.
 */
public record Checkpoint(long commitLogFlushedOffset, long dispatchedOffset, int queueCount, long writtenAtMillis,
        long cachedDispatchedOffset, long bootId) {

    public static final int MAGIC = 0x4B4C4350;
    public static final int VERSION = 2;
    public static final int SIZE = 60;
    private static final int CRC_POSITION = 56;
    private static final int V1_SIZE = 44;
    private static final int V1_CRC_POSITION = 40;

    /** A checkpoint without a page-cache position (it equals the forced one). */
    public Checkpoint(long commitLogFlushedOffset, long dispatchedOffset, int queueCount, long writtenAtMillis) {
        this(commitLogFlushedOffset, dispatchedOffset, queueCount, writtenAtMillis, dispatchedOffset, BootId.UNKNOWN);
    }

    /**
     * Where re-dispatching must start after a crash: the page-cache position if the machine has not
     * restarted since this checkpoint was written (a process crash leaves the page cache, and so every
     * ConsumeQueue entry written, in place), else the forced one.
     */
    public long dispatchedOffsetFor(long currentBootId) {
        boolean sameBoot = bootId != BootId.UNKNOWN && bootId == currentBootId;
        return sameBoot ? Math.max(dispatchedOffset, cachedDispatchedOffset) : dispatchedOffset;
    }

    /** Thrown when the file exists but is not a valid checkpoint. */
    public static final class CorruptException extends IOException {
        public CorruptException(String message) {
            super(message);
        }
    }

    public ByteBuffer encode() {
        ByteBuffer b = ByteBuffer.allocate(SIZE);
        b.putInt(MAGIC).putInt(VERSION).putLong(commitLogFlushedOffset).putLong(dispatchedOffset)
                .putInt(queueCount).putInt(0).putLong(writtenAtMillis).putLong(cachedDispatchedOffset).putLong(bootId);
        CRC32C crc = new CRC32C();
        crc.update(b.array(), 0, CRC_POSITION);
        b.putInt((int) crc.getValue());
        return b.flip();
    }

    public static Checkpoint decode(ByteBuffer b, Path source) throws CorruptException {
        int p = b.position();
        if (b.remaining() < 8 || b.getInt(p) != MAGIC) {
            throw new CorruptException("checkpoint " + source + " has an unknown magic");
        }
        int version = b.getInt(p + 4);
        int size = version == 1 ? V1_SIZE : version == VERSION ? SIZE : -1;
        if (size < 0) {
            throw new CorruptException("checkpoint " + source + " has the unknown version " + version);
        }
        if (b.remaining() != size) {
            throw new CorruptException("checkpoint " + source + " is " + b.remaining() + " bytes, expected " + size
                    + " for version " + version);
        }
        int crcPosition = version == 1 ? V1_CRC_POSITION : CRC_POSITION;
        CRC32C crc = new CRC32C();
        ByteBuffer head = b.duplicate();
        head.limit(p + crcPosition);
        crc.update(head);
        if ((int) crc.getValue() != b.getInt(p + crcPosition)) {
            throw new CorruptException("checkpoint " + source + " fails its CRC check");
        }
        long dispatched = b.getLong(p + 16);
        Checkpoint c = version == 1
                ? new Checkpoint(b.getLong(p + 8), dispatched, b.getInt(p + 24), b.getLong(p + 32))
                : new Checkpoint(b.getLong(p + 8), dispatched, b.getInt(p + 24), b.getLong(p + 32), b.getLong(p + 40),
                        b.getLong(p + 48));
        if (c.commitLogFlushedOffset < 0 || c.dispatchedOffset < 0 || c.queueCount < 0
                || c.cachedDispatchedOffset < 0) {
            throw new CorruptException("checkpoint " + source + " holds negative positions");
        }
        return c;
    }

    /** Reads the checkpoint; null if there is none. */
    public static Checkpoint read(Path file) throws IOException {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            return null;
        }
        return decode(ByteBuffer.wrap(bytes), file);
    }

    /** Replaces the checkpoint atomically. */
    public void write(Path file) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            ByteBuffer b = encode();
            while (b.hasRemaining()) {
                ch.write(b);
            }
            ch.force(true);
        }
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }
}
