package io.keel.jms.message;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import jakarta.jms.JMSException;
import jakarta.jms.MessageFormatException;

/** getBody and isBodyAssignableTo, per the 3.1 javadoc of Message. */
class GetBodyTest {

    private static final List<Class<?>> ANY = List.of(Object.class, String.class, Map.class, byte[].class,
            Serializable.class, Integer.class, List.class, CharSequence.class);

    private static void noBody(KeelMessage m) throws JMSException {
        for (Class<?> c : ANY) {
            assertNull(m.getBody(c), m + " as " + c);
            assertTrue(m.isBodyAssignableTo(c), m + " as " + c);
        }
    }

    @Test
    void plainMessageHasNoBody() throws JMSException {
        noBody(new KeelMessage());
    }

    @Test
    void emptyBodiesReturnNullForAnyType() throws JMSException {
        noBody(new KeelTextMessage());
        noBody(new KeelMapMessage());
        noBody(new KeelBytesMessage());
        noBody(new KeelObjectMessage());
        KeelBytesMessage read = new KeelBytesMessage();
        read.reset();
        noBody(read);
    }

    @Test
    void text() throws JMSException {
        KeelTextMessage m = new KeelTextMessage();
        m.setText("hi");
        assertEquals("hi", m.getBody(String.class));
        assertEquals("hi", m.getBody(Object.class));
        assertEquals("hi", m.getBody(CharSequence.class));
        assertEquals("hi", m.getBody(Serializable.class));
        assertTrue(m.isBodyAssignableTo(String.class));
        assertTrue(m.isBodyAssignableTo(Comparable.class));
        assertFalse(m.isBodyAssignableTo(Integer.class));
        assertFalse(m.isBodyAssignableTo(byte[].class));
        assertThrows(MessageFormatException.class, () -> m.getBody(Integer.class));
        assertThrows(MessageFormatException.class, () -> m.getBody(Map.class));
        m.setText("");
        assertEquals("", m.getBody(String.class), "an empty string is a body");
        assertFalse(m.isBodyAssignableTo(Integer.class));
    }

    @Test
    void map() throws JMSException {
        KeelMapMessage m = new KeelMapMessage();
        m.setInt("a", 1);
        m.setBytes("b", new byte[] {2});
        @SuppressWarnings("unchecked")
        Map<String, Object> body = m.getBody(Map.class);
        assertEquals(1, body.get("a"));
        assertArrayEquals(new byte[] {2}, (byte[]) body.get("b"));
        assertThrows(UnsupportedOperationException.class, () -> body.put("c", 3));
        ((byte[]) body.get("b"))[0] = 9;
        assertArrayEquals(new byte[] {2}, m.getBytes("b"), "a copy");
        assertEquals(body.keySet(), ((Map<?, ?>) m.getBody(Object.class)).keySet());
        assertTrue(m.isBodyAssignableTo(Map.class));
        assertTrue(m.isBodyAssignableTo(Object.class));
        assertFalse(m.isBodyAssignableTo(java.util.HashMap.class));
        assertFalse(m.isBodyAssignableTo(String.class));
        assertThrows(MessageFormatException.class, () -> m.getBody(String.class));
        assertThrows(MessageFormatException.class, () -> m.getBody(java.util.HashMap.class));
    }

    @Test
    void bytesResetsBeforeAndAfter() throws JMSException {
        KeelBytesMessage m = new KeelBytesMessage();
        m.writeInt(0x01020304);
        assertArrayEquals(new byte[] {1, 2, 3, 4}, m.getBody(byte[].class));
        assertEquals(4, m.getBodyLength(), "now in read mode");
        assertEquals(1, m.readByte());
        assertArrayEquals(new byte[] {1, 2, 3, 4}, (byte[]) m.getBody(Object.class), "the whole body");
        assertEquals(0x01020304, m.readInt(), "reset after");
        assertTrue(m.isBodyAssignableTo(byte[].class));
        assertTrue(m.isBodyAssignableTo(Object.class));
        assertFalse(m.isBodyAssignableTo(String.class));
        assertThrows(MessageFormatException.class, () -> m.getBody(String.class));
        byte[] copy = m.getBody(byte[].class);
        copy[0] = 9;
        assertEquals(1, m.readByte(), "a copy");
    }

    @Test
    void stream() throws JMSException {
        KeelStreamMessage empty = new KeelStreamMessage();
        assertThrows(MessageFormatException.class, () -> empty.getBody(Object.class));
        assertFalse(empty.isBodyAssignableTo(Object.class));
        KeelStreamMessage m = new KeelStreamMessage();
        m.writeInt(1);
        assertThrows(MessageFormatException.class, () -> m.getBody(Object.class));
        assertFalse(m.isBodyAssignableTo(Object.class));
        assertFalse(m.isBodyAssignableTo(List.class));
    }

    @Test
    void object() throws JMSException {
        KeelObjectMessage m = new KeelObjectMessage();
        m.setObject(new ArrayList<>(List.of("a")));
        assertEquals(List.of("a"), m.getBody(List.class));
        assertEquals(List.of("a"), m.getBody(ArrayList.class));
        assertEquals(List.of("a"), m.getBody(Serializable.class));
        assertEquals(List.of("a"), m.getBody(Object.class));
        assertTrue(m.isBodyAssignableTo(ArrayList.class));
        assertFalse(m.isBodyAssignableTo(String.class));
        assertThrows(MessageFormatException.class, () -> m.getBody(String.class));

        m.clearBody();
        m.setObject(new ObjectMessageTest.Untrusted(1));
        assertFalse(m.isBodyAssignableTo(Object.class), "deserialisation fails: false");
        assertThrows(MessageFormatException.class, () -> m.getBody(Object.class));
    }
}
