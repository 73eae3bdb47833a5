package io.keel.store.commitlog;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.CRC32C;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.keel.store.StoreConfig;
import io.keel.store.StoreException;
import io.keel.store.recovery.Checkpoint;

/**
 * Finds where the CommitLog's valid data ends when the store opens.
 *
 * <p>After a clean shutdown the checkpoint holds the exact end. After a crash (abort marker present)
 * or without a usable checkpoint, every record from the start of the segment holding the checkpoint's
 * flushed offset (or from the first segment) is validated: size bounds, magic, known flags, stored
 * physical offset equal to its position, CRC. The first invalid record ends the log: the rest of its
 * segment is zeroed (stale bytes never look like data later) and later segments are deleted.
 */
public final class CommitLogRecovery {

    private static final Logger LOG = LoggerFactory.getLogger(CommitLogRecovery.class);

    /** The recovered segments (oldest first, mapped) and the offset where the data ends. */
    public record Result(List<CommitLogSegment> segments, long endOffset, boolean scanned, long scanStart,
            String stopReason) {
    }

    private CommitLogRecovery() {
    }

    public static Result recover(Path directory, StoreConfig config, Checkpoint checkpoint, boolean crashed,
            boolean withChannel) throws IOException {
        int segmentSize = config.segmentSize();
        List<Path> files = new ArrayList<>();
        try (Stream<Path> s = Files.list(directory)) {
            s.filter(p -> p.getFileName().toString().matches("\\d{20}")).sorted().forEach(files::add);
        }
        if (files.isEmpty()) {
            if (checkpoint != null && checkpoint.commitLogFlushedOffset() > 0) {
                throw new StoreException("commit log in " + directory + " has no segment files, but the checkpoint"
                        + " says " + checkpoint.commitLogFlushedOffset() + " bytes were flushed; refusing to start"
                        + " on a store whose data is missing");
            }
            return new Result(new ArrayList<>(), 0, false, 0, "empty");
        }
        long first = Long.parseLong(files.get(0).getFileName().toString());
        boolean damaged = false;
        for (int i = 0; i < files.size(); i++) {
            Path p = files.get(i);
            long start = Long.parseLong(p.getFileName().toString());
            if (start != first + (long) i * segmentSize) {
                throw new StoreException("commit log in " + directory + ": segment " + p.getFileName()
                        + " is not where segment " + i + " should start (" + (first + (long) i * segmentSize)
                        + "); a segment file is missing or the segment size changed");
            }
            long size = Files.size(p);
            if (size > segmentSize) {
                throw new StoreException("commit log in " + directory + ": segment " + p.getFileName() + " is "
                        + size + " bytes but the segment size is " + segmentSize);
            }
            if (size < segmentSize) {
                // A torn file: extend it with zeros and validate the log instead of trusting the checkpoint.
                LOG.warn("commit log segment {} is {} bytes, shorter than {}: extending it with zeros and"
                        + " validating the log", p, size, segmentSize);
                MappedFiles.create(p, segmentSize, false);
                damaged = true;
            }
        }
        List<CommitLogSegment> segments = new ArrayList<>();
        for (Path p : files) {
            segments.add(openSegment(p, segmentSize, withChannel));
        }
        long lastEnd = segments.get(segments.size() - 1).endOffset();

        if (!crashed && !damaged && checkpoint != null && checkpoint.commitLogFlushedOffset() >= first
                && checkpoint.commitLogFlushedOffset() < lastEnd) {
            long end = checkpoint.commitLogFlushedOffset();
            dropAfter(segments, end, segmentSize, true);
            return new Result(segments, end, false, end, "clean shutdown");
        }

        long scanStart = first;
        if (checkpoint != null) {
            long flushed = Math.min(Math.max(checkpoint.commitLogFlushedOffset(), first), lastEnd - 1);
            scanStart = flushed - Math.floorMod(flushed - first, segmentSize);
        }
        CRC32C crc = new CRC32C();
        long pos = scanStart;
        String reason = "end of the last segment";
        while (true) {
            CommitLogSegment seg = segmentAt(segments, pos, first, segmentSize);
            if (seg == null) {
                break;
            }
            ByteBuffer view = seg.readView();
            int rel = (int) (pos - seg.startOffset());
            RecordLayout.Check check = RecordLayout.check(crc, view, seg.startOffset(), rel, segmentSize, segmentSize);
            if (check == RecordLayout.Check.RECORD) {
                pos += view.getInt(rel + RecordLayout.TOTAL_SIZE);
            } else if (check == RecordLayout.Check.PADDING) {
                pos = seg.endOffset();
            } else {
                reason = check == RecordLayout.Check.END ? "end of data" : "invalid record";
                if (check == RecordLayout.Check.INVALID) {
                    LOG.warn("commit log recovery: invalid record at offset {}; the log is truncated there", pos);
                }
                break;
            }
        }
        long end = pos;
        CommitLogSegment endSegment = segmentAt(segments, end, first, segmentSize);
        if (endSegment != null) {
            int rel = (int) (end - endSegment.startOffset());
            ByteBuffer writable = writableView(endSegment);
            MappedFiles.zero(writable, rel, segmentSize);
        }
        dropAfter(segments, end, segmentSize, false);
        for (CommitLogSegment s : segments) {
            if (s.endOffset() > scanStart) {
                forceWhole(s);
            }
        }
        LOG.info("commit log recovery: scanned from {} to {} ({})", scanStart, end, reason);
        return new Result(segments, end, true, scanStart, reason);
    }

    private static CommitLogSegment openSegment(Path p, int segmentSize, boolean withChannel) throws IOException {
        return CommitLogSegment.open(p, Long.parseLong(p.getFileName().toString()), segmentSize, withChannel);
    }

    private static CommitLogSegment segmentAt(List<CommitLogSegment> segments, long offset, long first, int size) {
        long index = (offset - first) / size;
        return offset >= first && index < segments.size() ? segments.get((int) index) : null;
    }

    /**
     * Removes segments that start after the segment holding {@code end}. After a clean shutdown the
     * one right after it is the segment prepared in advance, all zeros: its file is kept (only
     * unmapped) so it need not be written again; anything else beyond the end is stale and deleted.
     */
    private static void dropAfter(List<CommitLogSegment> segments, long end, int segmentSize, boolean keepPrepared) {
        long activeStart = end - Math.floorMod(end - segments.get(0).startOffset(), segmentSize);
        while (segments.size() > 1 && segments.get(segments.size() - 1).startOffset() > activeStart) {
            CommitLogSegment s = segments.remove(segments.size() - 1);
            if (keepPrepared && s.startOffset() == activeStart + segmentSize) {
                s.release();
            } else {
                LOG.info("commit log recovery: deleting {} beyond the end offset {}", s.path(), end);
                s.delete();
            }
        }
    }

    private static ByteBuffer writableView(CommitLogSegment s) {
        return s.writeView;
    }

    private static void forceWhole(CommitLogSegment s) throws IOException {
        s.force(0, s.size());
    }
}
