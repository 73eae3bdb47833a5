package io.keel.protocol.selector;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

import io.keel.protocol.message.MessageCodec;

/**
 * A compiled LIKE pattern ({@code _} = any one character, {@code %} = any sequence, an optional escape
 * character), matched directly against UTF-8 bytes, so that a string property of an encoded message
 * is matched in place, without decoding and without allocation. No regular expressions: every other
 * character, {@code . * [ \ ^ $} included, stands for itself.
 *
 * <p>"Character" is a Unicode code point: {@code _} consumes one UTF-8 sequence (a surrogate pair is
 * one 4-byte sequence; an unpaired surrogate, which the message format stores as a 3-byte sequence,
 * also counts as one). Literal runs are compared byte for byte, which is the same as comparing code
 * points because the encoding of a string is unique (see {@link io.keel.protocol.message.MessageLayout}).
 *
 * <p>Matching is the classic wildcard algorithm with one backtracking point (the last {@code %}):
 * O(pattern x input) in the worst case, never exponential, no recursion. Malformed UTF-8 in the input
 * cannot make it fail or read outside the given range.
 */
public final class LikePattern {

    private static final byte LITERAL = 0;
    private static final byte ONE = 1;
    private static final byte ANY = 2;

    private final String pattern;
    private final int escape;
    /** Element kinds, and for LITERAL elements the bytes to match. */
    private final byte[] kinds;
    private final byte[][] literals;

    private LikePattern(String pattern, int escape, byte[] kinds, byte[][] literals) {
        this.pattern = pattern;
        this.escape = escape;
        this.kinds = kinds;
        this.literals = literals;
    }

    /**
     * Compiles {@code pattern}; {@code escape} is the escape code point or -1 for none. As in SQL-92
     * (8.5 like predicate, general rule 3), the escape character may be followed only by {@code _},
     * {@code %} or itself; anything else, or an escape at the end, is an IllegalArgumentException.
     */
    static LikePattern compile(String pattern, int escape) {
        List<Byte> kinds = new ArrayList<>();
        List<byte[]> literals = new ArrayList<>();
        StringBuilder run = new StringBuilder();
        for (int i = 0; i < pattern.length();) {
            int cp = pattern.codePointAt(i);
            i += Character.charCount(cp);
            if (cp == escape) {
                if (i >= pattern.length()) {
                    throw new IllegalArgumentException("the pattern ends with the escape character");
                }
                int next = pattern.codePointAt(i);
                if (next != '_' && next != '%' && next != escape) {
                    throw new IllegalArgumentException("the escape character is followed by '"
                            + new String(Character.toChars(next)) + "' (only _, % or the escape character may follow it)");
                }
                i += Character.charCount(next);
                run.appendCodePoint(next);
            } else if (cp == '_' || cp == '%') {
                if (run.length() > 0) {
                    kinds.add(LITERAL);
                    literals.add(MessageCodec.utf8(run.toString()));
                    run.setLength(0);
                }
                if (cp == '%' && !kinds.isEmpty() && kinds.get(kinds.size() - 1) == ANY) {
                    continue; // %% is %
                }
                kinds.add(cp == '_' ? ONE : ANY);
                literals.add(null);
            } else {
                run.appendCodePoint(cp);
            }
        }
        if (run.length() > 0) {
            kinds.add(LITERAL);
            literals.add(MessageCodec.utf8(run.toString()));
        }
        byte[] k = new byte[kinds.size()];
        for (int i = 0; i < k.length; i++) {
            k[i] = kinds.get(i);
        }
        return new LikePattern(pattern, escape, k, literals.toArray(new byte[0][]));
    }

    /** Whether the UTF-8 bytes {@code buf[start, start + length)} match; absolute reads, no allocation. */
    public boolean matches(ByteBuffer buf, int start, int length) {
        int end = start + length;
        int i = start;
        int j = 0;
        int starJ = -1;
        int starI = -1;
        int n = kinds.length;
        while (i < end) {
            if (j < n && kinds[j] == ONE) {
                i = next(buf, i, end);
                j++;
            } else if (j < n && kinds[j] == LITERAL && regionMatches(buf, i, end, literals[j])) {
                i += literals[j].length;
                j++;
            } else if (j < n && kinds[j] == ANY) {
                starJ = j++;
                starI = i;
            } else if (starJ >= 0) {
                starI = next(buf, starI, end);
                i = starI;
                j = starJ + 1;
            } else {
                return false;
            }
        }
        while (j < n && kinds[j] == ANY) {
            j++;
        }
        return j == n;
    }

    /** Whether {@code s} matches (encodes it first, so it allocates). */
    public boolean matches(String s) {
        byte[] b = MessageCodec.utf8(s);
        return matches(ByteBuffer.wrap(b), 0, b.length);
    }

    /** The pattern as written (escapes not undone). */
    public String pattern() {
        return pattern;
    }

    /** The escape code point, or -1. */
    public int escape() {
        return escape;
    }

    private static boolean regionMatches(ByteBuffer buf, int i, int end, byte[] lit) {
        if (lit.length > end - i) {
            return false;
        }
        for (int k = 0; k < lit.length; k++) {
            if (buf.get(i + k) != lit[k]) {
                return false;
            }
        }
        return true;
    }

    /** Index after the UTF-8 sequence starting at {@code i} (one byte if the lead byte is not a lead byte). */
    private static int next(ByteBuffer buf, int i, int end) {
        int b = buf.get(i) & 0xFF;
        int len = b < 0xC0 ? 1 : b < 0xE0 ? 2 : b < 0xF0 ? 3 : b < 0xF8 ? 4 : 1;
        return Math.min(i + len, end);
    }

    @Override
    public String toString() {
        String s = "'" + pattern.replace("'", "''") + "'";
        return escape < 0 ? s : s + " ESCAPE '" + new String(Character.toChars(escape)).replace("'", "''") + "'";
    }
}
