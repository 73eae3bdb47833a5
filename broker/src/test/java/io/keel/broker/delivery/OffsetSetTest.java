package io.keel.broker.delivery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.BitSet;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

class OffsetSetTest {

    @Test
    void contiguousAcksMoveTheWatermarkAndHoldNoPages() {
        OffsetSet s = new OffsetSet(10);
        for (long o = 10; o < 100_000; o++) {
            assertTrue(s.add(o));
        }
        assertEquals(100_000, s.watermark());
        assertEquals(0, s.pages());
        assertEquals(0, s.sizeAboveWatermark());
        assertFalse(s.add(5), "below the watermark is already settled");
    }

    @Test
    void aGapHoldsTheWatermarkUntilItIsFilled() {
        OffsetSet s = new OffsetSet(0);
        for (long o = 1; o < 10_000; o++) {
            s.add(o);
        }
        assertEquals(0, s.watermark());
        assertEquals(9_999, s.sizeAboveWatermark());
        assertEquals(0, s.nextUnsettled(0));
        assertEquals(10_000, s.nextUnsettled(1));
        s.add(0);
        assertEquals(10_000, s.watermark());
        assertEquals(0, s.sizeAboveWatermark());
        assertEquals(0, s.pages());
    }

    @Test
    void sparseAcksAboveAStuckWatermarkCostAboutABitPerOffset() {
        OffsetSet s = new OffsetSet(0);
        for (long o = 999; o < 1_000_000; o += 1000) {
            s.add(o); // a 1-in-1000 selector acks, the rest wait for another consumer
        }
        assertEquals(0, s.watermark());
        assertEquals(1000, s.sizeAboveWatermark());
        assertTrue(s.pages() <= 245, "one 512-byte page per 4,096 offsets: " + s.pages());
        assertTrue(s.contains(5999) && !s.contains(6000));
    }

    @Test
    void agreesWithABitSetModelUnderRandomOperations() {
        SplittableRandom r = new SplittableRandom(7);
        OffsetSet s = new OffsetSet(0);
        BitSet model = new BitSet();
        long w = 0;
        for (int i = 0; i < 200_000; i++) {
            int op = r.nextInt(100);
            if (op < 97) {
                long o = s.watermark() + r.nextInt(20_000);
                boolean expected = !model.get((int) o);
                assertEquals(expected, s.add(o), "add " + o);
                model.set((int) o);
            } else {
                long to = s.watermark() + r.nextInt(3000);
                s.advanceTo(to);
                model.set(0, (int) to);
            }
            w = model.nextClearBit((int) w);
            assertEquals(w, s.watermark(), "watermark after op " + i);
            if (i % 1000 == 0) {
                assertEquals(model.cardinality() - w, s.sizeAboveWatermark(), "size at op " + i);
                long probe = w + r.nextInt(25_000);
                assertEquals(model.get((int) probe), s.contains(probe), "contains " + probe);
                assertEquals(model.nextClearBit((int) probe), s.nextUnsettled(probe), "nextUnsettled " + probe);
            }
        }
    }
}
