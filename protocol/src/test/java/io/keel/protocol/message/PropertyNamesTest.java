package io.keel.protocol.message;

import static org.junit.jupiter.api.Assertions.*;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class PropertyNamesTest {

    @ParameterizedTest
    @ValueSource(strings = {
        "a", "color", "_x", "$y", "x1", "a_b$c", "JMSXGroupID", "JMS_Keel_Foo", "caf\u00e9", "\u65e5\u672c",
        "\ud801\udc00", // U+10400 DESERET CAPITAL LONG I: a letter outside the BMP
        "nulls", "NOTE", "ORDER", "INx", "isEmpty", "escaped", "TRUE_", "_NULL",
        "\u0131s", // dotless i + s: not the keyword IS (ASCII-only case folding)
    })
    void valid(String name) {
        assertNull(PropertyNames.check(name), name);
        assertTrue(PropertyNames.isValid(name));
        assertSame(name, PropertyNames.requireValid(name));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "1abc         | does not start with a Java identifier start character",
        "a-b          | not a Java identifier part at index 1",
        "a b          | not a Java identifier part at index 1",
        "a.b          | not a Java identifier part at index 1",
        "-            | does not start",
        "NULL         | reserved selector word NULL",
        "null         | reserved selector word NULL",
        "Null         | reserved selector word NULL",
        "TRUE         | reserved selector word TRUE",
        "false        | reserved selector word FALSE",
        "not          | reserved selector word NOT",
        "And          | reserved selector word AND",
        "or           | reserved selector word OR",
        "BETWEEN      | reserved selector word BETWEEN",
        "like         | reserved selector word LIKE",
        "In           | reserved selector word IN",
        "iS           | reserved selector word IS",
        "ESCAPE       | reserved selector word ESCAPE",
        "escape       | reserved selector word ESCAPE",
    })
    void invalid(String name, String expected) {
        String problem = PropertyNames.check(name);
        assertNotNull(problem, name);
        assertTrue(problem.contains(expected), problem);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> PropertyNames.requireValid(name));
        assertEquals(problem, e.getMessage());
    }

    @Test
    void nullEmptyAndOddCharacters() {
        assertEquals("property name is null", PropertyNames.check(null));
        assertEquals("property name is empty", PropertyNames.check(""));
        assertTrue(PropertyNames.check("\ud800").contains("U+D800"), "lone surrogate start");
        assertTrue(PropertyNames.check("\ud834\udd1e").contains("U+1D11E"), "G clef is a symbol, not a letter");
        assertTrue(PropertyNames.check("a\ud834\udd1e").contains("index 1"));
        assertFalse(PropertyNames.isValid(" a"));
        assertFalse(PropertyNames.isValid("a "));
    }
}
