package io.keel.broker.delivery;

import java.util.Arrays;

/**
 * The leases of one {@link QueueCursor}: for each leased queue offset, who holds the message, its
 * delivery count and when the lease runs out. Open addressing with linear probing over parallel
 * primitive arrays, removal by shifting the following entries back (no tombstones).
 *
 * <pre>
 *  slot i:  offsets[i] (long, EMPTY = -1) | holders[i] (long) | counts[i] (int) | expiries[i] (long, 0 = never)
 * </pre>
 *
 * <p>Why not a map of lease objects: a lease is made per delivery and lives until the acknowledgement,
 * so at many queues with unacknowledged messages the objects were promoted and kept the collector's
 * concurrent cycles and its remembered-set refinement busy (an old map pointing at young leases);
 * here a delivery writes four array slots and allocates nothing. Not thread-safe (the subscription
 * guards its cursors).
 */
final class LeaseTable {

    /** Marks an empty slot: queue offsets are never negative. */
    private static final long EMPTY = -1;
    private static final int MIN_CAPACITY = 8;

    private long[] offsets;
    private long[] holders;
    private int[] counts;
    private long[] expiries;
    private int size;
    private int mask;

    LeaseTable() {
        allocate(MIN_CAPACITY);
    }

    private void allocate(int capacity) {
        offsets = new long[capacity];
        Arrays.fill(offsets, EMPTY);
        holders = new long[capacity];
        counts = new int[capacity];
        expiries = new long[capacity];
        mask = capacity - 1;
    }

    int size() {
        return size;
    }

    boolean isEmpty() {
        return size == 0;
    }

    /** The slot of {@code offset}, or -1. */
    private int find(long offset) {
        for (int i = slot(offset); ; i = (i + 1) & mask) {
            long o = offsets[i];
            if (o == offset) {
                return i;
            }
            if (o == EMPTY) {
                return -1;
            }
        }
    }

    private int slot(long offset) {
        long h = offset * 0x9E3779B97F4A7C15L; // Fibonacci hashing: consecutive offsets spread out
        return (int) (h >>> 32) & mask;
    }

    boolean contains(long offset) {
        return find(offset) >= 0;
    }

    /** The holder of the lease on {@code offset}, or {@code absent} if it is not leased. */
    long holder(long offset, long absent) {
        int i = find(offset);
        return i < 0 ? absent : holders[i];
    }

    /** The delivery count of the lease on {@code offset}, or -1 if it is not leased. */
    int deliveryCount(long offset) {
        int i = find(offset);
        return i < 0 ? -1 : counts[i];
    }

    /** When the lease on {@code offset} runs out (0 = never), or -1 if it is not leased. */
    long expiresAt(long offset) {
        int i = find(offset);
        return i < 0 ? -1 : expiries[i];
    }

    /** Leases {@code offset} (replacing a lease it had). */
    void put(long offset, long holder, int deliveryCount, long expiresAtMillis) {
        if (offset < 0) {
            throw new IllegalArgumentException("queue offset " + offset + " is negative");
        }
        int i = find(offset);
        if (i < 0) {
            if ((size + 1) * 2 > offsets.length) { // at most half full: probes stay short
                grow();
            }
            i = slot(offset);
            while (offsets[i] != EMPTY) {
                i = (i + 1) & mask;
            }
            offsets[i] = offset;
            size++;
        }
        holders[i] = holder;
        counts[i] = deliveryCount;
        expiries[i] = expiresAtMillis;
    }

    private void grow() {
        long[] oldOffsets = offsets;
        long[] oldHolders = holders;
        int[] oldCounts = counts;
        long[] oldExpiries = expiries;
        allocate(oldOffsets.length * 2);
        for (int j = 0; j < oldOffsets.length; j++) {
            long o = oldOffsets[j];
            if (o != EMPTY) {
                int i = slot(o);
                while (offsets[i] != EMPTY) {
                    i = (i + 1) & mask;
                }
                offsets[i] = o;
                holders[i] = oldHolders[j];
                counts[i] = oldCounts[j];
                expiries[i] = oldExpiries[j];
            }
        }
    }

    /**
     * Ends the lease on {@code offset}; returns its delivery count, or -1 if it was not leased. The
     * entries after it in its probe run move back into the gap, so lookups never meet a hole.
     */
    int remove(long offset) {
        int i = find(offset);
        if (i < 0) {
            return -1;
        }
        int count = counts[i];
        removeAt(i);
        return count;
    }

    private void removeAt(int gap) {
        size--;
        int i = gap;
        while (true) {
            i = (i + 1) & mask;
            long o = offsets[i];
            if (o == EMPTY) {
                break;
            }
            int home = slot(o);
            // The entry at i may fill the gap unless its home lies cyclically in (gap, i].
            boolean homeBetween = gap <= i ? gap < home && home <= i : gap < home || home <= i;
            if (!homeBetween) {
                offsets[gap] = o;
                holders[gap] = holders[i];
                counts[gap] = counts[i];
                expiries[gap] = expiries[i];
                gap = i;
            }
        }
        offsets[gap] = EMPTY;
    }

    /** Ends every lease below {@code limit} (a purge). */
    void removeBelow(long limit) {
        long[] below = select((holder, expiry) -> true);
        for (long o : below) {
            if (o < limit) {
                remove(o);
            }
        }
    }

    /** Removes every lease and gives back the memory of a table that had grown. */
    void clear() {
        allocate(MIN_CAPACITY);
        size = 0;
    }

    /** Visits every lease; the visitor may not change the table. */
    void forEach(Visitor visitor) {
        for (int i = 0; i < offsets.length; i++) {
            if (offsets[i] != EMPTY) {
                visitor.lease(offsets[i], holders[i], counts[i], expiries[i]);
            }
        }
    }

    /** What {@link #forEach} hands out, one lease at a time. */
    @FunctionalInterface
    interface Visitor {
        void lease(long offset, long holder, int deliveryCount, long expiresAtMillis);
    }

    /**
     * The offsets of the leases {@code test} picks, in ascending order; they stay leased (the caller
     * removes them one by one, which may move other entries and would upset an iteration).
     */
    long[] select(Filter test) {
        long[] out = new long[Math.min(size, 16)];
        int n = 0;
        for (int i = 0; i < offsets.length; i++) {
            if (offsets[i] != EMPTY && test.picks(holders[i], expiries[i])) {
                if (n == out.length) {
                    out = Arrays.copyOf(out, Math.max(16, n * 2));
                }
                out[n++] = offsets[i];
            }
        }
        long[] picked = Arrays.copyOf(out, n);
        Arrays.sort(picked);
        return picked;
    }

    /** Chooses leases for {@link #select} by holder and expiry. */
    @FunctionalInterface
    interface Filter {
        boolean picks(long holder, long expiresAtMillis);
    }
}
