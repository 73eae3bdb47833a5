package io.keel.protocol.selector;

import static org.junit.jupiter.api.Assertions.*;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.NullSource;
import org.junit.jupiter.params.provider.ValueSource;

import io.keel.protocol.message.MessageData;

/** Parse trees (precedence, associativity, literal values) and the Selector API around parsing. */
class SelectorParseTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiterString = "==>", quoteCharacter = '"', textBlock = """
            a OR b AND c                      ==> (a OR (b AND c))
            a AND b OR c                      ==> ((a AND b) OR c)
            a AND b AND c                     ==> (a AND b AND c)
            a OR b OR c AND d                 ==> (a OR b OR (c AND d))
            NOT a AND b                       ==> ((NOT a) AND b)
            NOT a OR b                        ==> ((NOT a) OR b)
            NOT NOT a                         ==> (NOT (NOT a))
            NOT a = 1                         ==> (NOT (a = 1))
            NOT a BETWEEN 1 AND 2             ==> (NOT (a BETWEEN 1 AND 2))
            (a OR b) AND c                    ==> ((a OR b) AND c)
            a = 1 + 2 * 3                     ==> (a = (1 + (2 * 3)))
            a = (1 + 2) * 3                   ==> (a = ((1 + 2) * 3))
            a - b - c > 0                     ==> (((a - b) - c) > 0)
            a - (b - c) > 0                   ==> ((a - (b - c)) > 0)
            a / b * c > 0                     ==> (((a / b) * c) > 0)
            a + b * c - d / e > 0             ==> (((a + (b * c)) - (d / e)) > 0)
            -a * b > 0                        ==> (((-a) * b) > 0)
            - - a > 0                         ==> ((-(-a)) > 0)
            +a > 0                            ==> ((+a) > 0)
            a + -1 > 0                        ==> ((a + -1) > 0)
            a * - b > 0                       ==> ((a * (-b)) > 0)
            -1 > a                            ==> (-1 > a)
            - 1 > a                           ==> (-1 > a)
            --1 > a                           ==> (1 > a)
            a BETWEEN 1 + 1 AND 2 * 3         ==> (a BETWEEN (1 + 1) AND (2 * 3))
            a NOT BETWEEN 1 AND 2 OR b        ==> ((a NOT BETWEEN 1 AND 2) OR b)
            a BETWEEN 1 AND 2 AND b           ==> ((a BETWEEN 1 AND 2) AND b)
            a IS NOT NULL AND NOT b           ==> ((a IS NOT NULL) AND (NOT b))
            a IS NULL OR b IS NULL            ==> ((a IS NULL) OR (b IS NULL))
            a LIKE 'x%' ESCAPE '\\'           ==> (a LIKE 'x%' ESCAPE '\\')
            a NOT LIKE 'x''%'                 ==> (a NOT LIKE 'x''%')
            a IN ('x', 'y''z')                ==> (a IN ('x', 'y''z'))
            a NOT IN ('x')                    ==> (a NOT IN ('x'))
            a = TRUE                          ==> (a = TRUE)
            (a)                               ==> a
            ((a = 1))                         ==> (a = 1)
            (a) IS NULL                       ==> (a IS NULL)
            (a = 1) = (b = 2)                 ==> ((a = 1) = (b = 2))
            a<>b                              ==> (a <> b)
            a<=-1                             ==> (a <= -1)
            a>=+1                             ==> (a >= 1)
            a and b or not c                  ==> ((a AND b) OR (NOT c))
            ANDROID = 1 AND origin = 2        ==> ((ANDROID = 1) AND (origin = 2))
            nullable IS NULL AND isX AND INx  ==> ((nullable IS NULL) AND isX AND INx)
            $a = 1 AND _b = 2 AND é = 3       ==> (($a = 1) AND (_b = 2) AND (é = 3))
            ıs = 1                            ==> (ıs = 1)
            x = -9223372036854775808          ==> (x = -9223372036854775808)
            x = 9223372036854775807           ==> (x = 9223372036854775807)
            x = 0x7fffffffffffffff            ==> (x = 9223372036854775807)
            x = 0xFFFFFFFFFFFFFFFF            ==> (x = -1)
            x = 0xFFFFFFFF                    ==> (x = 4294967295)
            x = 017                           ==> (x = 15)
            x = 0                             ==> (x = 0)
            x = 00                            ==> (x = 0)
            x = 0b101                         ==> (x = 5)
            x = 1_000_000                     ==> (x = 1000000)
            x = 57L                           ==> (x = 57)
            x = 7E3                           ==> (x = 7000.0)
            x = -57.9E2                       ==> (x = -5790.0)
            x = 7.                            ==> (x = 7.0)
            x = .5                            ==> (x = 0.5)
            x = 09.5                          ==> (x = 9.5)
            x = 1.5f                          ==> (x = 1.5F)
            x = 2d                            ==> (x = 2.0)
            x = 1e-3                          ==> (x = 0.001)
            x = 1E+3                          ==> (x = 1000.0)
            x = 0x1.8p1                       ==> (x = 3.0)
            x = 0x1p-2                        ==> (x = 0.25)
            x = 0.0                           ==> (x = 0.0)
            x = 'it''s'                       ==> (x = 'it''s')
            x = ''''                          ==> (x = '''')
            x = ''                            ==> (x = '')
            """)
    void tree(String selector, String tree) {
        assertEquals(tree, Selector.parse(selector).tree());
    }

    @Test
    void whitespaceIsJavaWhitespace() {
        assertEquals("((a = 1) AND b)", Selector.parse("\ta\f=\n1\r\nAND\tb ").tree());
        assertEquals("(JMSType = 'foo')", Selector.parse("JMSType\n= \n'foo'").tree());
        // inside a string literal whitespace is kept
        assertEquals("(a = ' x\ty ')", Selector.parse("a = ' x\ty '").tree());
    }

    @Test
    void identifiersFollowJavaIdentifierRulesByCodePoint() {
        String deseret = "\uD801\uDC00"; // a letter outside the BMP
        assertEquals("(" + deseret + "x = 1)", Selector.parse(deseret + "x = 1").tree());
        assertEquals("(a_1$ = 1)", Selector.parse("a_1$ = 1").tree());
        assertThrows(SelectorSyntaxError.class, () -> Selector.parse("1x = 1"));
        // '-' is not an identifier part: this is a subtraction
        assertEquals("(((a - b) = 1) AND c)", Selector.parse("a-b = 1 AND c").tree());
    }

    @ParameterizedTest
    @NullSource
    @ValueSource(strings = {"", " ", "  \t\n\r\f  "})
    void blankMeansNoSelector(String text) {
        Selector s = Selector.parse(text);
        assertSame(Selector.MATCH_ALL, s);
        assertTrue(s.isMatchAll());
        assertTrue(Selector.isBlank(text));
        assertTrue(s.matches(new MessageDataSource(new MessageData())));
        assertEquals(Truth.TRUE, s.evaluate(Messages.encoded(new MessageData()), null));
        assertEquals("", s.text());
        assertFalse(s.usesDeliveryCount());
    }

    @Test
    void selectorsAreValuesOfTheirText() {
        Selector a = Selector.parse("x = 1");
        Selector b = Selector.parse("x = 1");
        assertEquals(a, b);
        assertEquals(a.hashCode(), b.hashCode());
        assertNotEquals(a, Selector.parse("x=1"));
        assertEquals("x = 1", a.text());
        assertFalse(a.isMatchAll());
        assertEquals("Selector[x = 1]", a.toString());
    }

    @Test
    void usesDeliveryCountOnlyWhenReferenced() {
        assertTrue(Selector.parse("JMSXDeliveryCount > 1").usesDeliveryCount());
        assertTrue(Selector.parse("a = 1 OR NOT (b + JMSXDeliveryCount BETWEEN 1 AND 3)").usesDeliveryCount());
        assertTrue(Selector.parse("JMSXDeliveryCount IS NULL").usesDeliveryCount());
        assertFalse(Selector.parse("a = 'JMSXDeliveryCount'").usesDeliveryCount());
        assertFalse(Selector.parse("JMSXDeliveryCountX = 1").usesDeliveryCount());
        assertFalse(Selector.parse("jmsxdeliverycount = 1").usesDeliveryCount());
    }
}
