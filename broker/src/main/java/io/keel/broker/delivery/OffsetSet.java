package io.keel.broker.delivery;

import java.util.Arrays;

/**
 * The queue offsets at or above a low-watermark that are settled (acknowledged, expired, moved to a
 * dead-letter queue), kept as a bitmap in 4,096-offset pages so that a sparse pattern (a selector that
 * picks one message in a thousand) costs a few bits per message, not an object. Offsets below the
 * watermark are all settled; {@link #add} advances the watermark across every settled offset that
 * follows it, and pages below the watermark are dropped.
 *
 * <p>Not thread-safe: the owning cursor guards it.
 */
public final class OffsetSet {

    private static final int PAGE_BITS = 4096;
    private static final int WORDS = PAGE_BITS / 64;

    private long watermark;
    /** Pages by page number (offset / PAGE_BITS), sorted; {@code null} slots are unused. */
    private long[] pageNumbers = new long[4];
    private long[][] pages = new long[4][];
    private int pageCount;
    private long size;

    public OffsetSet(long watermark) {
        this.watermark = watermark;
    }

    /** Every offset below this is settled. */
    public long watermark() {
        return watermark;
    }

    /** Settled offsets at or above the watermark. */
    public long sizeAboveWatermark() {
        return size;
    }

    /** Number of bitmap pages held (each {@value #PAGE_BITS} offsets, 512 bytes). */
    public int pages() {
        return pageCount;
    }

    public boolean contains(long offset) {
        if (offset < watermark) {
            return true;
        }
        int p = find(offset / PAGE_BITS);
        if (p < 0) {
            return false;
        }
        int bit = (int) (offset % PAGE_BITS);
        return (pages[p][bit >>> 6] & (1L << bit)) != 0;
    }

    /** Marks {@code offset} settled; returns false if it already was. */
    public boolean add(long offset) {
        if (offset < watermark) {
            return false;
        }
        if (offset == watermark) {
            watermark++;
            advance();
            return true;
        }
        long pageNumber = offset / PAGE_BITS;
        int p = find(pageNumber);
        if (p < 0) {
            p = insert(pageNumber, -p - 1);
        }
        int bit = (int) (offset % PAGE_BITS);
        long mask = 1L << bit;
        long[] page = pages[p];
        if ((page[bit >>> 6] & mask) != 0) {
            return false;
        }
        page[bit >>> 6] |= mask;
        size++;
        return true;
    }

    /** Moves the watermark to {@code offset} (everything below is settled), e.g. after a purge. */
    public void advanceTo(long offset) {
        if (offset > watermark) {
            watermark = offset;
            advance();
        }
    }

    /** The first offset at or after {@code from} that is not settled. */
    public long nextUnsettled(long from) {
        long o = Math.max(from, watermark);
        while (true) {
            int p = find(o / PAGE_BITS);
            if (p < 0) {
                return o;
            }
            long[] page = pages[p];
            int bit = (int) (o % PAGE_BITS);
            for (int w = bit >>> 6; w < WORDS; w++) {
                long free = ~page[w];
                if (w == bit >>> 6) {
                    free &= -1L << (bit & 63);
                }
                if (free != 0) {
                    return pageNumbers[p] * PAGE_BITS + w * 64L + Long.numberOfTrailingZeros(free);
                }
            }
            o = (pageNumbers[p] + 1) * PAGE_BITS;
        }
    }

    /** Pulls the watermark over the settled offsets right above it and forgets the bits below it. */
    private void advance() {
        watermark = nextUnsettled(watermark);
        dropPagesBelow(watermark / PAGE_BITS);
    }

    private void dropPagesBelow(long pageNumber) {
        int drop = 0;
        while (drop < pageCount && pageNumbers[drop] < pageNumber) {
            size -= countBits(pages[drop]);
            drop++;
        }
        if (drop > 0) {
            System.arraycopy(pageNumbers, drop, pageNumbers, 0, pageCount - drop);
            System.arraycopy(pages, drop, pages, 0, pageCount - drop);
            Arrays.fill(pages, pageCount - drop, pageCount, null);
            pageCount -= drop;
        }
        // Bits below the watermark in its own page no longer count; a page left empty goes.
        if (pageCount > 0 && pageNumbers[0] == pageNumber) {
            long[] page = pages[0];
            int limit = (int) (watermark % PAGE_BITS);
            int fullWords = limit >>> 6;
            for (int w = 0; w < fullWords; w++) {
                size -= Long.bitCount(page[w]);
                page[w] = 0;
            }
            if ((limit & 63) != 0) {
                long below = page[fullWords] & ((1L << (limit & 63)) - 1);
                size -= Long.bitCount(below);
                page[fullWords] &= ~below;
            }
            if (countBits(page) == 0) {
                System.arraycopy(pageNumbers, 1, pageNumbers, 0, pageCount - 1);
                System.arraycopy(pages, 1, pages, 0, pageCount - 1);
                pages[--pageCount] = null;
            }
        }
    }

    private static long countBits(long[] page) {
        long n = 0;
        for (long w : page) {
            n += Long.bitCount(w);
        }
        return n;
    }

    private int find(long pageNumber) {
        return Arrays.binarySearch(pageNumbers, 0, pageCount, pageNumber);
    }

    private int insert(long pageNumber, int at) {
        if (pageCount == pageNumbers.length) {
            pageNumbers = Arrays.copyOf(pageNumbers, pageCount * 2);
            pages = Arrays.copyOf(pages, pageCount * 2);
        }
        System.arraycopy(pageNumbers, at, pageNumbers, at + 1, pageCount - at);
        System.arraycopy(pages, at, pages, at + 1, pageCount - at);
        pageNumbers[at] = pageNumber;
        pages[at] = new long[WORDS];
        pageCount++;
        return at;
    }

    /** Writes the set for a snapshot: watermark, page count, then each page's number and 64 words. */
    void writeTo(java.io.DataOutput out) throws java.io.IOException {
        out.writeLong(watermark);
        out.writeInt(pageCount);
        for (int p = 0; p < pageCount; p++) {
            out.writeLong(pageNumbers[p]);
            for (long w : pages[p]) {
                out.writeLong(w);
            }
        }
    }

    /** Reads a set written by {@link #writeTo}. */
    static OffsetSet readFrom(java.io.DataInput in) throws java.io.IOException {
        OffsetSet s = new OffsetSet(in.readLong());
        int n = in.readInt();
        if (n < 0 || n > 1 << 24) {
            throw new java.io.IOException("bitmap page count " + n + " is out of range");
        }
        for (int p = 0; p < n; p++) {
            long number = in.readLong();
            int at = s.find(number);
            if (at >= 0 || (s.pageCount > 0 && number < s.pageNumbers[s.pageCount - 1])) {
                throw new java.io.IOException("bitmap pages are not in order");
            }
            at = s.insert(number, s.pageCount);
            for (int w = 0; w < WORDS; w++) {
                s.pages[at][w] = in.readLong();
            }
            s.size += countBits(s.pages[at]);
        }
        return s;
    }
}
