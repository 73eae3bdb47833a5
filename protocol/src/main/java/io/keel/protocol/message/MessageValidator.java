package io.keel.protocol.message;

import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * The full check behind {@link EncodedMessage#validate()}: walks every header, property and body
 * value without building objects. Keeps its two tables between calls, so that validating message
 * after message allocates nothing once they have grown to the largest count of names seen.
 */
final class MessageValidator {

    private static final int MIN_ENTRY = 5; // empty name + NULL tag

    private final Cursor cursor = new Cursor();
    private int[] names = new int[16];
    private int[] slots = new int[32];
    private ByteBuffer buf;
    private int base;

    void validate(EncodedMessage m) {
        buf = m.buffer();
        base = m.offset();
        Cursor c = cursor.reset(buf, base, base + MessageLayout.FIXED_SIZE, m.propertiesStart() - 4);
        Headers.skipDestination(c, Headers.DEST, Headers.DEST_NAME, true);
        Headers.skipDestination(c, Headers.REPLY_TO, Headers.REPLY_TO_NAME, true);
        c.skipString(Headers.MESSAGE_ID, true, true);
        Headers.skipCorrelationId(c, true);
        c.skipString(Headers.TYPE, true, true);
        Headers.requireEnd(c);

        entries(m.propertiesStart(), m.propertiesEnd(), true, "property");
        int start = m.bodyStart();
        int length = m.bodyLength();
        switch (m.bodyType()) {
            case TEXT -> {
                if (length > 0) {
                    Utf8.validate(buf, start, length, base, "TEXT body");
                }
            }
            case MAP -> entries(start, start + length, false, "MAP entry");
            case STREAM -> {
                c.reset(buf, base, start, start + length);
                while (c.hasRemaining()) {
                    ValueCodec.skip(c, false, true, "STREAM value");
                }
            }
            default -> {
            }
        }
    }

    /** Name/value entries (properties or MAP body) between absolute indexes start and end. */
    private void entries(int start, int end, boolean property, String what) {
        Cursor c = cursor.reset(buf, base, start, end);
        int count = 0;
        while (c.hasRemaining()) {
            int n = c.length(what, false);
            Utf8.validate(buf, c.pos, n, base, what);
            if (count == names.length) { // each entry has >= MIN_ENTRY bytes: bounded by the input
                names = Arrays.copyOf(names, Math.min(count * 2, (end - start) / MIN_ENTRY + 1));
            }
            names[count++] = c.pos;
            c.pos += n;
            ValueCodec.skip(c, property, true, what);
        }
        requireUnique(count, what);
    }

    /** Open-addressing hash set over the {@code n} name positions collected by {@link #entries}. */
    private void requireUnique(int n, String what) {
        if (n < 2) {
            return;
        }
        int cap = Integer.highestOneBit(n * 2 - 1) << 1;
        if (slots.length < cap) {
            slots = new int[cap];
        } else {
            Arrays.fill(slots, 0, cap, 0);
        }
        int mask = cap - 1;
        for (int i = 0; i < n; i++) {
            int p = names[i];
            int len = buf.getInt(p - 4);
            int h = 0x811C9DC5; // FNV-1a
            for (int k = 0; k < len; k++) {
                h = (h ^ (buf.get(p + k) & 0xFF)) * 0x01000193;
            }
            h = (h ^ (h >>> 16)) & mask;
            while (slots[h] != 0) {
                int q = names[slots[h] - 1];
                if (buf.getInt(q - 4) == len && Utf8.regionEquals(buf, p, q, len)) {
                    throw new MessageFormatError("duplicate " + what + " name", p - 4 - base);
                }
                h = (h + 1) & mask;
            }
            slots[h] = i + 1;
        }
    }
}
