package io.keel.jms.message;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;

import org.junit.jupiter.api.Test;

import io.keel.jms.destination.KeelQueue;
import io.keel.protocol.message.BodyType;
import io.keel.protocol.message.MessageData;
import jakarta.jms.BytesMessage;
import jakarta.jms.JMSException;
import jakarta.jms.MapMessage;
import jakarta.jms.MessageNotReadableException;
import jakarta.jms.MessageNotWriteableException;
import jakarta.jms.ObjectMessage;
import jakarta.jms.StreamMessage;
import jakarta.jms.TextMessage;

/** fromData gives read-only properties and bodies; clearProperties/clearBody make them writable. */
class ReceivedStateTest {

    private static KeelMessage received(BodyType type) {
        MessageData d = new MessageData(type).setProperty("p", 1);
        switch (type) {
            case TEXT -> d.setText("t");
            case BYTES -> d.setBytes(new byte[] {1, 2, 3, 4});
            case MAP -> d.map().put("k", 5);
            case STREAM -> d.stream().addAll(List.of(6, "seven"));
            case OBJECT -> d.setObjectBytes(null);
            default -> {
            }
        }
        return KeelMessage.fromData(d);
    }

    @Test
    void fromDataBuildsTheRightType() {
        assertEquals(KeelMessage.class, received(BodyType.MESSAGE).getClass());
        assertInstanceOf(TextMessage.class, received(BodyType.TEXT));
        assertInstanceOf(BytesMessage.class, received(BodyType.BYTES));
        assertInstanceOf(MapMessage.class, received(BodyType.MAP));
        assertInstanceOf(StreamMessage.class, received(BodyType.STREAM));
        assertInstanceOf(ObjectMessage.class, received(BodyType.OBJECT));
        for (BodyType t : BodyType.values()) {
            assertEquals(KeelMessage.create(t).getClass(), received(t).getClass(), t.name());
        }
    }

    @Test
    void propertiesAreReadOnlyUntilCleared() throws JMSException {
        for (BodyType t : BodyType.values()) {
            KeelMessage m = received(t);
            assertEquals(1, m.getIntProperty("p"));
            assertThrows(MessageNotWriteableException.class, () -> m.setIntProperty("q", 1), t.name());
            assertThrows(MessageNotWriteableException.class, () -> m.setStringProperty("p", "x"), t.name());
            assertThrows(MessageNotWriteableException.class, () -> m.setObjectProperty("q", 1L), t.name());
            assertThrows(MessageNotWriteableException.class, () -> m.setBooleanProperty("q", true), t.name());
            m.clearBody();
            assertThrows(MessageNotWriteableException.class, () -> m.setIntProperty("q", 1),
                    "clearBody does not make properties writable");
            m.clearProperties();
            assertFalse(m.propertyExists("p"));
            m.setIntProperty("q", 2);
            assertEquals(2, m.getIntProperty("q"));
        }
    }

    @Test
    void headersStayWritable() throws JMSException {
        KeelMessage m = received(BodyType.TEXT);
        m.setJMSType("t");
        m.setJMSCorrelationID("c");
        m.setJMSReplyTo(new KeelQueue("r"));
        m.setJMSPriority(9);
        assertEquals("t", m.getJMSType());
        assertEquals(9, m.getJMSPriority());
        assertThrows(JMSException.class, () -> m.setJMSPriority(10));
        assertThrows(JMSException.class, () -> m.setJMSDeliveryMode(0));
    }

    @Test
    void textBody() throws JMSException {
        KeelTextMessage m = (KeelTextMessage) received(BodyType.TEXT);
        assertEquals("t", m.getText());
        assertThrows(MessageNotWriteableException.class, () -> m.setText("x"));
        m.clearProperties();
        assertThrows(MessageNotWriteableException.class, () -> m.setText("x"), "clearProperties leaves the body");
        m.clearBody();
        assertNull(m.getText());
        m.setText("x");
        assertEquals("x", m.getText());
    }

    @Test
    void bytesBody() throws JMSException {
        KeelBytesMessage m = (KeelBytesMessage) received(BodyType.BYTES);
        assertEquals(4, m.getBodyLength());
        assertEquals(0x01020304, m.readInt());
        assertThrows(MessageNotWriteableException.class, () -> m.writeInt(1));
        assertThrows(MessageNotWriteableException.class, () -> m.writeObject(1));
        m.reset();
        assertEquals(1, m.readByte());
        m.clearBody();
        assertThrows(MessageNotReadableException.class, m::readByte);
        assertThrows(MessageNotReadableException.class, m::getBodyLength);
        m.writeByte((byte) 9);
        m.reset();
        assertEquals(1, m.getBodyLength());
        assertEquals(9, m.readByte());
        assertEquals(1, m.getIntProperty("p"), "clearBody leaves the properties");
    }

    @Test
    void mapBody() throws JMSException {
        KeelMapMessage m = (KeelMapMessage) received(BodyType.MAP);
        assertEquals(5, m.getInt("k"));
        assertThrows(MessageNotWriteableException.class, () -> m.setInt("k", 1));
        assertThrows(MessageNotWriteableException.class, () -> m.setBytes("k", new byte[1]));
        assertThrows(MessageNotWriteableException.class, () -> m.setObject("k", "x"));
        m.clearBody();
        assertFalse(m.itemExists("k"));
        m.setInt("k", 1);
        assertEquals(1, m.getInt("k"));
    }

    @Test
    void streamBody() throws JMSException {
        KeelStreamMessage m = (KeelStreamMessage) received(BodyType.STREAM);
        assertEquals(6, m.readInt());
        assertEquals("seven", m.readString());
        assertThrows(MessageNotWriteableException.class, () -> m.writeInt(1));
        m.reset();
        assertEquals(6L, m.readLong());
        m.clearBody();
        assertThrows(MessageNotReadableException.class, m::readObject);
        m.writeString("x");
        m.reset();
        assertEquals("x", m.readObject());
    }

    @Test
    void objectBody() throws JMSException {
        KeelObjectMessage m = (KeelObjectMessage) received(BodyType.OBJECT);
        assertNull(m.getObject());
        assertThrows(MessageNotWriteableException.class, () -> m.setObject("x"));
        m.clearBody();
        m.setObject("x");
        assertEquals("x", m.getObject());
    }

    @Test
    void messageDataIsNotCopiedButToDataKeepsState() throws JMSException {
        KeelBytesMessage m = new KeelBytesMessage();
        m.writeInt(7);
        MessageData d = m.toData();
        assertArrayEquals(new byte[] {0, 0, 0, 7}, d.bytes());
        m.writeInt(8);
        assertEquals(8, m.toData().bytes().length, "still in write mode after toData");
        assertThrows(MessageNotReadableException.class, m::readInt);

        KeelStreamMessage s = new KeelStreamMessage();
        s.writeInt(1);
        assertEquals(List.of(1), s.toData().stream());
        s.writeInt(2);
        assertThrows(MessageNotReadableException.class, s::readInt);
    }
}
