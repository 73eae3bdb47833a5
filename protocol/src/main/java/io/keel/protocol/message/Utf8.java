package io.keel.protocol.message;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

import io.netty.buffer.ByteBuf;

/**
 * The "generalized UTF-8" of {@link MessageLayout}: standard UTF-8 for valid UTF-16, the 3-byte form
 * for an unpaired surrogate, so that every Java string round-trips; one canonical encoding per string.
 * Hand-written because the JDK and Netty encoders replace unpaired surrogates by '?', and because the
 * decoder must read from any {@link ByteBuffer} without copying and report errors as
 * {@link MessageFormatError}s.
 */
final class Utf8 {

    private Utf8() {
    }

    /** Encoded size of {@code s}; IllegalArgumentException if above {@code Integer.MAX_VALUE - 64}. */
    static int encodedLength(String s) {
        int n = s.length();
        long len = n;
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c >= 0x80) {
                if (c < 0x800) {
                    len += 1;
                } else if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))) {
                    len += 2; // two chars, four bytes
                    i++;
                } else {
                    len += 2;
                }
            }
        }
        if (len > Integer.MAX_VALUE - 64) {
            throw new IllegalArgumentException("string of " + n + " chars is too long to encode");
        }
        return (int) len;
    }

    /** The encoding of {@code s} as a new array. */
    static byte[] encode(String s) {
        byte[] out = new byte[encodedLength(s)];
        encodeInto(s, out, 0);
        return out;
    }

    /** Writes {@code s} as i32 length then bytes; null as length -1. */
    static void writeString(ByteBuf out, String s) {
        if (s == null) {
            out.writeInt(MessageLayout.NULL_LENGTH);
            return;
        }
        int len = encodedLength(s);
        out.writeInt(len);
        write(out, s, len);
    }

    /** Writes the {@code len} encoded bytes of {@code s} (as returned by {@link #encodedLength}). */
    static void write(ByteBuf out, String s, int len) {
        if (len == s.length()) { // all ASCII: Netty's fast path
            out.writeCharSequence(s, StandardCharsets.US_ASCII);
            return;
        }
        out.ensureWritable(len);
        int w = out.writerIndex();
        if (out.hasArray()) {
            encodeInto(s, out.array(), out.arrayOffset() + w);
        } else {
            int n = s.length();
            int p = w;
            for (int i = 0; i < n; i++) {
                char c = s.charAt(i);
                if (c < 0x80) {
                    out.setByte(p++, c);
                } else if (c < 0x800) {
                    out.setByte(p++, 0xC0 | (c >> 6));
                    out.setByte(p++, 0x80 | (c & 0x3F));
                } else if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))) {
                    int cp = Character.toCodePoint(c, s.charAt(++i));
                    out.setByte(p++, 0xF0 | (cp >> 18));
                    out.setByte(p++, 0x80 | ((cp >> 12) & 0x3F));
                    out.setByte(p++, 0x80 | ((cp >> 6) & 0x3F));
                    out.setByte(p++, 0x80 | (cp & 0x3F));
                } else {
                    out.setByte(p++, 0xE0 | (c >> 12));
                    out.setByte(p++, 0x80 | ((c >> 6) & 0x3F));
                    out.setByte(p++, 0x80 | (c & 0x3F));
                }
            }
        }
        out.writerIndex(w + len);
    }

    private static void encodeInto(String s, byte[] a, int p) {
        int n = s.length();
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                a[p++] = (byte) c;
            } else if (c < 0x800) {
                a[p++] = (byte) (0xC0 | (c >> 6));
                a[p++] = (byte) (0x80 | (c & 0x3F));
            } else if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))) {
                int cp = Character.toCodePoint(c, s.charAt(++i));
                a[p++] = (byte) (0xF0 | (cp >> 18));
                a[p++] = (byte) (0x80 | ((cp >> 12) & 0x3F));
                a[p++] = (byte) (0x80 | ((cp >> 6) & 0x3F));
                a[p++] = (byte) (0x80 | (cp & 0x3F));
            } else {
                a[p++] = (byte) (0xE0 | (c >> 12));
                a[p++] = (byte) (0x80 | ((c >> 6) & 0x3F));
                a[p++] = (byte) (0x80 | (c & 0x3F));
            }
        }
    }

    /**
     * Decodes {@code len} bytes at absolute index {@code pos} (the caller has checked they exist).
     * Errors are reported relative to {@code base}, the message start.
     */
    static String decode(ByteBuffer buf, int pos, int len, int base, String what) {
        if (len == 0) {
            return "";
        }
        if (buf.hasArray()) {
            byte[] a = buf.array();
            int start = buf.arrayOffset() + pos;
            if (isAscii(a, start, len)) {
                return new String(a, start, len, StandardCharsets.ISO_8859_1);
            }
        }
        char[] chars = new char[len]; // never more chars than bytes
        int n = scan(buf, pos, len, chars, base, what);
        return new String(chars, 0, n);
    }

    /** Checks that the bytes are well-formed without allocating; MessageFormatError if not. */
    static void validate(ByteBuffer buf, int pos, int len, int base, String what) {
        scan(buf, pos, len, null, base, what);
    }

    /** Whether the {@code key.length} bytes at absolute {@code pos} equal {@code key}. */
    static boolean regionEquals(ByteBuffer buf, int pos, byte[] key) {
        if (buf.hasArray()) {
            int start = buf.arrayOffset() + pos;
            return java.util.Arrays.equals(buf.array(), start, start + key.length, key, 0, key.length);
        }
        for (int i = 0; i < key.length; i++) {
            if (buf.get(pos + i) != key[i]) {
                return false;
            }
        }
        return true;
    }

    /** Whether two regions of the same length in {@code buf} hold equal bytes. */
    static boolean regionEquals(ByteBuffer buf, int a, int b, int len) {
        for (int i = 0; i < len; i++) {
            if (buf.get(a + i) != buf.get(b + i)) {
                return false;
            }
        }
        return true;
    }

    private static boolean isAscii(byte[] a, int start, int len) {
        for (int i = start, end = start + len; i < end; i++) {
            if (a[i] < 0) {
                return false;
            }
        }
        return true;
    }

    /** Decodes into {@code out} (or only validates if null); returns the number of chars. */
    private static int scan(ByteBuffer buf, int pos, int len, char[] out, int base, String what) {
        int end = pos + len;
        int n = 0;
        boolean afterHigh3 = false; // previous sequence was a 3-byte high surrogate
        int i = pos;
        while (i < end) {
            int b = buf.get(i);
            if (b >= 0) {
                if (out != null) {
                    out[n] = (char) b;
                }
                n++;
                i++;
                afterHigh3 = false;
                continue;
            }
            b &= 0xFF;
            if (b >= 0xC2 && b <= 0xDF) {
                need(i, 2, end, base, what);
                int c = ((b & 0x1F) << 6) | cont(buf, i + 1, base, what);
                if (out != null) {
                    out[n] = (char) c;
                }
                n++;
                i += 2;
                afterHigh3 = false;
            } else if (b >= 0xE0 && b <= 0xEF) {
                need(i, 3, end, base, what);
                int c = ((b & 0x0F) << 12) | (cont(buf, i + 1, base, what) << 6) | cont(buf, i + 2, base, what);
                if (c < 0x800) {
                    throw new MessageFormatError(what + ": overlong UTF-8 sequence", i - base);
                }
                if (afterHigh3 && Character.isLowSurrogate((char) c)) {
                    throw new MessageFormatError(what + ": surrogate pair encoded as two 3-byte UTF-8 sequences",
                            i - base);
                }
                afterHigh3 = Character.isHighSurrogate((char) c);
                if (out != null) {
                    out[n] = (char) c;
                }
                n++;
                i += 3;
            } else if (b >= 0xF0 && b <= 0xF4) {
                need(i, 4, end, base, what);
                int cp = ((b & 0x07) << 18) | (cont(buf, i + 1, base, what) << 12)
                        | (cont(buf, i + 2, base, what) << 6) | cont(buf, i + 3, base, what);
                if (cp < 0x10000 || cp > Character.MAX_CODE_POINT) {
                    throw new MessageFormatError(what + ": UTF-8 sequence out of range", i - base);
                }
                if (out != null) {
                    out[n] = Character.highSurrogate(cp);
                    out[n + 1] = Character.lowSurrogate(cp);
                }
                n += 2;
                i += 4;
                afterHigh3 = false;
            } else {
                throw new MessageFormatError(what + ": invalid UTF-8 lead byte 0x" + Integer.toHexString(b), i - base);
            }
        }
        return n;
    }

    private static void need(int i, int n, int end, int base, String what) {
        if (end - i < n) {
            throw new MessageFormatError(what + ": truncated UTF-8 sequence", i - base);
        }
    }

    private static int cont(ByteBuffer buf, int i, int base, String what) {
        int c = buf.get(i);
        if ((c & 0xC0) != 0x80) {
            throw new MessageFormatError(what + ": invalid UTF-8 continuation byte", i - base);
        }
        return c & 0x3F;
    }
}
