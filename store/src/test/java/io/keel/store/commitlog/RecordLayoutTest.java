package io.keel.store.commitlog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.zip.CRC32C;

import org.junit.jupiter.api.Test;

class RecordLayoutTest {

    private static final int SEGMENT = 4096;

    /** Writes a valid record at {@code pos} of a segment that starts at {@code segmentStart}. */
    private static int writeRecord(ByteBuffer b, long segmentStart, int pos, byte[] destination, byte[] payload) {
        int total = RecordLayout.recordSize(destination.length, payload.length);
        b.putInt(pos + RecordLayout.TOTAL_SIZE, total);
        b.putInt(pos + RecordLayout.MAGIC, RecordLayout.MAGIC_V1);
        b.putShort(pos + RecordLayout.FLAGS, (short) RecordLayout.flags(RecordLayout.KIND_MESSAGE, RecordLayout.TXN_NONE, false));
        b.putShort(pos + RecordLayout.DESTINATION_LENGTH, (short) destination.length);
        b.putLong(pos + RecordLayout.PHYSICAL_OFFSET, segmentStart + pos);
        b.put(pos + RecordLayout.HEADER_SIZE, destination);
        b.put(pos + RecordLayout.HEADER_SIZE + destination.length, payload);
        b.putInt(pos + RecordLayout.CRC, RecordLayout.computeCrc(new CRC32C(), b, pos, total));
        return total;
    }

    @Test
    void headerFieldsDoNotOverlapAndEndAtTheHeaderSize() {
        int[][] fields = {{RecordLayout.TOTAL_SIZE, 4}, {RecordLayout.MAGIC, 4}, {RecordLayout.CRC, 4},
            {RecordLayout.FLAGS, 2}, {RecordLayout.DESTINATION_LENGTH, 2}, {RecordLayout.QUEUE_ID, 4},
            {RecordLayout.QUEUE_OFFSET, 8}, {RecordLayout.PHYSICAL_OFFSET, 8}, {RecordLayout.STORE_TIMESTAMP, 8},
            {RecordLayout.DELIVERY_TIME, 8}, {RecordLayout.PRODUCER_ID, 8}, {RecordLayout.PRODUCER_SEQUENCE, 8},
            {RecordLayout.TAG_CODE, 8}, {RecordLayout.TRANSACTION_ID, 8}, {RecordLayout.SYSTEM_TYPE, 4}};
        int next = 0;
        for (int[] f : fields) {
            assertEquals(next, f[0], "field at " + f[0]);
            next += f[1];
        }
        assertEquals(RecordLayout.HEADER_SIZE, next);
    }

    @Test
    void validRecordPaddingAndEndAreRecognised() {
        ByteBuffer b = ByteBuffer.allocate(SEGMENT);
        int size = writeRecord(b, 8192, 0, "q".getBytes(), new byte[] {1, 2, 3});
        CRC32C crc = new CRC32C();
        assertEquals(RecordLayout.Check.RECORD, RecordLayout.check(crc, b, 8192, 0, SEGMENT, SEGMENT));
        assertEquals(RecordLayout.Check.END, RecordLayout.check(crc, b, 8192, size, SEGMENT, SEGMENT));
        b.putInt(size, SEGMENT - size).putInt(size + 4, RecordLayout.PADDING_MAGIC);
        assertEquals(RecordLayout.Check.PADDING, RecordLayout.check(crc, b, 8192, size, SEGMENT, SEGMENT));
        b.putInt(size, SEGMENT - size - 1);
        assertEquals(RecordLayout.Check.INVALID, RecordLayout.check(crc, b, 8192, size, SEGMENT, SEGMENT),
                "a padding record must fill the segment exactly");
    }

    @Test
    void everySingleByteChangeIsDetected() {
        ByteBuffer b = ByteBuffer.allocate(SEGMENT);
        int size = writeRecord(b, 0, 0, "orders".getBytes(), "hello world".getBytes());
        CRC32C crc = new CRC32C();
        for (int i = 0; i < size; i++) {
            byte original = b.get(i);
            b.put(i, (byte) (original ^ 0x10));
            assertEquals(RecordLayout.Check.INVALID, RecordLayout.check(crc, b, 0, 0, SEGMENT, SEGMENT), "byte " + i);
            b.put(i, original);
        }
        assertEquals(RecordLayout.Check.RECORD, RecordLayout.check(crc, b, 0, 0, SEGMENT, SEGMENT));
    }

    @Test
    void aRecordAtTheWrongOffsetIsInvalid() {
        ByteBuffer b = ByteBuffer.allocate(SEGMENT);
        writeRecord(b, 0, 0, "q".getBytes(), new byte[10]);
        assertEquals(RecordLayout.Check.INVALID, RecordLayout.check(new CRC32C(), b, 4096, 0, SEGMENT, SEGMENT),
                "the stored physical offset must equal the position");
    }

    @Test
    void flagsEncodeKindTransactionStateAndIndexing() {
        int prepared = RecordLayout.flags(RecordLayout.KIND_MESSAGE, RecordLayout.TXN_PREPARED, false);
        assertFalse(RecordLayout.isIndexed(prepared), "half messages stay invisible");
        assertTrue(RecordLayout.isIndexed(RecordLayout.flags(RecordLayout.KIND_MESSAGE, RecordLayout.TXN_COMMIT, false)));
        assertFalse(RecordLayout.isIndexed(RecordLayout.flags(RecordLayout.KIND_SYSTEM, RecordLayout.TXN_NONE, false)));
        assertTrue(RecordLayout.isIndexed(RecordLayout.flags(RecordLayout.KIND_SYSTEM, RecordLayout.TXN_NONE, true)));
        assertEquals(RecordLayout.TXN_ROLLBACK,
                RecordLayout.txnState(RecordLayout.flags(RecordLayout.KIND_SYSTEM, RecordLayout.TXN_ROLLBACK, true)));
    }
}
