package io.keel.protocol.selector;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The LIKE matcher on its own: literal metacharacters, code points, byte ranges, and a reference cross-check. */
class LikePatternTest {

    @ParameterizedTest(name = "''{1}'' LIKE ''{0}'' => {2}")
    @CsvSource(delimiterString = "=>", quoteCharacter = '"', textBlock = """
            %         => ""          => true
            _         => ""          => false
            ""        => ""          => true
            ""        => a           => false
            a%        => abc         => true
            %c        => abc         => true
            %b%       => abc         => true
            a_c       => abc         => true
            a_c       => abbc        => false
            a%c       => abbbc       => true
            a%c       => abbbd       => false
            %a%a%     => aa          => true
            %a%a%     => a           => false
            %ab       => aab         => true
            %aab      => aaab        => true
            a%b%c     => axxbxxbyc   => true
            .         => a           => false
            .*        => abc         => false
            .*        => .*          => true
            [abc]     => a           => false
            [abc]     => [abc]       => true
            a|b       => a           => false
            a|b       => a|b         => true
            ^a$       => ^a$         => true
            \\d        => 1           => false
            \\d        => \\d          => true
            (a)+      => (a)+        => true
            {1}?      => {1}?        => true
            é         => é           => true
            _         => é           => true
            __        => é           => false
            _         => 😀          => true
            ___       => a😀b        => true
            %😀%      => xx😀yy      => true
            😀_       => 😀😀        => true
            """)
    void matches(String pattern, String value, boolean expected) {
        LikePattern p = LikePattern.compile(pattern, -1);
        assertEquals(expected, p.matches(value));
        assertEquals(expected, reference(pattern, -1, value), "reference matcher disagrees");
    }

    @Test
    void escapes() {
        assertTrue(LikePattern.compile("\\_%", '\\').matches("_x"));
        assertFalse(LikePattern.compile("\\_%", '\\').matches("ax"));
        assertTrue(LikePattern.compile("100\\%", '\\').matches("100%"));
        assertFalse(LikePattern.compile("100\\%", '\\').matches("1000"));
        assertTrue(LikePattern.compile("a\\\\b", '\\').matches("a\\b"));
        // a supplementary character as the escape
        assertTrue(LikePattern.compile("\uD83D\uDE00%x", 0x1F600).matches("%x"));
        IllegalArgumentException end = assertThrows(IllegalArgumentException.class, () -> LikePattern.compile("ab\\", '\\'));
        assertTrue(end.getMessage().contains("ends with the escape"));
        assertThrows(IllegalArgumentException.class, () -> LikePattern.compile("a\\b", '\\'));
        assertEquals("'a''%' ESCAPE '!'", LikePattern.compile("a'%", '!').toString());
        assertEquals('!', LikePattern.compile("a", '!').escape());
        assertEquals("a'%", LikePattern.compile("a'%", -1).pattern());
    }

    @Test
    void matchesOnlyTheGivenRangeOfTheBuffer() {
        ByteBuffer b = ByteBuffer.wrap("XXabcYY".getBytes(StandardCharsets.UTF_8));
        assertTrue(LikePattern.compile("abc", -1).matches(b, 2, 3));
        assertTrue(LikePattern.compile("a%", -1).matches(b, 2, 3));
        assertFalse(LikePattern.compile("%Y", -1).matches(b, 2, 3));
        assertFalse(LikePattern.compile("abcY", -1).matches(b, 2, 3));
        assertFalse(LikePattern.compile("X%", -1).matches(b, 2, 3));
        assertTrue(LikePattern.compile("___", -1).matches(b, 2, 3));
        assertEquals(0, b.position());
    }

    @Test
    void malformedUtf8NeverThrowsOrReadsPastTheRange() {
        Random r = new Random(7);
        LikePattern[] patterns = {
            LikePattern.compile("_", -1), LikePattern.compile("%_", -1), LikePattern.compile("%é%", -1),
            LikePattern.compile("_%_", -1), LikePattern.compile("%a_", -1)
        };
        for (int i = 0; i < 5_000; i++) {
            byte[] bytes = new byte[r.nextInt(12)];
            r.nextBytes(bytes);
            ByteBuffer b = ByteBuffer.allocate(bytes.length + 4).put(2, bytes);
            for (LikePattern p : patterns) {
                p.matches(b, 2, bytes.length); // must not throw
            }
        }
        // a truncated 2-byte sequence is one character
        assertTrue(LikePattern.compile("_", -1).matches(ByteBuffer.wrap(new byte[] {(byte) 0xC3}), 0, 1));
        // stray continuation bytes count one each
        assertTrue(LikePattern.compile("__", -1).matches(ByteBuffer.wrap(new byte[] {(byte) 0x80, (byte) 0x80}), 0, 2));
    }

    @Test
    void agreesWithAReferenceMatcherOnRandomInputs() {
        Random r = new Random(42);
        String[] alphabet = {"a", "b", "é", "\uD83D\uDE00", "%", "_", "!"};
        for (int i = 0; i < 20_000; i++) {
            String pattern = random(r, alphabet, 6);
            String value = random(r, alphabet, 8).replace("!", "");
            int escape = r.nextBoolean() ? '!' : -1;
            LikePattern p;
            try {
                p = LikePattern.compile(pattern, escape);
            } catch (IllegalArgumentException e) {
                continue; // an escape followed by something else
            }
            assertEquals(reference(pattern, escape, value), p.matches(value), () -> value + " LIKE " + p);
        }
    }

    @Test
    void worstCaseIsPolynomial() {
        String value = "a".repeat(20_000);
        LikePattern p = LikePattern.compile("%a%a%a%a%a%a%a%a%a%a%b", -1);
        // exponential backtracking would not finish; the single-backtrack algorithm is O(n * m)
        assertFalse(assertTimeoutPreemptively(Duration.ofSeconds(20), () -> p.matches(value)));
        assertTrue(LikePattern.compile("%a%a%a%a%a%a%a%a%a%a", -1).matches(value));
    }

    private static String random(Random r, String[] alphabet, int maxLen) {
        StringBuilder b = new StringBuilder();
        int n = r.nextInt(maxLen + 1);
        for (int i = 0; i < n; i++) {
            b.append(alphabet[r.nextInt(alphabet.length)]);
        }
        return b.toString();
    }

    /** Obviously-correct dynamic programming over code points, for cross-checking. */
    private static boolean reference(String pattern, int escape, String value) {
        int[] v = value.codePoints().toArray();
        int[] raw = pattern.codePoints().toArray();
        int[] p = new int[raw.length];
        boolean[] literal = new boolean[raw.length];
        int n = 0;
        for (int i = 0; i < raw.length; i++) {
            if (raw[i] == escape) {
                i++;
                p[n] = raw[i];
                literal[n++] = true;
            } else {
                p[n++] = raw[i];
            }
        }
        boolean[][] m = new boolean[n + 1][v.length + 1];
        m[n][v.length] = true;
        for (int i = n - 1; i >= 0; i--) {
            for (int j = v.length; j >= 0; j--) {
                if (!literal[i] && p[i] == '%') {
                    m[i][j] = m[i + 1][j] || (j < v.length && m[i][j + 1]);
                } else if (!literal[i] && p[i] == '_') {
                    m[i][j] = j < v.length && m[i + 1][j + 1];
                } else {
                    m[i][j] = j < v.length && v[j] == p[i] && m[i + 1][j + 1];
                }
            }
        }
        return m[0][0];
    }
}
