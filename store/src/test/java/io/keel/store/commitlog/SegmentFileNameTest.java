package io.keel.store.commitlog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** Segment files (CommitLog and ConsumeQueue) are named by their first offset in 20 digits. */
class SegmentFileNameTest {

    @Test
    void offsetsAreLeftPaddedToTwentyDigitsSoNamesSortLikeOffsets() {
        assertEquals("00000000000000000000", CommitLogSegment.fileName(0));
        assertEquals("00000000000000000007", CommitLogSegment.fileName(7));
        assertEquals("00000000001073741824", CommitLogSegment.fileName(1L << 30));
        assertEquals("09223372036854775807", CommitLogSegment.fileName(Long.MAX_VALUE));
        assertEquals(Long.MAX_VALUE, Long.parseLong(CommitLogSegment.fileName(Long.MAX_VALUE)));
        for (long offset = 1; offset > 0 && offset < Long.MAX_VALUE / 10; offset *= 10) {
            assertEquals(String.format("%020d", offset - 1), CommitLogSegment.fileName(offset - 1));
            assertEquals(String.format("%020d", offset), CommitLogSegment.fileName(offset));
        }
    }

    @Test
    void aNegativeOffsetHasNoFileName() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> CommitLogSegment.fileName(-1));
        assertEquals("segment offset -1 is negative", e.getMessage());
    }
}
