package io.keel.protocol.message;

import static org.junit.jupiter.api.Assertions.*;

import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;

import io.keel.protocol.DestinationType;

/**
 * Truncated and garbled input: decoding either succeeds or throws MessageFormatError, never anything
 * else, and never allocates in proportion to a forged length. The full validator and the decoder agree
 * on every input, and whatever decodes re-encodes to the same bytes (the encoding is canonical).
 */
class MessageCodecCorruptionTest {

    /**
     * Allocation allowed per decode: a small multiple of the input (object overhead: a 6-byte property
     * entry becomes a String, a map entry and a boxed value) plus a constant. A forged length that got
     * past the checks would ask for up to 2 GiB.
     */
    static long allocationBound(int inputLength) {
        return 64L * inputLength + 64 * 1024;
    }

    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    private static List<byte[]> samples(long seed, int count) {
        RandomMessages gen = new RandomMessages(seed, 0);
        List<byte[]> out = new ArrayList<>();
        out.add(MessageCodec.encode(new MessageData()));
        out.add(MessageCodec.encode(new MessageData().setText("h\u00e9llo " + MessageCodecRoundTripTest.CLEF)
                .setProperty("color", "red").setProperty("n", 3).setCorrelationIdBytes(new byte[] {1})
                .setDestination(new DestinationRef(DestinationType.QUEUE, "orders"))));
        out.add(MessageCodec.encode(new MessageData().setStream(MessageCodecRoundTripTest.everyBodyValue().subList(0, 40))));
        while (out.size() < count) {
            byte[] b = MessageCodec.encode(gen.message());
            if (b.length < 4000) {
                out.add(b);
            }
        }
        return out;
    }

    /**
     * Decodes and validates; returns whether the bytes were accepted. Fails on any other exception.
     * Allocation is the least of three decodes of the same input (a decode allocates the same each time),
     * so that one-time JVM work on the calling thread does not count: the first runs of an error path
     * link and later compile its string concatenation (invokedynamic), a few hundred KB once.
     */
    private static boolean tryDecode(byte[] input) {
        MessageData decoded = null;
        long allocated = Long.MAX_VALUE;
        for (int run = 0; run < 3 && allocated > allocationBound(input.length); run++) {
            long before = THREADS.getCurrentThreadAllocatedBytes();
            try {
                decoded = MessageCodec.decode(ByteBuffer.wrap(input));
            } catch (MessageFormatError expected) {
                assertTrue(expected.offset() >= 0 && expected.offset() <= input.length,
                        () -> "offset out of range: " + expected.getMessage());
            }
            allocated = Math.min(allocated, THREADS.getCurrentThreadAllocatedBytes() - before);
        }
        long least = allocated;
        assertTrue(least <= allocationBound(input.length),
                () -> "decode allocated " + least + " bytes for " + input.length + " input bytes");

        boolean valid;
        try {
            new EncodedMessage().wrap(ByteBuffer.wrap(input)).validate();
            valid = true;
        } catch (MessageFormatError e) {
            valid = false;
        }
        assertEquals(decoded != null, valid, () -> "decoder and validator disagree on " + Arrays.toString(input));
        if (decoded != null) {
            assertArrayEquals(input, MessageCodec.encode(decoded), "accepted input is not canonical");
        }
        return decoded != null;
    }

    @Test
    void everyTruncationIsRejected() {
        int cases = 0;
        for (byte[] full : samples(1L, 30)) {
            for (int len = 0; len < full.length; len++) {
                byte[] cut = Arrays.copyOf(full, len);
                assertFalse(tryDecode(cut), "truncated to " + len + " but accepted");
                int fixedLen = len;
                assertThrows(MessageFormatError.class,
                        () -> new EncodedMessage().wrap(ByteBuffer.wrap(full), 0, fixedLen));
                cases++;
            }
            assertTrue(tryDecode(full));
        }
        assertTrue(cases > 1000, "cases: " + cases);
    }

    @Test
    void randomByteFlipsDecodeOrFailCleanly() {
        Random r = new Random(42);
        List<byte[]> samples = samples(2L, 50);
        int accepted = 0;
        int rejected = 0;
        for (int i = 0; i < 5000; i++) {
            byte[] b = samples.get(r.nextInt(samples.size())).clone();
            int flips = 1 + (r.nextInt(4) == 0 ? r.nextInt(5) : 0);
            for (int f = 0; f < flips; f++) {
                b[r.nextInt(b.length)] ^= (byte) (1 + r.nextInt(255));
            }
            if (tryDecode(b)) {
                accepted++;
            } else {
                rejected++;
            }
        }
        assertTrue(rejected > 1000 && accepted > 100, "accepted " + accepted + ", rejected " + rejected);
    }

    @Test
    void forgedLengthsAreRejectedBeforeAllocating() {
        byte[] base = MessageCodec.encode(new MessageData().setText("abc").setProperty("s", "v")
                .setMessageId("ID:1"));
        int headers = ByteBuffer.wrap(base).getInt(MessageLayout.OFF_HEADERS_LENGTH);
        int propsAt = MessageLayout.FIXED_SIZE + headers;
        int bodyAt = propsAt + 4 + ByteBuffer.wrap(base).getInt(propsAt);
        int messageIdAt = MessageLayout.FIXED_SIZE + 2;
        int[] positions = {MessageLayout.OFF_HEADERS_LENGTH, propsAt, bodyAt, messageIdAt, propsAt + 4};
        for (int pos : positions) {
            for (int forged : new int[] {Integer.MAX_VALUE, Integer.MIN_VALUE, -2, 1 << 30, base.length}) {
                byte[] b = base.clone();
                ByteBuffer.wrap(b).putInt(pos, forged);
                MessageFormatError e = assertThrows(MessageFormatError.class, () -> MessageCodec.decode(b),
                        "length " + forged + " at " + pos);
                assertTrue(e.getMessage().contains("offset"), e.getMessage());
                assertFalse(tryDecode(b));
            }
        }
    }

    @Test
    void specificProblemsHaveClearMessages() {
        byte[] ok = MessageCodec.encode(new MessageData().setText("t").setProperty("a", 1));
        assertMessage(with(ok, 0, 2), "unknown message format version 2", 0);
        assertMessage(with(ok, 1, 9), "unknown body type 9", 1);
        assertMessage(with(ok, 2, 0x80), "unknown flags", 2);
        assertMessage(with(ok, 3, 10), "priority 10", 3);
        assertMessage(new byte[0], "empty input", 0);
        assertMessage(Arrays.copyOf(ok, 10), "truncated fixed header", 10);
        assertMessage(Arrays.copyOf(ok, ok.length + 1), "trailing bytes", ok.length);
        assertMessage(with(ok, MessageLayout.OFF_DESTINATION, 7), "JMSDestination: invalid destination kind 7",
                MessageLayout.OFF_DESTINATION);

        MessageData dup = new MessageData().setProperty("ab", 1).setProperty("ac", 2);
        byte[] d = MessageCodec.encode(dup);
        int second = indexOf(d, "ac".getBytes());
        d[second + 1] = 'b';
        assertMessage(d, "duplicate property", second - 4);

        byte[] text = MessageCodec.encode(new MessageData().setText("\u00e9"));
        byte[] overlong = with(text, text.length - 2, 0xC0);
        assertMessage(overlong, "invalid UTF-8 lead byte", text.length - 2);
    }

    private static void assertMessage(byte[] input, String expected, int offset) {
        MessageFormatError e = assertThrows(MessageFormatError.class, () -> MessageCodec.decode(input));
        assertTrue(e.getMessage().contains(expected), () -> e.getMessage() + " should contain " + expected);
        assertEquals(offset, e.offset(), e.getMessage());
        assertTrue(e.getMessage().endsWith("at offset " + offset), e.getMessage());
        assertFalse(tryDecode(input));
    }

    private static byte[] with(byte[] b, int pos, int value) {
        byte[] c = b.clone();
        c[pos] = (byte) value;
        return c;
    }

    private static int indexOf(byte[] hay, byte[] needle) {
        for (int i = 0; i + needle.length <= hay.length; i++) {
            if (Arrays.equals(hay, i, i + needle.length, needle, 0, needle.length)) {
                return i;
            }
        }
        throw new AssertionError("not found");
    }
}
