package io.keel.store.commitlog;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One CommitLog file: {@code segmentSize} bytes, named by its start offset in 20 zero-padded digits,
 * mapped once. Readers {@link #retain()} the segment while they hold views of it; deletion releases
 * the owner's reference and the mapping is unmapped when the last reference is released, so a reader
 * never touches an unmapped page.
 */
public final class CommitLogSegment {

    private final long startOffset;
    private final int size;
    private final Path path;
    private final MappedByteBuffer mapping;
    /** Write-side view, used only by the writer under the CommitLog's write lock. */
    final ByteBuffer writeView;
    /** Channel for {@link io.keel.store.WriteMode#FILE_CHANNEL}; null under MMAP. */
    final FileChannel channel;
    private final AtomicInteger references = new AtomicInteger(1);
    private volatile boolean deleteOnRelease;

    private CommitLogSegment(long startOffset, int size, Path path, MappedByteBuffer mapping, FileChannel channel) {
        this.startOffset = startOffset;
        this.size = size;
        this.path = path;
        this.mapping = mapping;
        this.writeView = mapping.duplicate();
        this.channel = channel;
    }

    /** The file name of the segment that starts at {@code offset}. */
    public static String fileName(long offset) {
        if (offset < 0) {
            throw new IllegalArgumentException("segment offset " + offset + " is negative");
        }
        // Not String.format("%020d"): a ConsumeQueue segment is named per new queue, and the Formatter
        // (a regular expression per call in JDK 17) was a visible share of creating 10,000 queues.
        String digits = Long.toString(offset);
        return FILE_NAME_ZEROS.substring(digits.length()) + digits;
    }

    /** Twenty zeros: a file name is the offset left-padded to 20 digits (Long.MAX_VALUE has 19). */
    private static final String FILE_NAME_ZEROS = "00000000000000000000";

    /** Creates the file if needed, sized and (optionally) zero-filled, and maps it. */
    static CommitLogSegment create(Path directory, long startOffset, int size, boolean zeroFill,
            boolean withChannel) throws IOException {
        Path path = directory.resolve(fileName(startOffset));
        MappedFiles.create(path, size, zeroFill);
        return open(path, startOffset, size, withChannel);
    }

    static CommitLogSegment open(Path path, long startOffset, int size, boolean withChannel) throws IOException {
        MappedByteBuffer mapping = MappedFiles.map(path, size);
        FileChannel channel = withChannel
                ? FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE) : null;
        return new CommitLogSegment(startOffset, size, path, mapping, channel);
    }

    public long startOffset() {
        return startOffset;
    }

    public long endOffset() {
        return startOffset + size;
    }

    public int size() {
        return size;
    }

    public Path path() {
        return path;
    }

    /** A new read-only view of the whole mapping; valid while a reference is held. */
    public ByteBuffer readView() {
        return mapping.asReadOnlyBuffer();
    }

    /** Takes a reader's reference; false once the segment is deleted or closed. */
    public boolean retain() {
        for (;;) {
            int n = references.get();
            if (n <= 0) {
                return false;
            }
            if (references.compareAndSet(n, n + 1)) {
                return true;
            }
        }
    }

    /** Drops a reference; the last one unmaps the file (and deletes it if asked). */
    public void release() {
        if (references.decrementAndGet() == 0) {
            MappedFiles.unmap(mapping);
            try {
                if (channel != null) {
                    channel.close();
                }
                if (deleteOnRelease) {
                    Files.deleteIfExists(path);
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot release segment " + path, e);
            }
        }
    }

    /** Drops the owner's reference and deletes the file once no reader holds the segment. */
    void delete() {
        deleteOnRelease = true;
        release();
    }

    /** Forces bytes [from, to) of the segment (relative positions) to the disk. */
    void force(int from, int to) throws IOException {
        if (to <= from) {
            return;
        }
        if (channel != null) {
            channel.force(false);
        } else {
            mapping.force(from, to - from);
        }
    }

    @Override
    public String toString() {
        return "segment " + path;
    }
}
