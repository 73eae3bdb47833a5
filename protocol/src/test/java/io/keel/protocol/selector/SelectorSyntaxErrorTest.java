package io.keel.protocol.selector;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Invalid selectors: each throws SelectorSyntaxError naming the selector and the column of the problem. */
class SelectorSyntaxErrorTest {

    static Stream<Arguments> invalid() {
        return Stream.of(
                // incomplete or misplaced tokens
                arguments("color =", 8, "expected an identifier, a literal or '('"),
                arguments("= 1", 1, "expected an identifier"),
                arguments("a AND", 6, "the end of the selector"),
                arguments("(a = 1", 7, "')' to close the '(' at column 1"),
                arguments("a = 1)", 6, "has no '('"),
                arguments("a = 1 b = 2", 7, "expected AND, OR or the end of the selector"),
                arguments("a == 1", 4, "found '='"),
                arguments("a = b = c", 7, "expected AND, OR"),
                arguments("i > 2 = TRUE", 7, "expected AND, OR"),
                arguments("x NOT 5", 7, "BETWEEN, LIKE or IN after NOT"),
                arguments("x BETWEEN 1", 12, "AND between the bounds of BETWEEN"),
                arguments("x IS 5", 6, "NULL or NOT NULL after IS"),
                arguments("x IS NOT 5", 10, "NULL after IS NOT"),
                arguments("x = 'a' ESCAPE 'b'", 9, "found keyword ESCAPE"),
                arguments("x LIKE 'a' ESCAPE", 18, "a string literal after ESCAPE"),
                arguments("x IN 'a'", 6, "'(' after IN"),
                arguments("x IN ()", 7, "a string literal"),
                arguments("x IN ('a' 'b')", 11, "',' or ')' in the IN list"),
                arguments("a = 1\nAND\n= 2", 11, "expected an identifier"),
                // keywords are not identifiers (the TCK's "NULL = 0" ... "ESCAPE = 0")
                arguments("NULL = 0", 1, "NULL is not a value"),
                arguments("x = NULL", 5, "IS NULL or IS NOT NULL"),
                arguments("NOT = 0", 5, "found '='"),
                arguments("AND = 0", 1, "found keyword AND"),
                arguments("OR = 0", 1, "found keyword OR"),
                arguments("BETWEEN = 0", 1, "found keyword BETWEEN"),
                arguments("LIKE = 0", 1, "found keyword LIKE"),
                arguments("IN = 0", 1, "found keyword IN"),
                arguments("IS = 0", 1, "found keyword IS"),
                arguments("ESCAPE = 0", 1, "found keyword ESCAPE"),
                arguments("and = 0", 1, "found keyword and"),
                arguments("TRUE = 0", 6, "only like types"),
                arguments("FALSE = 0", 7, "only like types"),
                // lexical errors
                arguments("s = 'abc", 5, "not terminated"),
                arguments("a != 1", 3, "not equal is written <>"),
                arguments("x = \"a\"", 5, "single quotes"),
                arguments("x = 1 # 2", 7, "unexpected character '#'"),
                arguments("x = 1 \u00a0", 7, "U+00A0"),
                arguments("x = 1AND y = 2", 6, "directly followed by 'A'"),
                arguments("x = 1.5e", 9, "exponent of 1.5e has no digits"),
                arguments("x = 0x", 5, "hexadecimal literal has no digits"),
                arguments("x = 0x1.8", 10, "binary exponent"),
                arguments("x = 09", 6, "invalid digit '9' in octal literal"),
                arguments("x = 1_", 6, "'_' in a numeric literal"),
                arguments("x = 1__", 6, "'_' in a numeric literal"),
                arguments("x = 1.5L", 8, "directly followed by 'L'"),
                arguments("x = 9223372036854775808", 5, "out of the range of long"),
                arguments("x = 99999999999999999999", 5, "out of the range of long"),
                arguments("x = 0x10000000000000000", 5, "out of the range of long"),
                arguments("x = 1e999", 5, "too large for a double"),
                arguments("x = 1e39f", 5, "too large for a float"),
                arguments("x = 1e-999", 5, "too small for a double"),
                // semantic errors visible without a message
                arguments("'a' < 'b'", 1, "restricted to = and <>"),
                arguments("myProp > 'foo'", 10, "restricted to = and <>"),
                arguments("'foo' >= TRUE", 1, "restricted to = and <>"),
                arguments("x < TRUE", 5, "restricted to = and <>"),
                arguments("JMSType < 'b'", 1, "restricted to = and <>"),
                arguments("'a' = 1", 5, "cannot compare a string ('a') with a number (1)"),
                arguments("JMSPriority = '5'", 13, "only like types"),
                arguments("JMSDeliveryMode = 2", 17, "only like types"),
                arguments("(a > 1) = 5", 9, "only like types"),
                arguments("x IN (1, 2)", 7, "string literals only"),
                arguments("myProp NOT IN (1,2,3)", 16, "string literals only"),
                arguments("x LIKE 5", 8, "a LIKE pattern is a string literal"),
                arguments("x LIKE y", 8, "a LIKE pattern is a string literal"),
                arguments("x LIKE 'a' ESCAPE 'ab'", 19, "single character, found 2"),
                arguments("x LIKE 'a' ESCAPE ''", 19, "single character, found 0"),
                arguments("x LIKE 'a' ESCAPE 5", 19, "a string literal after ESCAPE"),
                arguments("x LIKE 'a!b' ESCAPE '!'", 8, "followed by 'b'"),
                arguments("x LIKE 'ab!' ESCAPE '!'", 8, "ends with the escape character"),
                arguments("'abc' LIKE 'a%'", 1, "LIKE applies to an identifier"),
                arguments("JMSPriority LIKE '1%'", 1, "JMSPriority is a number"),
                arguments("JMSTimestamp IN ('1')", 1, "JMSTimestamp is a number"),
                arguments("(a + 1) IS NULL", 1, "IS NULL applies to an identifier"),
                arguments("x BETWEEN 'a' AND 'b'", 11, "'BETWEEN' needs numbers"),
                arguments("'a' BETWEEN 1 AND 2", 1, "'BETWEEN' needs numbers"),
                arguments("a + 'b' > 1", 5, "'+' needs numbers, found a string ('b')"),
                arguments("TRUE * 2 = 2", 1, "'*' needs numbers, found a boolean"),
                arguments("x = -'a'", 6, "'unary -' needs numbers"),
                arguments("t = (1 > 0) + 1", 5, "'+' needs numbers, found a condition"),
                arguments("JMSDeliveryMode + 1 > 0", 1, "'+' needs numbers"),
                arguments("1 + 2", 1, "a selector needs a condition"),
                arguments("'abc'", 1, "a selector needs a condition"),
                arguments("7", 1, "a selector needs a condition"),
                arguments("JMSPriority", 1, "a selector needs a condition"),
                arguments("t AND 1", 7, "AND needs a condition"),
                arguments("'x' OR t", 1, "OR needs a condition"),
                arguments("NOT 'a'", 5, "NOT needs a condition"),
                arguments("NOT (1 + 2)", 5, "NOT needs a condition"));
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @MethodSource("invalid")
    void rejected(String selector, int column, String reason) {
        SelectorSyntaxError e = assertThrows(SelectorSyntaxError.class, () -> Selector.parse(selector));
        assertEquals(column, e.column(), e::getMessage);
        assertEquals(selector, e.selector());
        assertTrue(e.getMessage().contains("at column " + column + ":"), e::getMessage);
        assertTrue(e.getMessage().contains("\"" + selector + "\""), e::getMessage);
        assertTrue(e.reason().contains(reason), () -> "reason should contain <" + reason + ">: " + e.getMessage());
        // the cache does not swallow or keep them
        SelectorCache cache = new SelectorCache();
        assertThrows(SelectorSyntaxError.class, () -> cache.get(selector));
        assertEquals(0, cache.size());
    }

    @Test
    void nestingIsBoundedSoHostileSelectorsCannotOverflowTheStack() {
        int levels = Parser.MAX_NESTING + 1;
        String parens = "(".repeat(levels) + "t" + ")".repeat(levels);
        SelectorSyntaxError e = assertThrows(SelectorSyntaxError.class, () -> Selector.parse(parens));
        assertEquals(levels, e.column());
        assertTrue(e.getMessage().contains("nested too deeply"), e::getMessage);
        assertTrue(e.getMessage().contains("chars)"), "a long selector is quoted in part: " + e.getMessage());

        assertThrows(SelectorSyntaxError.class, () -> Selector.parse("NOT ".repeat(100_000) + "t"));
        assertThrows(SelectorSyntaxError.class, () -> Selector.parse("x = " + "-".repeat(100_000) + "1"));
        assertThrows(SelectorSyntaxError.class, () -> Selector.parse("(".repeat(100_000)));

        // at the limit it parses and evaluates
        String ok = "(".repeat(Parser.MAX_NESTING) + "t" + ")".repeat(Parser.MAX_NESTING);
        assertTrue(Selector.parse(ok).matches(new MessageDataSource(Messages.standard())));
        // long flat chains are not nesting: n-ary nodes keep the tree shallow
        String chain = "i = 3" + " AND t".repeat(50_000) + " OR f".repeat(50_000);
        assertTrue(Selector.parse(chain).matches(Messages.encoded(Messages.standard())));
        String sum = "i" + " + 1".repeat(50_000) + " = 50003";
        assertTrue(Selector.parse(sum).matches(Messages.encoded(Messages.standard())));
    }

    @Test
    void longSelectorsAreQuotedAroundTheError() {
        String s = "a = 1 AND ".repeat(50) + "b = 'unterminated";
        SelectorSyntaxError e = assertThrows(SelectorSyntaxError.class, () -> Selector.parse(s));
        assertEquals(s.indexOf('\'') + 1, e.column());
        assertTrue(e.getMessage().contains("b = 'unterminated"), e::getMessage);
        assertTrue(e.getMessage().length() < 400, e::getMessage);
        assertEquals(s, e.selector());
    }
}
