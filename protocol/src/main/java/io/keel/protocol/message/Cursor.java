package io.keel.protocol.message;

import java.nio.ByteBuffer;

/**
 * A bounds-checked reader over a region of a big-endian {@link ByteBuffer}, using absolute gets only
 * (the buffer's position is never touched, so shared store buffers stay usable). Every read checks the
 * bytes left first and throws a {@link MessageFormatError} naming the field and its offset from the
 * message start, so garbled input can never cause an IndexOutOfBoundsException or a large allocation.
 * Mutable and reusable, so the broker's lookups allocate nothing.
 */
final class Cursor {

    ByteBuffer buf;
    /** Absolute index of the message start (error offsets are relative to it). */
    int base;
    /** Absolute index of the next byte. */
    int pos;
    /** Absolute index just past the readable region. */
    int limit;

    Cursor reset(ByteBuffer buf, int base, int pos, int limit) {
        this.buf = buf;
        this.base = base;
        this.pos = pos;
        this.limit = limit;
        return this;
    }

    int remaining() {
        return limit - pos;
    }

    boolean hasRemaining() {
        return pos < limit;
    }

    MessageFormatError error(String problem, int at) {
        return new MessageFormatError(problem, at - base);
    }

    void need(int n, String what) {
        if (n > limit - pos) {
            throw error("truncated " + what + ": needs " + n + " bytes, " + (limit - pos) + " left", pos);
        }
    }

    void skip(int n, String what) {
        need(n, what);
        pos += n;
    }

    int u8(String what) {
        need(1, what);
        return buf.get(pos++) & 0xFF;
    }

    byte i8(String what) {
        need(1, what);
        return buf.get(pos++);
    }

    short i16(String what) {
        need(2, what);
        short v = buf.getShort(pos);
        pos += 2;
        return v;
    }

    char u16(String what) {
        need(2, what);
        char v = buf.getChar(pos);
        pos += 2;
        return v;
    }

    int i32(String what) {
        need(4, what);
        int v = buf.getInt(pos);
        pos += 4;
        return v;
    }

    long i64(String what) {
        need(8, what);
        long v = buf.getLong(pos);
        pos += 8;
        return v;
    }

    /**
     * Reads a 4-byte length and checks it against the bytes left: returns -1 only if {@code nullable},
     * else a length n with {@code 0 <= n <= remaining()}.
     */
    int length(String what, boolean nullable) {
        int at = pos;
        int n = i32(what);
        if (n == MessageLayout.NULL_LENGTH && nullable) {
            return n;
        }
        if (n < 0) {
            throw error(what + ": invalid length " + n, at);
        }
        if (n > limit - pos) {
            throw error(what + ": length " + n + " exceeds the " + (limit - pos) + " bytes left", at);
        }
        return n;
    }

    /** Reads a string (i32 length, -1 = null only if {@code nullable}, then UTF-8). */
    String string(String what, boolean nullable) {
        int n = length(what, nullable);
        if (n < 0) {
            return null;
        }
        String s = Utf8.decode(buf, pos, n, base, what);
        pos += n;
        return s;
    }

    /** Skips a string, checking its UTF-8 only if {@code check}. */
    void skipString(String what, boolean nullable, boolean check) {
        int n = length(what, nullable);
        if (n > 0) {
            if (check) {
                Utf8.validate(buf, pos, n, base, what);
            }
            pos += n;
        }
    }

    /** Copies {@code n} bytes (already checked by {@link #length}) into a new array. */
    byte[] bytes(int n) {
        byte[] out = new byte[n];
        buf.get(pos, out);
        pos += n;
        return out;
    }
}
