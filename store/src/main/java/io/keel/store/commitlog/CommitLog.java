package io.keel.store.commitlog;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.locks.ReentrantLock;
import java.util.zip.CRC32C;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.keel.store.AppendCallback;
import io.keel.store.AppendRecord;
import io.keel.store.FlushMode;
import io.keel.store.PayloadSource;
import io.keel.store.QueueKey;
import io.keel.store.StoreConfig;
import io.keel.store.StoreException;
import io.keel.store.WriteMode;

/**
 * The single sequential log of every record of every queue. Appends from many threads are
 * serialised by one lock; inside it the header is written in place into the active segment, the
 * payload copied once, the CRC computed over the mapped bytes and the write position advanced.
 * Segments roll with a padding record; the next one is prepared in the background.
 */
public final class CommitLog {

    private static final Logger LOG = LoggerFactory.getLogger(CommitLog.class);

    private final StoreConfig config;
    private final Path directory;
    private final int segmentSize;
    private final boolean fileChannel;
    private final SegmentAllocator allocator;
    private final FlushWaiters waiters = new FlushWaiters();
    private final ReentrantLock writeLock = new ReentrantLock();
    private final CRC32C crc = new CRC32C();
    /** FILE_CHANNEL mode: header and destination staged here, then written with the payload. */
    private final ByteBuffer staging;
    /** FILE_CHANNEL mode: the payload of a {@link PayloadSource}, copied here before the write. */
    private ByteBuffer payloadStaging;
    private final ByteBuffer[] gather = new ByteBuffer[2];
    private static final ByteBuffer EMPTY = ByteBuffer.allocate(0).asReadOnlyBuffer();

    private volatile CommitLogSegment[] segments;
    private CommitLogSegment active;
    /** FILE_CHANNEL: where the active segment's channel is positioned, as far as appends know (-1: unknown). */
    private long channelPosition = -1;
    private int writePosition;
    private long lastTimestamp;
    private volatile long writtenOffset;
    private volatile long flushedOffset;
    private volatile boolean diskFull;
    private volatile String diskFullReason;
    private volatile StoreException failure;
    /** Held while forcing: by the flusher, or by an appending thread in {@link #tryForceUpTo}. */
    private final ReentrantLock forcing = new ReentrantLock();
    /** Appends that awaited a force, ever (written under the write lock). */
    private volatile long awaitingAppends;
    /** Under {@link #forcing}: {@link #awaitingAppends} at the last force, and appends per force x16 (moving average). */
    private long awaitingAtLastForce;
    private volatile int appendsPerForce16 = 16;
    /** Wakes the flusher when an append awaits a force. */
    final Wakeup flusherWakeup = new Wakeup();
    /** Signalled after every append (the dispatcher follows written data under ASYNC_FLUSH). */
    private volatile Wakeup writeListener;

    private final StoreMetricsRecorder metrics;

    /** Opens the log over recovered segments, with the data ending at {@code endOffset}. */
    public CommitLog(StoreConfig config, Path directory, List<CommitLogSegment> recovered, long endOffset,
            StoreMetricsRecorder metrics) throws IOException {
        this.config = config;
        this.directory = directory;
        this.segmentSize = config.segmentSize();
        this.fileChannel = config.writeMode() == WriteMode.FILE_CHANNEL;
        this.metrics = metrics;
        this.staging = fileChannel
                ? ByteBuffer.allocateDirect(RecordLayout.HEADER_SIZE + QueueKey.MAX_DESTINATION_BYTES) : null;
        this.allocator = new SegmentAllocator(directory, segmentSize, config.zeroFillSegments(), fileChannel);
        long activeStart = endOffset - Math.floorMod(endOffset, segmentSize);
        CommitLogSegment last = recovered.isEmpty() ? null : recovered.get(recovered.size() - 1);
        if (last == null || last.startOffset() != activeStart) {
            if (last != null && last.startOffset() > activeStart) {
                throw new IllegalStateException("recovered segments go beyond the end offset " + endOffset);
            }
            recovered = new java.util.ArrayList<>(recovered);
            recovered.add(CommitLogSegment.create(directory, activeStart, segmentSize, config.zeroFillSegments(), fileChannel));
        }
        this.segments = recovered.toArray(new CommitLogSegment[0]);
        this.active = segments[segments.length - 1];
        this.writePosition = (int) (endOffset - activeStart);
        this.writtenOffset = endOffset;
        this.flushedOffset = endOffset;
        allocator.prepare(active.endOffset());
    }

    public Path directory() {
        return directory;
    }

    public int segmentSize() {
        return segmentSize;
    }

    /** Offset just past the last written record. */
    public long writtenOffset() {
        return writtenOffset;
    }

    /** Offset up to which the log is known to be on disk. */
    public long flushedOffset() {
        return flushedOffset;
    }

    /** The oldest offset still stored (start of the first segment). */
    public long minOffset() {
        return segments[0].startOffset();
    }

    public void setDiskFull(boolean full, String reason) {
        this.diskFullReason = reason;
        this.diskFull = full;
    }

    public boolean isDiskFull() {
        return diskFull;
    }

    /** Registers the wakeup signalled after every append. */
    public void setWriteListener(Wakeup listener) {
        this.writeListener = listener;
    }

    FlushWaiters waiters() {
        return waiters;
    }

    /**
     * Completes every append that awaited the flush and ends at or below {@code offset}. Called by the
     * dispatcher once those records are dispatched, so that an acknowledged append is both durable
     * (the dispatch watermark never passes the flushed offset under SYNC_FLUSH) and visible to readers.
     */
    public void completeWaitersUpTo(long offset) {
        waiters.complete(offset);
    }

    /**
     * Forces what is written on the calling thread if recent forces were solitary and none is under
     * way; otherwise wakes the flusher. True when this thread forced (the caller then dispatches).
     * A failed force fails the log as the flusher's would.
     */
    public boolean forceHereIfSolitary() {
        long target = writtenOffset;
        if (target <= flushedOffset || failure != null) {
            return false;
        }
        try {
            if (forcesAreSolitary() && tryForceUpTo(target)) {
                metrics.flushedByCaller();
                return true;
            }
        } catch (IOException | RuntimeException e) {
            StoreException error = new StoreException("commit log in " + directory + ": force failed (" + e
                    + "); the store refuses appends from now on", e);
            LOG.error(error.getMessage(), e);
            fail(error);
        }
        flusherWakeup.signal();
        return false;
    }

    /** Stops accepting appends after an unrecoverable error (e.g. a failed force). */
    void fail(StoreException error) {
        if (failure == null) {
            failure = error;
        }
        waiters.failAll(error);
    }

    public StoreException failure() {
        return failure;
    }

    /**
     * Appends one record. {@code cb} is called once: right away (ASYNC_FLUSH, or a record that does
     * not await the flush) or when the group commit covering it completes.
     */
    public void append(AppendRecord record, QueueOffsets queueOffsets, AppendCallback cb) {
        StoreException refused = refusal(record);
        if (refused != null) {
            cb.failed(refused);
            return;
        }
        boolean await = record.awaitFlush() && config.flushMode() == FlushMode.SYNC_FLUSH;
        long physical = -1;
        long queueOffset = -1;
        int size = record.encodedSize();
        long timestamp = 0;
        StoreException error = null;
        writeLock.lock();
        try {
            timestamp = nextTimestamp();
            physical = reserve(size);
            queueOffset = record.takesQueueOffset() ? queueOffsets.next(record.queueKey()) : -1;
            try {
                write(record, physical, queueOffset, size, timestamp);
            } catch (IOException | RuntimeException e) {
                if (queueOffset >= 0) {
                    queueOffsets.undo(record.queueKey());
                }
                throw new StoreException("commit log: cannot write the record at offset " + physical + ": " + e, e);
            }
            if (record.deletesQueue()) { // only once written: a failed write deletes nothing
                queueOffsets.deleted(record.queueKey());
            }
            if (await) {
                waiters.add(cb, physical + size, physical, queueOffset, size, timestamp,
                        System.nanoTime() + config.syncFlushTimeoutMillis() * 1_000_000L);
                awaitingAppends++;
            }
            // Published only now: a flush that sees the new end must find the waiter registered.
            writtenOffset = physical + size;
        } catch (StoreException e) {
            error = e;
        } finally {
            writeLock.unlock();
        }
        if (error != null) {
            cb.failed(error);
            return;
        }
        metrics.appended(size);
        afterWrite(await && !record.callerFlushes(), queueOffset >= 0 && !(await && record.callerFlushes()));
        if (!await) {
            cb.appended(physical, queueOffset, size, timestamp);
        }
    }

    /**
     * Calls {@code cb} once everything written so far is as durable as the flush mode makes appends:
     * under SYNC_FLUSH when the group commit covering the current end completes (and is dispatched),
     * otherwise at once. Used to answer a resent message the store already has: its first copy may
     * still be waiting for the force. The callback gets offset -1 and size 0.
     */
    public void whenWritten(AppendCallback cb) {
        if (config.flushMode() != FlushMode.SYNC_FLUSH) {
            cb.appended(-1, -1, 0, 0);
            return;
        }
        writeLock.lock();
        try {
            long end = writtenOffset;
            if (end > flushedOffset) {
                waiters.add(cb, end, -1, -1, 0, 0, System.nanoTime() + config.syncFlushTimeoutMillis() * 1_000_000L);
                cb = null;
            }
        } finally {
            writeLock.unlock();
        }
        if (cb == null) {
            flusherWakeup.signal();
        } else {
            cb.appended(-1, -1, 0, 0);
        }
    }

    /** Appends several records under one lock hold. Each succeeds or fails on its own, in order. */
    public void appendBatch(List<AppendRecord> records, QueueOffsets queueOffsets, List<? extends AppendCallback> cbs) {
        int n = records.size();
        long[] physicals = new long[n];
        long[] queueOffsetsOut = new long[n];
        int[] sizes = new int[n];
        StoreException[] errors = new StoreException[n];
        boolean[] awaited = new boolean[n];
        long timestamp;
        boolean anyAwait = false;
        boolean anyVisible = false;
        writeLock.lock();
        try {
            timestamp = nextTimestamp();
            for (int i = 0; i < n; i++) {
                AppendRecord record = records.get(i);
                StoreException refused = refusal(record);
                if (refused != null) {
                    errors[i] = refused;
                    continue;
                }
                int size = record.encodedSize();
                try {
                    long physical = reserve(size);
                    long q = record.takesQueueOffset() ? queueOffsets.next(record.queueKey()) : -1;
                    try {
                        write(record, physical, q, size, timestamp);
                    } catch (IOException | RuntimeException e) {
                        if (q >= 0) {
                            queueOffsets.undo(record.queueKey());
                        }
                        throw new StoreException("commit log: cannot write the record at offset " + physical + ": " + e, e);
                    }
                    if (record.deletesQueue()) {
                        queueOffsets.deleted(record.queueKey());
                    }
                    physicals[i] = physical;
                    queueOffsetsOut[i] = q;
                    anyVisible |= q >= 0;
                    sizes[i] = size;
                    metrics.appended(size);
                    if (record.awaitFlush() && config.flushMode() == FlushMode.SYNC_FLUSH) {
                        awaited[i] = true;
                        anyAwait = true;
                        waiters.add(cbs.get(i), physical + size, physical, q, size, timestamp,
                                System.nanoTime() + config.syncFlushTimeoutMillis() * 1_000_000L);
                        awaitingAppends++;
                    }
                    writtenOffset = physical + size;
                } catch (StoreException e) {
                    errors[i] = e;
                }
            }
        } finally {
            writeLock.unlock();
        }
        for (int i = 0; i < n; i++) {
            if (errors[i] != null) {
                cbs.get(i).failed(errors[i]);
            } else if (!awaited[i]) {
                cbs.get(i).appended(physicals[i], queueOffsetsOut[i], sizes[i], timestamp);
            }
        }
        afterWrite(anyAwait, anyVisible);
    }

    /** Store time that never goes backwards along the log, so seek-by-time can binary search. */
    private long nextTimestamp() {
        long now = System.currentTimeMillis();
        if (now < lastTimestamp) {
            now = lastTimestamp;
        }
        lastTimestamp = now;
        return now;
    }

    /** Refuses every later append; appends already inside the lock finish first. */
    public void shutdown() {
        writeLock.lock();
        try {
            if (failure == null) {
                failure = new StoreException.Closed("commit log in " + directory + " is closed");
            }
        } finally {
            writeLock.unlock();
        }
    }

    private StoreException refusal(AppendRecord record) {
        StoreException failed = failure;
        if (failed instanceof StoreException.Closed) {
            return new StoreException.Closed(failed.getMessage());
        }
        if (failed != null) {
            return new StoreException.Closed("commit log: appends are refused after an earlier failure: "
                    + failed.getMessage());
        }
        if (diskFull) {
            return new StoreException.Full("commit log in " + directory + ": store full, appends are refused ("
                    + diskFullReason + ")");
        }
        if (record.kind() == AppendRecord.Kind.MESSAGE && record.queueKey() == null) {
            return new StoreException("commit log: a message record needs a queue key");
        }
        if (record.indexed() && record.queueKey() == null) {
            return new StoreException("commit log: an indexed system record needs a queue key");
        }
        int size = record.encodedSize();
        if (size > config.maxRecordSize()) {
            return new StoreException.RecordTooLarge("commit log: a record of " + size
                    + " bytes (queue " + record.queueKey() + ") exceeds the maximum record size of "
                    + config.maxRecordSize() + " bytes");
        }
        return null;
    }

    /** Makes room for {@code size} bytes in the active segment (rolling if needed); returns the offset. */
    private long reserve(int size) {
        if (writePosition + size > segmentSize - RecordLayout.MIN_PADDING) {
            roll();
        }
        return active.startOffset() + writePosition;
    }

    private void roll() {
        CommitLogSegment next;
        try {
            next = allocator.take(active.endOffset());
        } catch (IOException | ExecutionException e) {
            Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
            throw new StoreException.Full("commit log in " + directory + ": cannot prepare the segment at offset "
                    + active.endOffset() + " (" + cause + "); appends are refused until space is available", cause);
        }
        // Pad the rest of the old segment; its bytes beyond the 8-byte padding header are already zero.
        int remaining = segmentSize - writePosition;
        if (fileChannel) {
            staging.clear();
            staging.putInt(remaining).putInt(RecordLayout.PADDING_MAGIC).flip();
            try {
                while (staging.hasRemaining()) {
                    active.channel.write(staging, writePosition + staging.position());
                }
            } catch (IOException e) {
                throw new StoreException("commit log: cannot write the padding of " + active + ": " + e, e);
            }
        } else {
            active.writeView.putInt(writePosition + RecordLayout.TOTAL_SIZE, remaining);
            active.writeView.putInt(writePosition + RecordLayout.MAGIC, RecordLayout.PADDING_MAGIC);
        }
        CommitLogSegment[] old = segments;
        CommitLogSegment[] grown = java.util.Arrays.copyOf(old, old.length + 1);
        grown[old.length] = next;
        segments = grown;
        active = next;
        channelPosition = -1;
        writePosition = 0;
        writtenOffset = next.startOffset();
        allocator.prepare(next.endOffset());
    }

    private void write(AppendRecord r, long physical, long queueOffset, int size, long timestamp) throws IOException {
        QueueKey key = r.queueKey();
        int destinationLength = key == null ? 0 : key.destinationLength();
        ByteBuffer payload = r.payload();
        PayloadSource source = r.payloadSource();
        int payloadLength = r.payloadLength();
        if (source != null && fileChannel) {
            payload = payloadLength > 0 ? stagedPayload(source, payloadLength) : null; // the channel needs a ByteBuffer
            source = null;
        }
        ByteBuffer out;
        int base;
        if (fileChannel) {
            out = staging;
            out.clear();
            base = 0;
        } else {
            out = active.writeView;
            base = writePosition;
        }
        out.putInt(base + RecordLayout.TOTAL_SIZE, size);
        out.putInt(base + RecordLayout.MAGIC, RecordLayout.MAGIC_V1);
        out.putShort(base + RecordLayout.FLAGS, (short) r.flags());
        out.putShort(base + RecordLayout.DESTINATION_LENGTH, (short) destinationLength);
        out.putInt(base + RecordLayout.QUEUE_ID, key == null ? 0 : key.queueId());
        out.putLong(base + RecordLayout.QUEUE_OFFSET, queueOffset);
        out.putLong(base + RecordLayout.PHYSICAL_OFFSET, physical);
        out.putLong(base + RecordLayout.STORE_TIMESTAMP, timestamp);
        out.putLong(base + RecordLayout.DELIVERY_TIME, r.deliveryTime());
        out.putLong(base + RecordLayout.PRODUCER_ID, r.producerId());
        out.putLong(base + RecordLayout.PRODUCER_SEQUENCE, r.producerSequence());
        out.putLong(base + RecordLayout.TAG_CODE, r.tagCode());
        out.putLong(base + RecordLayout.TRANSACTION_ID, r.transactionId());
        out.putInt(base + RecordLayout.SYSTEM_TYPE, r.systemType());
        if (destinationLength > 0) {
            out.put(base + RecordLayout.HEADER_SIZE, key.destinationUtf8());
        }
        int headerAndKey = RecordLayout.HEADER_SIZE + destinationLength;
        if (fileChannel) {
            writeThroughChannel(payload, payloadLength, headerAndKey, size);
        } else {
            if (source != null) {
                if (payloadLength > 0) { // straight into the segment: one copy, no view of the source
                    out.limit(base + headerAndKey + payloadLength).position(base + headerAndKey);
                    try {
                        source.copyTo(out);
                    } finally {
                        out.clear(); // the write view is used with absolute indexes only
                    }
                }
            } else if (payloadLength > 0) {
                out.put(base + headerAndKey, payload, payload.position(), payloadLength);
            }
            out.putInt(base + RecordLayout.CRC, RecordLayout.computeCrc(crc, out, base, size));
        }
        writePosition += size;
        // writtenOffset is published by the caller, after it registered any waiter.
    }

    /**
     * FILE_CHANNEL mode, a {@link PayloadSource}: its bytes copied into a staging buffer kept for the
     * next ones (grown to the largest payload seen, never beyond the maximum record size).
     */
    private ByteBuffer stagedPayload(PayloadSource source, int length) {
        ByteBuffer b = payloadStaging;
        if (b == null || b.capacity() < length) {
            b = ByteBuffer.allocateDirect(Math.max(length, 64 * 1024));
            payloadStaging = b;
        }
        b.clear().limit(length);
        source.copyTo(b);
        return b.flip();
    }

    private void writeThroughChannel(ByteBuffer payload, int payloadLength, int headerAndKey, int size)
            throws IOException {
        crc.reset();
        staging.limit(RecordLayout.CRC).position(0);
        crc.update(staging);
        staging.limit(headerAndKey).position(RecordLayout.FLAGS);
        crc.update(staging);
        int payloadStart = payload == null ? 0 : payload.position();
        if (payloadLength > 0) {
            crc.update(payload);
            payload.position(payloadStart);
        }
        staging.putInt(RecordLayout.CRC, (int) crc.getValue());
        staging.limit(headerAndKey).position(0);
        gather[0] = staging;
        gather[1] = payloadLength > 0 ? payload : EMPTY;
        try {
            long position = writePosition;
            if (channelPosition != position) { // sequential appends leave it there: one syscall fewer
                active.channel.position(position);
            }
            channelPosition = -1; // unknown until the write succeeds (a failed one may have moved it)
            long toWrite = size;
            while (toWrite > 0) {
                toWrite -= active.channel.write(gather);
            }
            channelPosition = position + size;
        } finally {
            if (payload != null) {
                payload.position(payloadStart);
            }
            gather[1] = null;
        }
    }

    private void afterWrite(boolean awaitingFlush, boolean visible) {
        // Under SYNC_FLUSH readers see only forced data, so even an append that does not wait for the
        // force (a non-persistent message) must wake the flusher, or it stays invisible up to a park.
        // A record nobody waits for and nobody reads (a broker's delivery-state record) rides along
        // with the next force instead of costing one of its own.
        if (awaitingFlush || (visible && config.flushMode() == FlushMode.SYNC_FLUSH)) {
            flusherWakeup.signal();
        }
        Wakeup listener = writeListener;
        if (listener != null) {
            listener.signal();
        }
    }

    /**
     * Forces [flushedOffset, target) to disk and advances the flushed offset. Flusher thread only
     * (and close, after the flusher stopped).
     */
    void forceUpTo(long target) throws IOException {
        forcing.lock();
        try {
            forceLocked(target);
        } finally {
            forcing.unlock();
        }
    }

    /**
     * Forces up to {@code target} on the calling thread unless a force is under way (then false: the
     * caller wakes the flusher, which forces again as soon as the current force ends).
     */
    private boolean tryForceUpTo(long target) throws IOException {
        if (!forcing.tryLock()) {
            return false;
        }
        try {
            forceLocked(target);
            return true;
        } finally {
            forcing.unlock();
        }
    }

    /**
     * Whether recent forces covered about one awaiting append each (moving average at most 1.5): then
     * nothing is gained by gathering appends on the flusher, and the appending thread may force itself.
     */
    public boolean forcesAreSolitary() {
        return appendsPerForce16 <= 24;
    }

    private void forceLocked(long target) throws IOException {
        long from = flushedOffset;
        if (target <= from) {
            return;
        }
        long awaited = awaitingAppends;
        int n = (int) Math.min(64, awaited - awaitingAtLastForce);
        awaitingAtLastForce = awaited;
        appendsPerForce16 += (n * 16 - appendsPerForce16) / 8;
        long started = System.nanoTime();
        CommitLogSegment[] segs = segments;
        for (CommitLogSegment s : segs) {
            if (s.endOffset() <= from || s.startOffset() >= target) {
                continue;
            }
            int a = (int) (Math.max(from, s.startOffset()) - s.startOffset());
            int b = (int) (Math.min(target, s.endOffset()) - s.startOffset());
            s.force(a, b);
        }
        flushedOffset = target;
        metrics.flushed(System.nanoTime() - started);
    }

    /** The segment holding {@code offset}, or null when it is outside the stored range. */
    public CommitLogSegment segmentFor(long offset) {
        CommitLogSegment[] segs = segments;
        long first = segs[0].startOffset();
        if (offset < first) {
            return null;
        }
        long index = (offset - first) / segmentSize;
        return index < segs.length ? segs[(int) index] : null;
    }

    /** A snapshot of the current segments, oldest first. */
    public CommitLogSegment[] segments() {
        return segments;
    }

    /**
     * Deletes every segment that ends at or below {@code watermark}, except the active one. Returns
     * the new minimum offset.
     */
    public long deleteSegmentsBelow(long watermark) {
        writeLock.lock();
        try {
            CommitLogSegment[] segs = segments;
            int drop = 0;
            while (drop < segs.length - 1 && segs[drop].endOffset() <= watermark) {
                drop++;
            }
            if (drop > 0) {
                segments = java.util.Arrays.copyOfRange(segs, drop, segs.length);
                for (int i = 0; i < drop; i++) {
                    segs[i].delete();
                }
            }
            return segments[0].startOffset();
        } finally {
            writeLock.unlock();
        }
    }

    /** Forces everything written, then releases every segment. The flusher must be stopped. */
    public void close() throws IOException {
        writeLock.lock();
        try {
            forceUpTo(writtenOffset);
            allocator.close();
            for (CommitLogSegment s : segments) {
                s.release();
            }
        } finally {
            writeLock.unlock();
        }
    }
}
