package io.keel.store.commitlog;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Creating, mapping and unmapping the fixed-size files of the CommitLog and ConsumeQueues. */
public final class MappedFiles {

    private static final Logger LOG = LoggerFactory.getLogger(MappedFiles.class);
    private static final int ZERO_CHUNK = 1 << 20;
    private static final Object UNSAFE;
    private static final Method INVOKE_CLEANER;

    static {
        Object unsafe = null;
        Method invokeCleaner = null;
        try {
            Class<?> type = Class.forName("sun.misc.Unsafe");
            Field field = type.getDeclaredField("theUnsafe");
            field.setAccessible(true);
            unsafe = field.get(null);
            invokeCleaner = type.getMethod("invokeCleaner", ByteBuffer.class);
        } catch (ReflectiveOperationException | RuntimeException e) {
            LOG.warn("cannot unmap files explicitly ({}); mappings are released by the garbage collector", e.toString());
        }
        UNSAFE = unsafe;
        INVOKE_CLEANER = invokeCleaner;
    }

    /** Zeros to write from (direct: no temporary copy inside the JDK); never written to. */
    private static final ByteBuffer ZERO_PAGE = ByteBuffer.allocateDirect(4096).asReadOnlyBuffer();

    private MappedFiles() {
    }

    /**
     * Creates (or extends to {@code size}) the file at {@code path}. With {@code zeroFill} the bytes
     * are written, so the file system allocates every block now and a full disk surfaces here as an
     * IOException rather than later as a fault inside a mapped write.
     */
    public static void create(Path path, long size, boolean zeroFill) throws IOException {
        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.READ,
                StandardOpenOption.WRITE)) {
            long existing = ch.size();
            if (existing > size) {
                throw new IOException("file " + path + " is " + existing + " bytes, larger than the expected " + size);
            }
            if (zeroFill) {
                ByteBuffer zeros = ByteBuffer.allocateDirect((int) Math.min(ZERO_CHUNK, size));
                long pos = existing;
                while (pos < size) {
                    zeros.clear().limit((int) Math.min(zeros.capacity(), size - pos));
                    pos += ch.write(zeros, pos);
                }
                ch.force(true);
            } else if (existing < size) {
                // Sparse: no block is allocated now, so make sure the blocks will be there when the
                // mapping is written (a write into a mapping on a full disk is a fault, not an error).
                long usable = java.nio.file.Files.getFileStore(path.getParent()).getUsableSpace();
                if (usable < size - existing) {
                    throw new IOException("not enough free space for " + path + ": it needs " + (size - existing)
                            + " bytes and the file system has " + usable + " usable");
                }
                ch.write(ByteBuffer.allocate(1), size - 1);
            }
        }
    }

    /**
     * Creates the sparse file at {@code path} of {@code size} bytes, its space already checked by the
     * caller (see the ConsumeQueues' cached free-space check), writes zeros over its first {@code
     * headBytes} through the file if the file is new, and maps it: one open instead of three (create,
     * map, then the first entry's positioned write, see the ConsumeQueue's EntryFileWriter). The size
     * is set with ftruncate, not by writing the last byte, which would put a page in the page cache and
     * make the file system allocate a block for it, for every one of thousands of new queues. The
     * written head is in the page cache, so the first entries can go through the mapping without the
     * read-around fault a hole costs. Returns the mapping and, through {@code written[0]}, how many
     * head bytes were written (0 for an existing file).
     */
    public static MappedByteBuffer createMapped(Path path, long size, int headBytes, int[] written) throws IOException {
        try (RandomAccessFile file = new RandomAccessFile(path.toFile(), "rw")) {
            long existing = file.length();
            if (existing > size) {
                throw new IOException("file " + path + " is " + existing + " bytes, larger than the expected " + size);
            }
            if (existing < size) {
                file.setLength(size);
            }
            FileChannel ch = file.getChannel();
            written[0] = 0;
            if (existing == 0 && headBytes > 0) {
                int head = (int) Math.min(headBytes, size);
                int pos = 0;
                while (pos < head) {
                    ByteBuffer zeros = ZERO_PAGE.duplicate(); // shared, read-only: threads get their own position
                    zeros.limit(Math.min(zeros.capacity(), head - pos));
                    pos += ch.write(zeros, pos);
                }
                written[0] = head;
            }
            return ch.map(FileChannel.MapMode.READ_WRITE, 0, size);
        }
    }

    /** Maps the whole file read-write. The channel is closed; the mapping stays valid. */
    public static MappedByteBuffer map(Path path, long size) throws IOException {
        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            if (ch.size() != size) {
                throw new IOException("file " + path + " is " + ch.size() + " bytes, expected " + size);
            }
            return ch.map(FileChannel.MapMode.READ_WRITE, 0, size);
        }
    }

    /**
     * Releases a mapping now instead of at garbage collection, so a deleted file's space returns at
     * once. The caller guarantees that no view of the buffer is used afterwards.
     */
    public static void unmap(MappedByteBuffer buffer) {
        if (INVOKE_CLEANER == null || buffer == null) {
            return;
        }
        try {
            INVOKE_CLEANER.invoke(UNSAFE, buffer);
        } catch (ReflectiveOperationException e) {
            LOG.warn("cannot unmap a segment: {}", e.toString());
        }
    }

    /** Writes zeros over [from, to) of a mapping, touching only the 64 KiB chunks that are not zero. */
    public static void zero(ByteBuffer mapping, int from, int to) {
        final int chunk = 64 * 1024;
        ByteBuffer zeros = ByteBuffer.allocate(chunk);
        ByteBuffer view = mapping.duplicate();
        int pos = from;
        while (pos < to) {
            int len = Math.min(chunk, to - pos);
            view.limit(pos + len).position(pos);
            zeros.clear().limit(len);
            if (view.mismatch(zeros) != -1) {
                view.put(zeros);
            }
            pos += len;
        }
    }
}
