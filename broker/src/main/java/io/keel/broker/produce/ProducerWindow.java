package io.keel.broker.produce;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.keel.broker.delivery.EffectBarrier;

/**
 * Duplicate detection for idempotent producers ({@code SendCommand.FLAG_IDEMPOTENT}): the last
 * sequence stored per producer id. A client that lost its connection does not know whether its
 * last sends were stored, so it sends them again with the same producer id and sequence; a send
 * whose sequence is not above the producer's last stored one is such a repeat and is answered
 * without being stored again. This relies on a producer's sends reaching the broker in sequence
 * order, which one connection guarantees and the client keeps across a reconnect (it resends the
 * unconfirmed ones before anything new).
 *
 * <p>The table survives restarts: it is written into the delivery snapshot and the log after the
 * snapshot is replayed into it (every stored message carries its producer id and sequence). A send
 * counts for duplicate detection as soon as it is admitted (a resend racing with its original must be
 * dropped), but the snapshot holds only sequences whose append completed (durable under SYNC_FLUSH):
 * an admitted message that a crash then cut from the log must be accepted again when resent. Since the
 * stored sequence is known only after the append, each append runs inside the delivery state's
 * {@link EffectBarrier} ({@link #appending} to {@link #stored}/{@link #notStored}): a snapshot whose
 * covered offset lies above the record waits for its sequence, else it would cover the record (no
 * replay) without it, and the resend after a crash would store a second copy. A
 * producer silent for longer than the window is forgotten, so the table holds only producers that
 * could still be resending; the window must exceed the clients' reconnect timeout.
 *
 * <p>Snapshot section: {@code count (int)}, then per producer {@code producerId (long) |
 * storedSequence (long) | lastUsedMillis (long)}.
 */
public final class ProducerWindow {

    public static final long DEFAULT_WINDOW_MILLIS = 600_000;

    /** One producer's position. Its monitor orders the check-and-append of that producer's sends. */
    public static final class Entry {
        private final EffectBarrier pending;
        /** The last sequence admitted (appended or being appended). */
        private long lastSequence;
        /** The last sequence whose append completed (what a snapshot may promise). */
        private long storedSequence;
        private long lastUsedMillis;
        private boolean forgotten;

        private Entry(EffectBarrier pending) {
            this.pending = pending;
        }

        public synchronized long lastSequence() {
            return lastSequence;
        }
    }

    private final Map<Long, Entry> entries = new ConcurrentHashMap<>();
    private final long windowMillis;
    private final EffectBarrier pending;

    /** A window whose appends no snapshot waits for (tests of the table alone). */
    public ProducerWindow(long windowMillis) {
        this(windowMillis, new EffectBarrier());
    }

    /** A window whose appends the snapshots cut with {@code pending} wait for. */
    public ProducerWindow(long windowMillis, EffectBarrier pending) {
        this.pending = pending;
        if (windowMillis <= 0) {
            throw new IllegalArgumentException("the duplicate detection window must be positive, not " + windowMillis);
        }
        this.windowMillis = windowMillis;
    }

    /** The entry of a producer, created empty on first use. */
    public Entry entry(long producerId) {
        return entries.computeIfAbsent(producerId, id -> new Entry(pending));
    }

    /**
     * Whether {@code sequence} of the producer behind {@code e} is new: if so it is recorded as
     * stored (before the append, so a snapshot never misses a record below its offset) and the
     * caller appends it; {@link #undo} takes it back if the append is refused. Call with the entry's
     * monitor held across the append. A forgotten entry answers false with {@link #isForgotten}.
     */
    public static boolean admit(Entry e, long sequence, long nowMillis) {
        if (sequence <= e.lastSequence) {
            return false;
        }
        e.lastSequence = sequence;
        e.lastUsedMillis = nowMillis;
        return true;
    }

    /**
     * Right before appending an admitted sequence: until {@link #stored} or {@link #notStored} with the
     * returned token, a snapshot cut above the record waits. Exactly one of the two must follow.
     */
    public static int appending(Entry e) {
        return e.pending.enter();
    }

    /** The append of {@code sequence} completed (under SYNC_FLUSH: it is durable). Any thread. */
    public static void stored(Entry e, long sequence, int token) {
        synchronized (e) {
            if (sequence > e.storedSequence) {
                e.storedSequence = sequence;
            }
        }
        e.pending.exit(token);
    }

    /** The append begun with {@code token} failed: nothing for a snapshot to wait for. Any thread. */
    public static void notStored(Entry e, int token) {
        e.pending.exit(token);
    }

    /** The append of {@code sequence} was refused: the producer may send it again. */
    public static void undo(Entry e, long sequence, long previous) {
        if (e.lastSequence == sequence) {
            e.lastSequence = previous;
        }
    }

    /** Whether {@code e} was dropped from the table (idle past the window): look the producer up again. */
    public static boolean isForgotten(Entry e) {
        return e.forgotten;
    }

    /** A stored message seen while replaying the log at start. */
    public void replayed(long producerId, long sequence, long storeTimestamp) {
        if (producerId == 0) {
            return;
        }
        Entry e = entry(producerId);
        synchronized (e) {
            if (sequence > e.lastSequence) {
                e.lastSequence = sequence;
            }
            if (sequence > e.storedSequence) {
                e.storedSequence = sequence;
            }
            e.lastUsedMillis = Math.max(e.lastUsedMillis, storeTimestamp);
        }
    }

    /** Forgets producers silent for longer than the window; returns how many. */
    public int forgetIdle(long nowMillis) {
        int n = 0;
        for (Iterator<Map.Entry<Long, Entry>> it = entries.entrySet().iterator(); it.hasNext();) {
            Entry e = it.next().getValue();
            synchronized (e) {
                if (nowMillis - e.lastUsedMillis > windowMillis) {
                    e.forgotten = true;
                    it.remove();
                    n++;
                }
            }
        }
        return n;
    }

    public int size() {
        return entries.size();
    }

    /** Writes the table (the snapshot section drawn above). */
    public void writeTo(DataOutput out) throws IOException {
        long[][] rows = entries.entrySet().stream().map(me -> {
            Entry e = me.getValue();
            synchronized (e) {
                return new long[] {me.getKey(), e.storedSequence, e.lastUsedMillis};
            }
        }).toArray(long[][]::new);
        out.writeInt(rows.length);
        for (long[] r : rows) {
            out.writeLong(r[0]);
            out.writeLong(r[1]);
            out.writeLong(r[2]);
        }
    }

    /** Reads a table written by {@link #writeTo}, merging it into this one. */
    public void readFrom(DataInput in) throws IOException {
        int n = in.readInt();
        if (n < 0) {
            throw new IOException("producer window: negative count " + n);
        }
        for (int i = 0; i < n; i++) {
            long id = in.readLong();
            long seq = in.readLong();
            long used = in.readLong();
            replayed(id, seq, used);
        }
    }
}
