package io.keel.jms.message;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.List;

import org.junit.jupiter.api.Test;

import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageFormatException;

/** Table 3-2 of Jakarta Messaging 3.1 (section 3.5.4), every cell, and the null rules. */
class PropertyConversionTest {

    /** The getters, in the column order of table 3-2. */
    private static final String[] COLUMNS = {"boolean", "byte", "short", "int", "long", "float", "double", "String"};

    private static final Object FAILS = new Object() {
        @Override
        public String toString() {
            return "MessageFormatException";
        }
    };

    private interface Setter {
        void set(Message m, String name) throws JMSException;
    }

    private record Row(String type, Setter setter, Object... expected) {
    }

    private static final List<Row> TABLE = List.of(
            new Row("boolean", (m, n) -> m.setBooleanProperty(n, true),
                    true, FAILS, FAILS, FAILS, FAILS, FAILS, FAILS, "true"),
            new Row("byte", (m, n) -> m.setByteProperty(n, (byte) 7),
                    FAILS, (byte) 7, (short) 7, 7, 7L, FAILS, FAILS, "7"),
            new Row("short", (m, n) -> m.setShortProperty(n, (short) 300),
                    FAILS, FAILS, (short) 300, 300, 300L, FAILS, FAILS, "300"),
            new Row("int", (m, n) -> m.setIntProperty(n, 70000),
                    FAILS, FAILS, FAILS, 70000, 70000L, FAILS, FAILS, "70000"),
            new Row("long", (m, n) -> m.setLongProperty(n, 5_000_000_000L),
                    FAILS, FAILS, FAILS, FAILS, 5_000_000_000L, FAILS, FAILS, "5000000000"),
            new Row("float", (m, n) -> m.setFloatProperty(n, 1.5f),
                    FAILS, FAILS, FAILS, FAILS, FAILS, 1.5f, 1.5d, "1.5"),
            new Row("double", (m, n) -> m.setDoubleProperty(n, 2.25d),
                    FAILS, FAILS, FAILS, FAILS, FAILS, FAILS, 2.25d, "2.25"),
            new Row("String", (m, n) -> m.setStringProperty(n, "12"),
                    false, (byte) 12, (short) 12, 12, 12L, 12f, 12d, "12"));

    static Object get(Message m, String column, String name) throws JMSException {
        return switch (column) {
            case "boolean" -> m.getBooleanProperty(name);
            case "byte" -> m.getByteProperty(name);
            case "short" -> m.getShortProperty(name);
            case "int" -> m.getIntProperty(name);
            case "long" -> m.getLongProperty(name);
            case "float" -> m.getFloatProperty(name);
            case "double" -> m.getDoubleProperty(name);
            case "String" -> m.getStringProperty(name);
            default -> throw new IllegalArgumentException(column);
        };
    }

    @Test
    void everyCellOfTheTable() throws JMSException {
        int cells = 0;
        for (Row row : TABLE) {
            for (boolean viaObject : new boolean[] {false, true}) {
                KeelMessage m = new KeelMessage();
                row.setter().set(m, "p");
                if (viaObject) {
                    // setObjectProperty supports the same conversions
                    Object boxed = m.getObjectProperty("p");
                    m.clearProperties();
                    m.setObjectProperty("p", boxed);
                }
                for (int c = 0; c < COLUMNS.length; c++) {
                    String where = row.type() + " read as " + COLUMNS[c];
                    Object expected = row.expected()[c];
                    if (expected == FAILS) {
                        int col = c;
                        assertThrows(MessageFormatException.class, () -> get(m, COLUMNS[col], "p"), where);
                    } else {
                        assertEquals(expected, get(m, COLUMNS[c], "p"), where);
                    }
                    cells++;
                }
            }
        }
        assertEquals(2 * 8 * 8, cells);
    }

    @Test
    void getObjectPropertyReturnsTheTypeSet() throws JMSException {
        KeelMessage m = new KeelMessage();
        m.setBooleanProperty("a", true);
        m.setByteProperty("b", (byte) 1);
        m.setShortProperty("c", (short) 2);
        m.setIntProperty("d", 3);
        m.setLongProperty("e", 4L);
        m.setFloatProperty("f", 5f);
        m.setDoubleProperty("g", 6d);
        m.setStringProperty("h", "7");
        assertEquals(Boolean.TRUE, m.getObjectProperty("a"));
        assertEquals(Byte.valueOf((byte) 1), m.getObjectProperty("b"));
        assertEquals(Short.valueOf((short) 2), m.getObjectProperty("c"));
        assertEquals(Integer.valueOf(3), m.getObjectProperty("d"));
        assertEquals(Long.valueOf(4), m.getObjectProperty("e"));
        assertEquals(Float.valueOf(5), m.getObjectProperty("f"));
        assertEquals(Double.valueOf(6), m.getObjectProperty("g"));
        assertEquals("7", m.getObjectProperty("h"));
    }

    @Test
    void stringToNumberUsesValueOf() throws JMSException {
        KeelMessage m = new KeelMessage();
        m.setStringProperty("s", "abc");
        for (String column : new String[] {"byte", "short", "int", "long", "float", "double"}) {
            assertThrows(NumberFormatException.class, () -> get(m, column, "s"), column);
        }
        assertFalse(m.getBooleanProperty("s"), "Boolean.valueOf(\"abc\") is false");
        m.setStringProperty("s", "TRUE");
        assertTrue(m.getBooleanProperty("s"));
        m.setStringProperty("s", "300");
        assertThrows(NumberFormatException.class, () -> m.getByteProperty("s"), "300 does not fit a byte");
        assertEquals((short) 300, m.getShortProperty("s"));
        m.setStringProperty("s", " 1");
        assertThrows(NumberFormatException.class, () -> m.getIntProperty("s"));
        m.setStringProperty("s", "1e3");
        assertEquals(1000d, m.getDoubleProperty("s"));
        assertThrows(NumberFormatException.class, () -> m.getLongProperty("s"));
    }

    /** A missing property reads as valueOf((String) null) would. */
    @Test
    void missingAndNullProperties() throws JMSException {
        KeelMessage m = new KeelMessage();
        m.setStringProperty("nul", null);
        assertTrue(m.propertyExists("nul"));
        assertFalse(m.propertyExists("missing"));
        for (String name : new String[] {"missing", "nul"}) {
            assertFalse(m.getBooleanProperty(name));
            assertThrows(NumberFormatException.class, () -> m.getByteProperty(name));
            assertThrows(NumberFormatException.class, () -> m.getShortProperty(name));
            assertThrows(NumberFormatException.class, () -> m.getIntProperty(name));
            assertThrows(NumberFormatException.class, () -> m.getLongProperty(name));
            // Float.valueOf(null) and Double.valueOf(null) throw NullPointerException
            assertThrows(NullPointerException.class, () -> m.getFloatProperty(name));
            assertThrows(NullPointerException.class, () -> m.getDoubleProperty(name));
            assertNull(m.getStringProperty(name));
            assertNull(m.getObjectProperty(name));
        }
    }

    @Test
    void setObjectPropertyAcceptsOnlyPropertyTypes() throws JMSException {
        KeelMessage m = new KeelMessage();
        for (Object bad : new Object[] {'c', new byte[1], new Object(), new java.math.BigDecimal("1"), List.of()}) {
            try {
                m.setObjectProperty("p", bad);
                fail("accepted a " + bad.getClass());
            } catch (MessageFormatException expected) {
                assertTrue(expected.getMessage().contains(bad.getClass().getName()), expected.getMessage());
            }
        }
        assertFalse(m.propertyExists("p"));
        m.setObjectProperty("p", null);
        assertTrue(m.propertyExists("p"));
        assertNull(m.getObjectProperty("p"));
    }

    @Test
    void settingAgainReplacesTheValueAndType() throws JMSException {
        KeelMessage m = new KeelMessage();
        m.setIntProperty("p", 1);
        m.setStringProperty("p", "x");
        assertEquals("x", m.getObjectProperty("p"));
        assertEquals(List.of("p"), java.util.Collections.list(m.getPropertyNames()));
    }
}
