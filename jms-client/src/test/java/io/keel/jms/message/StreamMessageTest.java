package io.keel.jms.message;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;

import org.junit.jupiter.api.Test;

import jakarta.jms.JMSException;
import jakarta.jms.MessageEOFException;
import jakarta.jms.MessageFormatException;
import jakarta.jms.MessageNotReadableException;
import jakarta.jms.MessageNotWriteableException;

/** StreamMessage modes, table 3-7 (every cell), readBytes pieces and the no-advance-on-failure rule. */
class StreamMessageTest {

    static final String[] COLUMNS = {"boolean", "byte", "short", "char", "int", "long", "float", "double", "String",
        "byte[]"};

    static final Object FAILS = "<MessageFormatException>";

    /** Row value and expected read per column (byte[] column: the bytes read, compared by content). */
    static final List<Object[]> TABLE = List.of(
            new Object[] {true, true, FAILS, FAILS, FAILS, FAILS, FAILS, FAILS, FAILS, "true", FAILS},
            new Object[] {(byte) 7, FAILS, (byte) 7, (short) 7, FAILS, 7, 7L, FAILS, FAILS, "7", FAILS},
            new Object[] {(short) 300, FAILS, FAILS, (short) 300, FAILS, 300, 300L, FAILS, FAILS, "300", FAILS},
            new Object[] {'c', FAILS, FAILS, FAILS, 'c', FAILS, FAILS, FAILS, FAILS, "c", FAILS},
            new Object[] {70000, FAILS, FAILS, FAILS, FAILS, 70000, 70000L, FAILS, FAILS, "70000", FAILS},
            new Object[] {5_000_000_000L, FAILS, FAILS, FAILS, FAILS, FAILS, 5_000_000_000L, FAILS, FAILS, "5000000000",
                FAILS},
            new Object[] {1.5f, FAILS, FAILS, FAILS, FAILS, FAILS, FAILS, 1.5f, 1.5d, "1.5", FAILS},
            new Object[] {2.25d, FAILS, FAILS, FAILS, FAILS, FAILS, FAILS, FAILS, 2.25d, "2.25", FAILS},
            new Object[] {"12", false, (byte) 12, (short) 12, FAILS, 12, 12L, 12f, 12d, "12", FAILS},
            new Object[] {new byte[] {1, 2}, FAILS, FAILS, FAILS, FAILS, FAILS, FAILS, FAILS, FAILS, FAILS,
                new byte[] {1, 2}});

    static Object read(KeelStreamMessage m, String column) throws JMSException {
        return switch (column) {
            case "boolean" -> m.readBoolean();
            case "byte" -> m.readByte();
            case "short" -> m.readShort();
            case "char" -> m.readChar();
            case "int" -> m.readInt();
            case "long" -> m.readLong();
            case "float" -> m.readFloat();
            case "double" -> m.readDouble();
            case "String" -> m.readString();
            case "byte[]" -> {
                byte[] buf = new byte[16];
                int n = m.readBytes(buf);
                yield java.util.Arrays.copyOf(buf, n);
            }
            default -> throw new IllegalArgumentException(column);
        };
    }

    @Test
    void everyCellOfTheTable() throws JMSException {
        int cells = 0;
        for (Object[] row : TABLE) {
            Object value = row[0];
            for (int c = 0; c < COLUMNS.length; c++) {
                KeelStreamMessage m = new KeelStreamMessage();
                m.writeObject(value);
                m.writeString("next");
                m.reset();
                String where = Conversions.typeName(value) + " read as " + COLUMNS[c];
                Object expected = row[c + 1];
                if (expected == FAILS) {
                    String column = COLUMNS[c];
                    assertThrows(MessageFormatException.class, () -> read(m, column), where);
                    // the failed read did not advance: the field is still there
                    Object again = m.readObject();
                    if (value instanceof byte[] b) {
                        assertArrayEquals(b, (byte[]) again, where);
                    } else {
                        assertEquals(value, again, where);
                    }
                } else if (expected instanceof byte[] b) {
                    assertArrayEquals(b, (byte[]) read(m, COLUMNS[c]), where);
                } else {
                    assertEquals(expected, read(m, COLUMNS[c]), where);
                }
                assertEquals("next", m.readString(), where);
                cells++;
            }
        }
        assertEquals(100, cells);
    }

    @Test
    void typedWritesEqualObjectWrites() throws JMSException {
        KeelStreamMessage m = new KeelStreamMessage();
        m.writeBoolean(true);
        m.writeByte((byte) 1);
        m.writeShort((short) 2);
        m.writeChar('3');
        m.writeInt(4);
        m.writeLong(5);
        m.writeFloat(6);
        m.writeDouble(7);
        m.writeString("8");
        m.writeBytes(new byte[] {9});
        m.writeBytes(new byte[] {0, 10, 0}, 1, 1);
        m.reset();
        for (Object expected : new Object[] {true, (byte) 1, (short) 2, '3', 4, 5L, 6f, 7d, "8"}) {
            assertEquals(expected, m.readObject());
        }
        assertArrayEquals(new byte[] {9}, (byte[]) m.readObject());
        assertArrayEquals(new byte[] {10}, (byte[]) m.readObject());
        assertThrows(MessageEOFException.class, m::readObject);
    }

    @Test
    void stringToNumberFailuresDoNotAdvance() throws JMSException {
        KeelStreamMessage m = new KeelStreamMessage();
        m.writeString("abc");
        m.reset();
        for (String column : new String[] {"byte", "short", "int", "long", "float", "double"}) {
            assertThrows(NumberFormatException.class, () -> read(m, column), column);
        }
        assertFalse(m.readBoolean(), "Boolean.valueOf(\"abc\")");
        assertThrows(MessageEOFException.class, m::readString);
    }

    @Test
    void nullField() throws JMSException {
        KeelStreamMessage m = new KeelStreamMessage();
        m.writeObject(null);
        m.writeString(null);
        m.writeBytes(null);
        m.reset();
        assertThrows(NullPointerException.class, m::readChar, "a null char: NullPointerException");
        assertThrows(NumberFormatException.class, m::readInt);
        assertThrows(NumberFormatException.class, m::readByte);
        assertThrows(NumberFormatException.class, m::readShort);
        assertThrows(NumberFormatException.class, m::readLong);
        assertThrows(NullPointerException.class, m::readFloat);
        assertThrows(NullPointerException.class, m::readDouble);
        assertFalse(m.readBoolean());
        assertNull(m.readString());
        assertEquals(-1, m.readBytes(new byte[2]), "a null byte[] field");
        assertThrows(MessageEOFException.class, m::readBoolean);
    }

    @Test
    void readBytesInPieces() throws JMSException {
        KeelStreamMessage m = new KeelStreamMessage();
        m.writeBytes(new byte[] {0, 1, 2, 3, 4, 5, 6, 7, 8, 9});
        m.writeBytes(new byte[] {0, 1, 2, 3, 4, 5, 6, 7});
        m.writeBytes(new byte[0]);
        m.writeInt(42);
        m.reset();
        byte[] buf = new byte[4];
        // 10 bytes: 4, 4, 2 (less than the buffer: the field is done)
        assertEquals(4, m.readBytes(buf));
        assertThrows(MessageFormatException.class, m::readInt, "partly read byte[] field");
        assertThrows(MessageFormatException.class, m::readObject, "partly read byte[] field");
        assertEquals(4, m.readBytes(buf));
        assertArrayEquals(new byte[] {4, 5, 6, 7}, buf);
        assertEquals(2, m.readBytes(buf));
        assertEquals(8, buf[0]);
        // 8 bytes: 4, 4, then -1 ends the field
        assertEquals(4, m.readBytes(buf));
        assertEquals(4, m.readBytes(buf));
        assertEquals(-1, m.readBytes(buf));
        // empty field: 0
        assertEquals(0, m.readBytes(buf));
        assertThrows(MessageFormatException.class, () -> m.readBytes(buf), "an int is not a byte[]");
        assertEquals(42, m.readInt());
        assertThrows(MessageEOFException.class, () -> m.readBytes(buf));
    }

    @Test
    void resetDuringAPartialByteFieldStartsOver() throws JMSException {
        KeelStreamMessage m = new KeelStreamMessage();
        m.writeBytes(new byte[] {1, 2, 3});
        m.reset();
        assertEquals(2, m.readBytes(new byte[2]));
        m.reset();
        assertArrayEquals(new byte[] {1, 2, 3}, (byte[]) m.readObject());
    }

    @Test
    void valuesAreCopied() throws JMSException {
        KeelStreamMessage m = new KeelStreamMessage();
        byte[] b = {1};
        m.writeBytes(b);
        b[0] = 2;
        m.reset();
        byte[] out = (byte[]) m.readObject();
        out[0] = 3;
        m.reset();
        assertArrayEquals(new byte[] {1}, (byte[]) m.readObject());
    }

    @Test
    void modes() throws JMSException {
        KeelStreamMessage m = new KeelStreamMessage();
        assertThrows(MessageNotReadableException.class, m::readInt);
        assertThrows(MessageNotReadableException.class, () -> m.readBytes(new byte[1]));
        m.writeInt(1);
        m.reset();
        assertThrows(MessageNotWriteableException.class, () -> m.writeInt(2));
        assertThrows(MessageFormatException.class, () -> new KeelStreamMessage().writeObject(new Object()));
        assertThrows(MessageFormatException.class, () -> new KeelStreamMessage().writeObject(List.of()));
        m.clearBody();
        assertThrows(MessageNotReadableException.class, m::readInt);
        m.reset();
        assertThrows(MessageEOFException.class, m::readInt);
    }
}
