package io.keel.store;

import java.nio.ByteBuffer;

import io.keel.store.commitlog.CommitLog;
import io.keel.store.commitlog.CommitLogSegment;
import io.keel.store.commitlog.RecordLayout;

/** Walks the CommitLog between two record boundaries on the caller's thread, for owners replaying state. */
final class LogScanner {

    private final CommitLog log;
    private final RecordView view = new RecordView();

    LogScanner(CommitLog log) {
        this.log = log;
    }

    long scan(long from, long to, DispatchListener listener) {
        long pos = from;
        while (pos < to) {
            CommitLogSegment segment = log.segmentFor(pos);
            if (segment == null || !segment.retain()) {
                throw new StoreException.OffsetOutOfRange("scan: commit log offset " + pos + " is no longer stored");
            }
            try {
                ByteBuffer buf = segment.readView();
                while (pos < to && pos < segment.endOffset()) {
                    int rel = (int) (pos - segment.startOffset());
                    int magic = buf.getInt(rel + RecordLayout.MAGIC);
                    if (magic == RecordLayout.PADDING_MAGIC) {
                        pos = segment.endOffset();
                        break;
                    }
                    if (magic != RecordLayout.MAGIC_V1) {
                        throw new StoreException("scan: no record at commit log offset " + pos);
                    }
                    listener.onRecord(view.wrap(buf, rel));
                    pos += buf.getInt(rel + RecordLayout.TOTAL_SIZE);
                }
            } finally {
                segment.release();
            }
        }
        listener.onBatchDispatched(pos);
        return pos;
    }
}
