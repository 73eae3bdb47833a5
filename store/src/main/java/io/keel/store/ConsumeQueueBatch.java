package io.keel.store;

/**
 * A reusable holder for entries read from a ConsumeQueue: parallel arrays, so a consumer that reads
 * in a loop allocates nothing.
 */
public final class ConsumeQueueBatch {

    private final long[] queueOffsets;
    private final long[] physicalOffsets;
    private final int[] sizes;
    private final long[] tagCodes;
    private int count;

    public ConsumeQueueBatch(int capacity) {
        if (capacity <= 0) {
            throw new IllegalArgumentException("consume queue batch: capacity must be positive, got " + capacity);
        }
        queueOffsets = new long[capacity];
        physicalOffsets = new long[capacity];
        sizes = new int[capacity];
        tagCodes = new long[capacity];
    }

    public int capacity() {
        return queueOffsets.length;
    }

    public int count() {
        return count;
    }

    public void clear() {
        count = 0;
    }

    /** Adds an entry; the store calls this while reading. */
    public void add(long queueOffset, long physicalOffset, int size, long tagCode) {
        queueOffsets[count] = queueOffset;
        physicalOffsets[count] = physicalOffset;
        sizes[count] = size;
        tagCodes[count] = tagCode;
        count++;
    }

    public long queueOffset(int i) {
        return queueOffsets[check(i)];
    }

    public long physicalOffset(int i) {
        return physicalOffsets[check(i)];
    }

    public int size(int i) {
        return sizes[check(i)];
    }

    public long tagCode(int i) {
        return tagCodes[check(i)];
    }

    private int check(int i) {
        if (i < 0 || i >= count) {
            throw new IndexOutOfBoundsException("consume queue batch: entry " + i + " of " + count);
        }
        return i;
    }
}
