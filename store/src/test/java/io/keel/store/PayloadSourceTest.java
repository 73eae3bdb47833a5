package io.keel.store;

import static io.keel.store.StoreTestSupport.payload;
import static io.keel.store.StoreTestSupport.payloadAt;
import static io.keel.store.StoreTestSupport.smallConfig;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import io.keel.store.commitlog.RecordLayout;

/** A payload given as a {@link PayloadSource} is stored byte for byte, in both write modes, and survives a reopen. */
class PayloadSourceTest {

    @TempDir
    Path dir;

    /** Copies from a byte array, as a Netty buffer copies from its memory; counts its calls. */
    static final class ArraySource implements PayloadSource {
        byte[] bytes;
        int copies;

        @Override
        public int length() {
            return bytes.length;
        }

        @Override
        public void copyTo(ByteBuffer dst) {
            assertEquals(bytes.length, dst.remaining(), "the store offers exactly the payload's room");
            copies++;
            dst.put(bytes);
        }
    }

    @ParameterizedTest
    @EnumSource(WriteMode.class)
    void recordsCopiedFromASourceAreStoredByteForByteAndSurviveAReopen(WriteMode mode) throws Exception {
        List<AppendResult> results = new ArrayList<>();
        List<byte[]> payloads = new ArrayList<>();
        QueueKey key = new QueueKey("from-a-source", 0);
        ArraySource source = new ArraySource();
        // 16 KiB records: FILE_CHANNEL's staging buffer starts at 64 KiB, so also a larger record size.
        StoreConfig config = smallConfig(dir).writeMode(mode).segmentSize(1 << 20).maxRecordSize(100 * 1024);
        try (MessageStore store = MessageStore.open(config)) {
            AppendRecord r = new AppendRecord();
            for (int i = 0; i < 60; i++) {
                byte[] p = i == 7 ? new byte[0] : i == 30 ? bigPayload(90 * 1024) : payload(i, 3000);
                payloads.add(p);
                source.bytes = p;
                results.add(store.append(r.reset().message(key, source).tagCode(i)).get(5, TimeUnit.SECONDS));
                assertEquals(RecordLayout.recordSize(key.destinationLength(), p.length), r.encodedSize(),
                        "record " + i + " sized from the source");
            }
            assertEquals(59, source.copies, "one copy per non-empty payload, none for the empty one");
            for (int i = 0; i < payloads.size(); i++) {
                assertArrayEquals(payloads.get(i), payloadAt(store, results.get(i).physicalOffset()), "payload " + i);
            }
        }
        try (MessageStore store = MessageStore.open(config)) { // recovery checks every record's CRC
            assertTrue(store.writtenOffset() >= results.get(results.size() - 1).physicalOffset());
            for (int i = 0; i < payloads.size(); i++) {
                assertArrayEquals(payloads.get(i), payloadAt(store, results.get(i).physicalOffset()),
                        "payload " + i + " after reopening");
            }
        }
    }

    private static byte[] bigPayload(int length) {
        byte[] b = new byte[length];
        for (int i = 0; i < length; i++) {
            b[i] = (byte) (i * 31 + 7);
        }
        return b;
    }
}
