package io.keel.protocol.message;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;

/** The generalized UTF-8: standard for valid strings, lossless for lone surrogates, strict on input. */
class Utf8Test {

    @Test
    void validStringsEncodeExactlyAsStandardUtf8() {
        Random r = new Random(7);
        for (int i = 0; i < 2000; i++) {
            StringBuilder sb = new StringBuilder();
            int n = r.nextInt(30);
            while (sb.length() < n) {
                int cp = r.nextInt(4) == 0 ? r.nextInt(0x80) : r.nextInt(Character.MAX_CODE_POINT + 1);
                if (cp < 0xD800 || cp > 0xDFFF) {
                    sb.appendCodePoint(cp);
                }
            }
            String s = sb.toString();
            byte[] jdk = s.getBytes(StandardCharsets.UTF_8);
            assertArrayEquals(jdk, Utf8.encode(s), s);
            assertEquals(jdk.length, Utf8.encodedLength(s));
            assertEquals(s, decode(jdk));
            assertEquals(s, decodeDirect(jdk));
            ByteBuf direct = Unpooled.directBuffer();
            Utf8.write(direct, s, jdk.length);
            assertArrayEquals(jdk, ByteBufUtil.getBytes(direct));
            direct.release();
        }
    }

    @Test
    void loneSurrogatesRoundTrip() {
        for (String s : new String[] {"\ud800", "\udfff", "a\udc00", "\ud800\ud800\udc00", "\udc00\ud800", "x\ud83d"}) {
            byte[] b = Utf8.encode(s);
            assertEquals(s, decode(b));
            assertEquals(s, decodeDirect(b));
        }
        assertArrayEquals(new byte[] {(byte) 0xED, (byte) 0xA0, (byte) 0x80}, Utf8.encode("\ud800"));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "stray continuation, 80, invalid UTF-8 lead byte",
        "overlong 2-byte, C0 80, invalid UTF-8 lead byte",
        "overlong 3-byte, E0 80 80, overlong",
        "overlong 4-byte, F0 80 80 80, out of range",
        "above U+10FFFF, F4 90 80 80, out of range",
        "5-byte lead, F8 88 80 80 80, invalid UTF-8 lead byte",
        "bad continuation, C3 28, invalid UTF-8 continuation byte",
        "truncated 3-byte, E2 82, truncated UTF-8 sequence",
        "truncated 4-byte, F0 9D 84, truncated UTF-8 sequence",
        "pair as two 3-byte sequences, ED A0 80 ED B0 80, surrogate pair",
    })
    void malformedInputIsRejected(String name, String hex, String expected) {
        byte[] b = hex(hex);
        MessageFormatError e = assertThrows(MessageFormatError.class, () -> decode(b));
        assertTrue(e.getMessage().contains(expected), e.getMessage());
        assertThrows(MessageFormatError.class, () -> Utf8.validate(ByteBuffer.wrap(b), 0, b.length, 0, "t"));
    }

    private static String decode(byte[] b) {
        return Utf8.decode(ByteBuffer.wrap(b), 0, b.length, 0, "t");
    }

    private static String decodeDirect(byte[] b) {
        ByteBuffer d = ByteBuffer.allocateDirect(b.length + 3);
        d.position(3);
        d.put(b);
        return Utf8.decode(d, 3, b.length, 0, "t");
    }

    private static byte[] hex(String s) {
        String[] parts = s.trim().split(" ");
        byte[] b = new byte[parts.length];
        for (int i = 0; i < parts.length; i++) {
            b[i] = (byte) Integer.parseInt(parts[i], 16);
        }
        return b;
    }
}
