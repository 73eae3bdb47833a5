package io.keel.jms.message;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Collections;
import java.util.List;

import org.junit.jupiter.api.Test;

import jakarta.jms.JMSException;
import jakarta.jms.MessageFormatException;

/** MapMessage: table 3-7 (same as StreamMessage), names, missing entries, copies. */
class MapMessageTest {

    static Object get(KeelMapMessage m, String column, String name) throws JMSException {
        return switch (column) {
            case "boolean" -> m.getBoolean(name);
            case "byte" -> m.getByte(name);
            case "short" -> m.getShort(name);
            case "char" -> m.getChar(name);
            case "int" -> m.getInt(name);
            case "long" -> m.getLong(name);
            case "float" -> m.getFloat(name);
            case "double" -> m.getDouble(name);
            case "String" -> m.getString(name);
            case "byte[]" -> m.getBytes(name);
            default -> throw new IllegalArgumentException(column);
        };
    }

    @Test
    void everyCellOfTheTable() throws JMSException {
        int cells = 0;
        for (Object[] row : StreamMessageTest.TABLE) {
            KeelMapMessage m = new KeelMapMessage();
            m.setObject("v", row[0]);
            for (int c = 0; c < StreamMessageTest.COLUMNS.length; c++) {
                String column = StreamMessageTest.COLUMNS[c];
                String where = Conversions.typeName(row[0]) + " read as " + column;
                Object expected = row[c + 1];
                if (expected == StreamMessageTest.FAILS) {
                    assertThrows(MessageFormatException.class, () -> get(m, column, "v"), where);
                } else if (expected instanceof byte[] b) {
                    assertArrayEquals(b, (byte[]) get(m, column, "v"), where);
                } else {
                    assertEquals(expected, get(m, column, "v"), where);
                }
                cells++;
            }
        }
        assertEquals(100, cells);
    }

    @Test
    void typedSettersStoreTheirType() throws JMSException {
        KeelMapMessage m = new KeelMapMessage();
        m.setBoolean("a", true);
        m.setByte("b", (byte) 1);
        m.setShort("c", (short) 2);
        m.setChar("d", 'x');
        m.setInt("e", 3);
        m.setLong("f", 4);
        m.setFloat("g", 5);
        m.setDouble("h", 6);
        m.setString("i", "7");
        m.setBytes("j", new byte[] {8});
        m.setBytes("k", new byte[] {0, 9, 0}, 1, 1);
        assertEquals(List.of("a", "b", "c", "d", "e", "f", "g", "h", "i", "j", "k"), Collections.list(m.getMapNames()));
        assertEquals(true, m.getObject("a"));
        assertEquals((byte) 1, m.getObject("b"));
        assertEquals((short) 2, m.getObject("c"));
        assertEquals('x', m.getObject("d"));
        assertEquals(3, m.getObject("e"));
        assertEquals(4L, m.getObject("f"));
        assertEquals(5f, m.getObject("g"));
        assertEquals(6d, m.getObject("h"));
        assertEquals("7", m.getObject("i"));
        assertArrayEquals(new byte[] {8}, (byte[]) m.getObject("j"));
        assertArrayEquals(new byte[] {9}, m.getBytes("k"));
        assertTrue(m.itemExists("a"));
        assertFalse(m.itemExists("z"));
    }

    @Test
    void missingAndNullEntries() throws JMSException {
        KeelMapMessage m = new KeelMapMessage();
        m.setString("nul", null);
        m.setBytes("nulBytes", null);
        assertTrue(m.itemExists("nul"));
        for (String name : new String[] {"missing", "nul", "nulBytes"}) {
            assertFalse(m.getBoolean(name));
            assertThrows(NumberFormatException.class, () -> m.getByte(name));
            assertThrows(NumberFormatException.class, () -> m.getShort(name));
            assertThrows(NumberFormatException.class, () -> m.getInt(name));
            assertThrows(NumberFormatException.class, () -> m.getLong(name));
            assertThrows(NullPointerException.class, () -> m.getFloat(name));
            assertThrows(NullPointerException.class, () -> m.getDouble(name));
            assertThrows(NullPointerException.class, () -> m.getChar(name));
            assertNull(m.getString(name));
            assertNull(m.getBytes(name));
            assertNull(m.getObject(name));
        }
    }

    @Test
    void stringToNumber() throws JMSException {
        KeelMapMessage m = new KeelMapMessage();
        m.setString("s", "x1");
        assertThrows(NumberFormatException.class, () -> m.getInt("s"));
        assertThrows(NumberFormatException.class, () -> m.getDouble("s"));
        m.setString("s", "-5");
        assertEquals(-5, m.getByte("s"));
        assertEquals(-5f, m.getFloat("s"));
    }

    @Test
    void names() {
        KeelMapMessage m = new KeelMapMessage();
        assertThrows(IllegalArgumentException.class, () -> m.setInt(null, 1));
        assertThrows(IllegalArgumentException.class, () -> m.setInt("", 1));
        assertThrows(IllegalArgumentException.class, () -> m.setString("", "x"));
        assertThrows(IllegalArgumentException.class, () -> m.setBytes("", new byte[0]));
        assertThrows(IllegalArgumentException.class, () -> m.setObject(null, 1));
        assertThrows(IllegalArgumentException.class, () -> m.setObject(null, new Object()));
    }

    @Test
    void anyNonEmptyNameIsAnEntryName() throws JMSException {
        KeelMapMessage m = new KeelMapMessage();
        m.setInt("not an identifier", 1);
        m.setInt("AND", 2);
        assertEquals(1, m.getInt("not an identifier"));
        assertEquals(2, m.getInt("AND"));
    }

    @Test
    void invalidObjects() {
        KeelMapMessage m = new KeelMapMessage();
        assertThrows(MessageFormatException.class, () -> m.setObject("o", new Object()));
        assertThrows(MessageFormatException.class, () -> m.setObject("o", new Byte[] {1}));
        assertThrows(MessageFormatException.class, () -> m.setObject("o", java.math.BigInteger.ONE));
        assertFalse(m.itemExists("o"));
    }

    @Test
    void byteArraysAreCopiedInAndOut() throws JMSException {
        KeelMapMessage m = new KeelMapMessage();
        byte[] b = {1};
        m.setBytes("b", b);
        m.setObject("o", b);
        b[0] = 2;
        m.getBytes("b")[0] = 3;
        ((byte[]) m.getObject("o"))[0] = 4;
        assertArrayEquals(new byte[] {1}, m.getBytes("b"));
        assertArrayEquals(new byte[] {1}, m.getBytes("o"));
    }
}
