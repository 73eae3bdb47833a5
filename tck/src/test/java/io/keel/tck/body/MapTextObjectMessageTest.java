package io.keel.tck.body;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import io.keel.tck.TckBase;
import jakarta.jms.BytesMessage;
import jakarta.jms.MapMessage;
import jakarta.jms.Message;
import jakarta.jms.MessageFormatException;
import jakarta.jms.MessageNotWriteableException;
import jakarta.jms.ObjectMessage;
import jakarta.jms.Session;
import jakarta.jms.StreamMessage;
import jakarta.jms.TextMessage;

/** JMS 3.1 §3.11 for MapMessage, TextMessage, ObjectMessage, plain Message, and Message.getBody. */
class MapTextObjectMessageTest extends TckBase {

    /** One consumer per test: a second open consumer on the queue would compete for the messages. */
    private jakarta.jms.MessageConsumer consumer;

    private Message roundTrip(Session s, Message m) throws Exception {
        s.createProducer(queue).send(m);
        if (consumer == null) {
            consumer = started().createSession().createConsumer(queue);
        }
        return consumer.receive(TIMEOUT);
    }

    @Test
    @DisplayName("JMS 3.1 §3.11 / §3.11.3: a MapMessage carries typed entries with the table 3-7 conversions; absent names read as null")
    void mapMessage() throws Exception {
        Session s = connection().createSession();
        MapMessage m = s.createMapMessage();
        m.setInt("i", 5);
        m.setString("s", "17");
        m.setBoolean("z", true);
        m.setBytes("b", new byte[] {1, 2, 3}, 1, 2);
        m.setObject("d", 2.5d);
        m.setChar("c", 'q');
        MapMessage got = (MapMessage) roundTrip(s, m);
        assertEquals(5L, got.getLong("i"));
        assertEquals("5", got.getString("i"));
        assertEquals(17, got.getInt("s"));
        assertEquals("true", got.getString("z"));
        assertArrayEquals(new byte[] {2, 3}, got.getBytes("b"));
        assertEquals(2.5d, got.getObject("d"));
        assertEquals('q', got.getChar("c"));
        assertTrue(got.itemExists("i"));
        assertFalse(got.itemExists("nope"));
        assertNull(got.getString("nope"));
        assertNull(got.getBytes("nope"));
        Set<String> names = new HashSet<>();
        for (Object n : Collections.list(got.getMapNames())) {
            names.add((String) n);
        }
        assertEquals(Set.of("i", "s", "z", "b", "d", "c"), names);
        assertThrows(MessageFormatException.class, () -> got.getShort("i"), "int -> short narrows");
        assertThrows(MessageFormatException.class, () -> got.getInt("c"));
        assertThrows(MessageFormatException.class, () -> got.getBytes("i"));
        assertThrows(NumberFormatException.class, () -> got.getInt("nope"));
        assertThrows(NullPointerException.class, () -> got.getChar("nope"));
        assertThrows(MessageNotWriteableException.class, () -> got.setInt("x", 1));
        got.clearBody();
        got.setInt("x", 1);
        assertFalse(got.itemExists("i"), "clearBody empties the map");
        assertThrows(MessageFormatException.class, () -> s.createMapMessage().setObject("o", new ArrayList<>()));
        assertThrows(IllegalArgumentException.class, () -> s.createMapMessage().setInt("", 1));
    }

    @Test
    @DisplayName("JMS 3.1 §3.11: TextMessage carries text (also null); received text is read-only until clearBody")
    void textMessage() throws Exception {
        Session s = connection().createSession();
        TextMessage got = (TextMessage) roundTrip(s, s.createTextMessage("héllo ✓"));
        assertEquals("héllo ✓", got.getText());
        assertThrows(MessageNotWriteableException.class, () -> got.setText("no"));
        got.clearBody();
        assertNull(got.getText());
        got.setText("writable again");
        assertEquals("writable again", got.getText());
        TextMessage empty = (TextMessage) roundTrip(s, s.createTextMessage());
        assertNull(empty.getText());
    }

    @Test
    @DisplayName("JMS 3.1 §3.11: ObjectMessage carries a serialisable object by value (a copy, taken at set time)")
    void objectMessage() throws Exception {
        Session s = connection().createSession();
        ArrayList<String> list = new ArrayList<>(List.of("a", "b"));
        ObjectMessage m = s.createObjectMessage(list);
        list.add("added after setObject");
        ObjectMessage got = (ObjectMessage) roundTrip(s, m);
        assertEquals(List.of("a", "b"), got.getObject(), "setObject serialises at the time of the call");
        assertNotSame(got.getObject(), got.getObject(), "each getObject gives a fresh copy");
        assertThrows(MessageNotWriteableException.class, () -> got.setObject("x"));
        got.clearBody();
        assertNull(got.getObject());
    }

    @Test
    @DisplayName("JMS 3.1 §3.11: a plain Message has no body and carries headers and properties")
    void plainMessage() throws Exception {
        Session s = connection().createSession();
        Message m = s.createMessage();
        m.setStringProperty("only", "props");
        Message got = roundTrip(s, m);
        assertFalse(got instanceof TextMessage || got instanceof BytesMessage || got instanceof MapMessage
                || got instanceof StreamMessage || got instanceof ObjectMessage);
        assertEquals("props", got.getStringProperty("only"));
        assertNull(got.getBody(Object.class));
        assertTrue(got.isBodyAssignableTo(String.class), "no body is assignable to anything");
    }

    @Test
    @DisplayName("JMS 3.1 §3.11 (Message.getBody/isBodyAssignableTo): body types String, byte[], Map, Serializable; wrong type is MessageFormatException")
    void getBody() throws Exception {
        Session s = connection().createSession();
        TextMessage t = s.createTextMessage("txt");
        assertEquals("txt", t.getBody(String.class));
        assertEquals("txt", t.getBody(CharSequence.class));
        assertTrue(t.isBodyAssignableTo(Object.class));
        assertFalse(t.isBodyAssignableTo(Integer.class));
        assertThrows(MessageFormatException.class, () -> t.getBody(Integer.class));

        BytesMessage b = s.createBytesMessage();
        b.writeBytes(new byte[] {4, 5});
        BytesMessage gotBytes = (BytesMessage) roundTrip(s, b);
        assertArrayEquals(new byte[] {4, 5}, gotBytes.getBody(byte[].class));
        assertEquals(2, gotBytes.readBytes(new byte[2]), "getBody does not move the read position");

        MapMessage m = s.createMapMessage();
        m.setInt("k", 1);
        @SuppressWarnings("unchecked")
        Map<String, Object> map = m.getBody(Map.class);
        assertEquals(Map.of("k", 1), map);
        assertThrows(MessageFormatException.class, () -> m.getBody(String.class));

        ObjectMessage o = s.createObjectMessage(Integer.valueOf(3));
        assertEquals(3, o.getBody(Integer.class));
        assertTrue(o.isBodyAssignableTo(Number.class));
        assertFalse(o.isBodyAssignableTo(String.class));
        assertThrows(MessageFormatException.class, () -> o.getBody(String.class));

        StreamMessage st = s.createStreamMessage();
        st.writeInt(1);
        assertFalse(st.isBodyAssignableTo(Object.class), "a StreamMessage body cannot be returned by getBody");
        assertThrows(MessageFormatException.class, () -> st.getBody(Object.class));

        assertNull(s.createTextMessage().getBody(String.class), "an empty body gives null");
        assertInstanceOf(String.class, t.getBody(Object.class));
    }

    @Test
    @DisplayName("JMS 3.1 §3.11.1: clearBody resets the body to empty and keeps the properties")
    void clearBodyKeepsProperties() throws Exception {
        Session s = connection().createSession();
        MapMessage m = s.createMapMessage();
        m.setString("k", "v");
        m.setStringProperty("p", "kept");
        m.clearBody();
        assertFalse(m.getMapNames().hasMoreElements());
        assertEquals("kept", m.getStringProperty("p"));
    }
}
