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
 * rename) by the store's housekeeping and at close.
 *
 * <pre>
 *  0       4       8               16              24      28      32              40      44
 *  +-------+-------+---------------+---------------+-------+-------+---------------+-------+
 *  | magic | vers  | commitLogFlush| dispatched    | queues| rsvd  | writtenAtMs   | crc32c|
 *  +-------+-------+---------------+---------------+-------+-------+---------------+-------+
 * </pre>
 *
 * <ul>
 *   <li>{@code commitLogFlush}: every CommitLog byte below it has been forced (a record boundary).</li>
 *   <li>{@code dispatched}: every record below it has its ConsumeQueue entry forced.</li>
 *   <li>{@code queues}: number of ConsumeQueues at that time (a missing queue directory is noticed).</li>
 *   <li>{@code crc32c}: over bytes [0, 40).</li>
 * </ul>
 */
public record Checkpoint(long commitLogFlushedOffset, long dispatchedOffset, int queueCount, long writtenAtMillis) {

    public static final int MAGIC = 0x4B4C4350;
    public static final int VERSION = 1;
    public static final int SIZE = 44;
    private static final int CRC_POSITION = 40;

    /** Thrown when the file exists but is not a valid checkpoint. */
    public static final class CorruptException extends IOException {
        public CorruptException(String message) {
            super(message);
        }
    }

    public ByteBuffer encode() {
        ByteBuffer b = ByteBuffer.allocate(SIZE);
        b.putInt(MAGIC).putInt(VERSION).putLong(commitLogFlushedOffset).putLong(dispatchedOffset)
                .putInt(queueCount).putInt(0).putLong(writtenAtMillis);
        CRC32C crc = new CRC32C();
        crc.update(b.array(), 0, CRC_POSITION);
        b.putInt((int) crc.getValue());
        return b.flip();
    }

    public static Checkpoint decode(ByteBuffer b, Path source) throws CorruptException {
        if (b.remaining() != SIZE) {
            throw new CorruptException("checkpoint " + source + " is " + b.remaining() + " bytes, expected " + SIZE);
        }
        CRC32C crc = new CRC32C();
        ByteBuffer head = b.duplicate();
        head.limit(head.position() + CRC_POSITION);
        crc.update(head);
        int p = b.position();
        if (b.getInt(p) != MAGIC || b.getInt(p + 4) != VERSION) {
            throw new CorruptException("checkpoint " + source + " has an unknown magic or version");
        }
        if ((int) crc.getValue() != b.getInt(p + CRC_POSITION)) {
            throw new CorruptException("checkpoint " + source + " fails its CRC check");
        }
        Checkpoint c = new Checkpoint(b.getLong(p + 8), b.getLong(p + 16), b.getInt(p + 24), b.getLong(p + 32));
        if (c.commitLogFlushedOffset < 0 || c.dispatchedOffset < 0 || c.queueCount < 0) {
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
