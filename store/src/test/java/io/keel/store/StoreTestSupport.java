package io.keel.store;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.SplittableRandom;

/** Helpers shared by the store tests: small configs and payloads that can be regenerated from a seed. */
final class StoreTestSupport {

    private StoreTestSupport() {
    }

    /** Small segments so roll-over happens in every test. */
    static StoreConfig smallConfig(Path dir) {
        return new StoreConfig(dir).segmentSize(256 * 1024).maxRecordSize(16 * 1024)
                .consumeQueueEntriesPerSegment(64).checkpointIntervalMillis(50).zeroFillSegments(false);
    }

    /** A payload of pseudo-random length (1 .. maxLength) and content determined by {@code seed}. */
    static byte[] payload(long seed, int maxLength) {
        SplittableRandom r = new SplittableRandom(seed);
        byte[] b = new byte[1 + r.nextInt(maxLength)];
        for (int i = 0; i < b.length; i++) {
            b[i] = (byte) r.nextInt(256);
        }
        return b;
    }

    static byte[] bytes(ByteBuffer b) {
        byte[] out = new byte[b.remaining()];
        b.duplicate().get(out);
        return out;
    }

    /** The payload of the message stored at {@code physicalOffset}, copied. */
    static byte[] payloadAt(MessageStore store, long physicalOffset) {
        try (RecordSlice slice = store.readMessage(physicalOffset)) {
            return bytes(slice.payload());
        }
    }
}
