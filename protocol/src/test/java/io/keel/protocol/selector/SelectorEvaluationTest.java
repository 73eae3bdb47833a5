package io.keel.protocol.selector;

import static io.keel.protocol.selector.Messages.assertTruth;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import io.keel.protocol.message.MessageData;

/**
 * Evaluation tables: each row is a selector and its truth value on {@link Messages#standard()}, checked
 * on the decoded and the encoded message, and negated with NOT. "missing" is a property the message does
 * not have; "n" one set to null.
 */
class SelectorEvaluationTest {

    private static final MessageData M = Messages.standard();

    private static void check(String selector, Truth expected) {
        assertTruth(M, selector, expected, null);
    }

    @ParameterizedTest(name = "{0} => {1}")
    @CsvSource(delimiterString = "=>", quoteCharacter = '"', textBlock = """
            i = 3            => TRUE
            i = 4            => FALSE
            n = 3            => UNKNOWN
            missing = 3      => UNKNOWN
            3 = i            => TRUE
            i = i            => TRUE
            n = n            => UNKNOWN
            i <> 4           => TRUE
            i <> 3           => FALSE
            n <> 3           => UNKNOWN
            missing <> 3     => UNKNOWN
            i < 4            => TRUE
            i < 3            => FALSE
            n < 4            => UNKNOWN
            i <= 3           => TRUE
            i <= 2           => FALSE
            missing <= 3     => UNKNOWN
            i > 2            => TRUE
            i > 3            => FALSE
            n > 2            => UNKNOWN
            i >= 3           => TRUE
            i >= 4           => FALSE
            missing >= 0     => UNKNOWN
            i<>4             => TRUE
            i>=3 AND i<=3    => TRUE
            """)
    void comparisons(String selector, Truth expected) {
        check(selector, expected);
    }

    @ParameterizedTest(name = "{0} => {1}")
    @CsvSource(delimiterString = "=>", quoteCharacter = '"', textBlock = """
            s = 'red'                  => TRUE
            'red' = s                  => TRUE
            s = 'Red'                  => FALSE
            s = 'red '                 => FALSE
            s = 're'                   => FALSE
            s <> 'blue'                => TRUE
            s <> 'red'                 => FALSE
            e = ''                     => TRUE
            s = ''                     => FALSE
            q = 'it''s'                => TRUE
            uni = 'héllo wörld 😀'      => TRUE
            uni = 'hello world 😀'      => FALSE
            s = s2                     => TRUE
            s <> s2                    => FALSE
            s = JMSType                => FALSE
            n = 'red'                  => UNKNOWN
            missing = 'red'            => UNKNOWN
            missing <> 'red'           => UNKNOWN
            'a' = 'a'                  => TRUE
            'a' <> 'a'                 => FALSE
            color = 'red'              => TRUE
            Color = 'red'              => FALSE
            COLOR = 'red'              => UNKNOWN
            """)
    void strings(String selector, Truth expected) {
        check(selector, expected);
    }

    @ParameterizedTest(name = "{0} => {1}")
    @CsvSource(delimiterString = "=>", quoteCharacter = '"', textBlock = """
            t                   => TRUE
            f                   => FALSE
            n                   => UNKNOWN
            missing             => UNKNOWN
            TRUE                => TRUE
            FALSE               => FALSE
            t = TRUE            => TRUE
            t = FALSE           => FALSE
            t <> FALSE          => TRUE
            f = FALSE           => TRUE
            n = TRUE            => UNKNOWN
            TRUE = t            => TRUE
            t = f               => FALSE
            t <> f              => TRUE
            (i > 1) = TRUE      => TRUE
            (i > 5) = TRUE      => FALSE
            (n > 1) = TRUE      => UNKNOWN
            (i > 1) = (s = 'red') => TRUE
            i                   => UNKNOWN
            s                   => UNKNOWN
            t < f               => FALSE
            s < s2              => FALSE
            s >= s2             => FALSE
            """)
    void booleans(String selector, Truth expected) {
        check(selector, expected);
    }

    /** "If the comparison of non-like type values is attempted, the value of the operation is false." */
    @ParameterizedTest(name = "{0} => {1}")
    @CsvSource(delimiterString = "=>", quoteCharacter = '"', textBlock = """
            s = 1                       => FALSE
            s <> 1                      => FALSE
            s > 1                       => FALSE
            num > 1                     => FALSE
            num = 2                     => FALSE
            i = 'red'                   => FALSE
            i <> '3'                    => FALSE
            t = 1                       => FALSE
            i = TRUE                    => FALSE
            t = 'true'                  => FALSE
            t = s                       => FALSE
            s + 1 > 0                   => FALSE
            1 + s > 0                   => FALSE
            -s < 0                      => FALSE
            +s < 0                      => FALSE
            t * 2 = 2                   => FALSE
            s + n > 0                   => UNKNOWN
            n + s > 0                   => UNKNOWN
            s BETWEEN 1 AND 5           => FALSE
            s NOT BETWEEN 1 AND 5       => FALSE
            i BETWEEN s AND 5           => FALSE
            i IN ('3')                  => FALSE
            i NOT IN ('3')              => FALSE
            t IN ('true')               => FALSE
            i LIKE '3'                  => FALSE
            i NOT LIKE '3'              => FALSE
            d NOT LIKE '%'              => FALSE
            """)
    void typeMismatches(String selector, Truth expected) {
        check(selector, expected);
    }

    /** "Arithmetic operations must use Java numeric promotion"; exact and approximate numbers compare. */
    @ParameterizedTest(name = "{0} => {1}")
    @CsvSource(delimiterString = "=>", quoteCharacter = '"', textBlock = """
            by = 1                       => TRUE
            sh = 2                       => TRUE
            l = 4                        => TRUE
            fl = 1.5                     => TRUE
            d = 2.5                      => TRUE
            one = 1                      => TRUE
            i = 3.0                      => TRUE
            i = 3.0000001                => FALSE
            i < 3.0000001                => TRUE
            dtenth = 0.1                 => TRUE
            ftenth = 0.1                 => FALSE
            ftenth = 0.1f                => TRUE
            ftenth = 0.1F                => TRUE
            ftenth < 0.1                 => FALSE
            by + sh = i                  => TRUE
            by + sh + i + l = 10         => TRUE
            by < sh                      => TRUE
            sh > fl                      => TRUE
            l = d + fl                   => TRUE
            i * 2 = 6                    => TRUE
            i / 2 = 1                    => TRUE
            -i / 2 = -1                  => TRUE
            i / 2.0 = 1.5                => TRUE
            d * 2 = 5                    => TRUE
            fl + d = 4.0                 => TRUE
            fl * fl = 2.25               => TRUE
            -i = -3                      => TRUE
            - - i = 3                    => TRUE
            +i = 3                       => TRUE
            -fl = -1.5                   => TRUE
            -d < -2                      => TRUE
            imax + 1 > 0                 => TRUE
            imax + imax = -2             => TRUE
            imax * by > 0                => TRUE
            imax + l > 0                 => TRUE
            big + 1 < 0                  => TRUE
            big = 9223372036854775807    => TRUE
            big = 9223372036854775806    => FALSE
            big > 9223372036854775806    => TRUE
            big = 9.223372036854775807E18 => TRUE
            i * 1000000000 = 3000000000  => TRUE
            i / 0 = 0                    => UNKNOWN
            i / zero > 0                 => UNKNOWN
            l / 0 <> 1                   => UNKNOWN
            d / 0 > 1000                 => TRUE
            i / 0.0 > 1000               => TRUE
            -i / 0.0 < -1000             => TRUE
            zero / 0.0 = zero / 0.0      => FALSE
            zero / 0.0 <> 1              => TRUE
            nan = nan                    => FALSE
            nan <> nan                   => TRUE
            nan < 1                      => FALSE
            nan >= 1                     => FALSE
            nan BETWEEN 0 AND 1          => FALSE
            nan NOT BETWEEN 0 AND 1      => FALSE
            n * 2 = 2                    => UNKNOWN
            -n = 0                       => UNKNOWN
            missing + 1 = 1              => UNKNOWN
            """)
    void numericPromotion(String selector, Truth expected) {
        check(selector, expected);
    }

    @ParameterizedTest(name = "{0} => {1}")
    @CsvSource(delimiterString = "=>", quoteCharacter = '"', textBlock = """
            l = 4L                => TRUE
            i = 0x3               => TRUE
            i = 0X3L              => TRUE
            i = 03                => TRUE
            i = 0b11              => TRUE
            i = 3.                => TRUE
            l = 4d                => TRUE
            l = 4f                => TRUE
            d = 25e-1             => TRUE
            d = .25e1             => TRUE
            d = 2.5D              => TRUE
            d = 0.025E+2          => TRUE
            fl = 0x1.8p0          => TRUE
            fl = 0x.Cp1           => TRUE
            10 = 1_0              => TRUE
            0x1_F = 31            => TRUE
            0_17 = 15             => TRUE
            7E3 = 7000            => TRUE
            -57.9E2 = -5790       => TRUE
            +6.2 = 6.2            => TRUE
            -957 < +62            => TRUE
            -9223372036854775808 < -9223372036854775807 => TRUE
            -9223372036854775808L = -9223372036854775807 - 1 => TRUE
            0xFFFFFFFF = 4294967295 => TRUE
            0xFFFFFFFFFFFFFFFF = -1  => TRUE
            01777777777777777777777 = -1 => TRUE
            1.7976931348623157E308 > 1 => TRUE
            4.9E-324 > 0          => TRUE
            """)
    void literals(String selector, Truth expected) {
        check(selector, expected);
    }

    /** The three-valued logic tables of section 3.8.1.2 (t = TRUE, f = FALSE, n = UNKNOWN). */
    @ParameterizedTest(name = "{0} => {1}")
    @CsvSource(delimiterString = "=>", quoteCharacter = '"', textBlock = """
            t AND t   => TRUE
            t AND f   => FALSE
            t AND n   => UNKNOWN
            f AND t   => FALSE
            f AND f   => FALSE
            f AND n   => FALSE
            n AND t   => UNKNOWN
            n AND f   => FALSE
            n AND n   => UNKNOWN
            t OR t    => TRUE
            t OR f    => TRUE
            t OR n    => TRUE
            f OR t    => TRUE
            f OR f    => FALSE
            f OR n    => UNKNOWN
            n OR t    => TRUE
            n OR f    => UNKNOWN
            n OR n    => UNKNOWN
            NOT t     => FALSE
            NOT f     => TRUE
            NOT n     => UNKNOWN
            NOT NOT n => UNKNOWN
            NOT NOT t => TRUE
            t AND t AND n AND t => UNKNOWN
            t AND n AND f AND t => FALSE
            f OR n OR f => UNKNOWN
            f OR n OR t => TRUE
            missing = 1 AND f => FALSE
            missing = 1 OR t => TRUE
            """)
    void threeValuedLogic(String selector, Truth expected) {
        check(selector, expected);
    }

    @ParameterizedTest(name = "{0} => {1}")
    @CsvSource(delimiterString = "=>", quoteCharacter = '"', textBlock = """
            t OR f AND f             => TRUE
            (t OR f) AND f           => FALSE
            NOT t AND f              => FALSE
            NOT (t AND f)            => TRUE
            NOT f OR t AND f         => TRUE
            NOT (f OR t) AND t       => FALSE
            f AND f OR t             => TRUE
            f AND (f OR t)           => FALSE
            i = 1 + 2 * 1            => TRUE
            i = (1 + 2) * 1          => TRUE
            i = 1 + 2 * 3            => FALSE
            (1 + 2) * 3 = 9          => TRUE
            i - 1 - 1 = 1            => TRUE
            i - (1 - 1) = 3          => TRUE
            12 / i / 2 = 2           => TRUE
            12 / (i / 3) = 12        => TRUE
            -i * -1 = 3              => TRUE
            2 * -i = -6              => TRUE
            i + l * d = 13           => TRUE
            (i + l) * d = 17.5       => TRUE
            NOT i = 4                => TRUE
            NOT i BETWEEN 4 AND 5    => TRUE
            """)
    void precedence(String selector, Truth expected) {
        check(selector, expected);
    }
}
