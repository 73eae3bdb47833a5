package io.keel.jms.message;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Collections;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.keel.jms.destination.KeelDestination;
import io.keel.jms.destination.KeelTemporaryQueue;
import io.keel.jms.destination.KeelTopic;
import io.keel.protocol.message.BodyType;
import io.keel.protocol.message.MessageCodec;
import jakarta.jms.DeliveryMode;
import jakarta.jms.JMSException;
import jakarta.jms.MessageNotWriteableException;
import jakarta.jms.TemporaryQueue;

/** toData -> MessageCodec.encode -> decode -> fromData, for every type, with every header and property type. */
class RoundTripTest {

    private static KeelMessage sendAndReceive(KeelMessage m) {
        byte[] wire = MessageCodec.encode(m.toData());
        return KeelMessage.fromData(MessageCodec.decode(wire));
    }

    private static void fillHeadersAndProperties(KeelMessage m) throws JMSException {
        m.setJMSMessageID("ID:keel-1:2:3");
        m.setJMSTimestamp(1_700_000_000_123L);
        m.setJMSCorrelationID("corr-1");
        m.setJMSReplyTo(new KeelTemporaryQueue("tmp-q-1", d -> { }));
        m.setJMSDestination(new KeelTopic("prices"));
        m.setJMSDeliveryMode(DeliveryMode.NON_PERSISTENT);
        m.setJMSType("quote");
        m.setJMSExpiration(1_700_000_060_000L);
        m.setJMSPriority(7);
        m.setJMSDeliveryTime(1_700_000_001_000L);
        m.setJMSRedelivered(true); // not carried: the delivery decides
        m.setBooleanProperty("bool", true);
        m.setByteProperty("byte", (byte) -1);
        m.setShortProperty("short", (short) 1234);
        m.setIntProperty("int", -56789);
        m.setLongProperty("long", Long.MIN_VALUE);
        m.setFloatProperty("float", Float.NaN);
        m.setDoubleProperty("double", -0.0);
        m.setStringProperty("string", "héllo ✓");
        m.setStringProperty("nullString", null);
        m.setStringProperty("JMSXGroupID", "group");
        m.setIntProperty("JMSXGroupSeq", 2);
    }

    private static void checkHeadersAndProperties(KeelMessage r) throws JMSException {
        assertEquals("ID:keel-1:2:3", r.getJMSMessageID());
        assertEquals(1_700_000_000_123L, r.getJMSTimestamp());
        assertEquals("corr-1", r.getJMSCorrelationID());
        assertInstanceOf(TemporaryQueue.class, r.getJMSReplyTo());
        assertEquals(new KeelTemporaryQueue("tmp-q-1", null), r.getJMSReplyTo());
        assertEquals(new KeelTopic("prices"), r.getJMSDestination());
        assertEquals(DeliveryMode.NON_PERSISTENT, r.getJMSDeliveryMode());
        assertEquals("quote", r.getJMSType());
        assertEquals(1_700_000_060_000L, r.getJMSExpiration());
        assertEquals(7, r.getJMSPriority());
        assertEquals(1_700_000_001_000L, r.getJMSDeliveryTime());
        assertFalse(r.getJMSRedelivered());
        assertTrue(r.getBooleanProperty("bool"));
        assertEquals((byte) -1, r.getByteProperty("byte"));
        assertEquals((short) 1234, r.getShortProperty("short"));
        assertEquals(-56789, r.getIntProperty("int"));
        assertEquals(Long.MIN_VALUE, r.getLongProperty("long"));
        assertTrue(Float.isNaN(r.getFloatProperty("float")));
        assertEquals(Double.valueOf(-0.0), r.getObjectProperty("double"));
        assertEquals("héllo ✓", r.getStringProperty("string"));
        assertTrue(r.propertyExists("nullString"));
        assertNull(r.getStringProperty("nullString"));
        assertEquals("group", r.getStringProperty("JMSXGroupID"));
        assertEquals(2, r.getIntProperty("JMSXGroupSeq"));
        assertEquals(List.of("bool", "byte", "short", "int", "long", "float", "double", "string", "nullString",
                "JMSXGroupID", "JMSXGroupSeq"), Collections.list(r.getPropertyNames()));

        r.markDelivered(3);
        assertTrue(r.getJMSRedelivered());
        assertEquals(3, r.getIntProperty("JMSXDeliveryCount"));
        assertThrows(MessageNotWriteableException.class, () -> r.setIntProperty("x", 1));
    }

    @Test
    void plainMessage() throws JMSException {
        KeelMessage m = new KeelMessage();
        fillHeadersAndProperties(m);
        KeelMessage r = sendAndReceive(m);
        assertEquals(KeelMessage.class, r.getClass());
        checkHeadersAndProperties(r);
        assertNull(r.getBody(Object.class));
    }

    @Test
    void text() throws JMSException {
        KeelTextMessage m = new KeelTextMessage();
        fillHeadersAndProperties(m);
        m.setText("text ✓ " + "x".repeat(1000));
        KeelTextMessage r = (KeelTextMessage) sendAndReceive(m);
        checkHeadersAndProperties(r);
        assertEquals(m.getText(), r.getText());
        assertNull(((KeelTextMessage) sendAndReceive(new KeelTextMessage())).getText());
    }

    @Test
    void bytes() throws JMSException {
        KeelBytesMessage m = new KeelBytesMessage();
        fillHeadersAndProperties(m);
        m.writeLong(42);
        m.writeUTF("u");
        KeelBytesMessage r = (KeelBytesMessage) sendAndReceive(m);
        checkHeadersAndProperties(r);
        assertEquals(11, r.getBodyLength());
        assertEquals(42, r.readLong());
        assertEquals("u", r.readUTF());
        // after reset (read mode) the body is the same
        m.reset();
        assertEquals(11, ((KeelBytesMessage) sendAndReceive(m)).getBodyLength());
        assertEquals(0, ((KeelBytesMessage) sendAndReceive(new KeelBytesMessage())).getBodyLength());
    }

    @Test
    void map() throws JMSException {
        KeelMapMessage m = new KeelMapMessage();
        fillHeadersAndProperties(m);
        m.setChar("c", 'z');
        m.setBytes("b", new byte[] {1, 2});
        m.setObject("n", null);
        m.setDouble("d", 1.25);
        KeelMapMessage r = (KeelMapMessage) sendAndReceive(m);
        checkHeadersAndProperties(r);
        assertEquals('z', r.getChar("c"));
        assertArrayEquals(new byte[] {1, 2}, r.getBytes("b"));
        assertTrue(r.itemExists("n"));
        assertEquals(1.25, r.getDouble("d"));
        assertEquals(List.of("c", "b", "n", "d"), Collections.list(r.getMapNames()));
    }

    @Test
    void stream() throws JMSException {
        KeelStreamMessage m = new KeelStreamMessage();
        fillHeadersAndProperties(m);
        m.writeChar('q');
        m.writeBytes(new byte[] {3});
        m.writeObject(null);
        m.writeShort((short) 5);
        KeelStreamMessage r = (KeelStreamMessage) sendAndReceive(m);
        checkHeadersAndProperties(r);
        assertEquals('q', r.readChar());
        assertArrayEquals(new byte[] {3}, (byte[]) r.readObject());
        assertNull(r.readObject());
        assertEquals(5, r.readInt());
    }

    @Test
    void object() throws JMSException {
        KeelObjectMessage m = new KeelObjectMessage();
        fillHeadersAndProperties(m);
        m.setObject(new java.util.TreeMap<>(Map.of("k", List.of(1))));
        KeelObjectMessage r = (KeelObjectMessage) sendAndReceive(m);
        checkHeadersAndProperties(r);
        assertEquals(Map.of("k", List.of(1)), r.getObject());
    }

    @Test
    void correlationIdAsBytes() throws JMSException {
        KeelMessage m = new KeelMessage();
        m.setJMSCorrelationIDAsBytes(new byte[] {0, -1, 2});
        KeelMessage r = sendAndReceive(m);
        assertArrayEquals(new byte[] {0, -1, 2}, r.getJMSCorrelationIDAsBytes());
        assertNull(r.getJMSCorrelationID());
        m.setJMSCorrelationID("abc");
        assertArrayEquals("abc".getBytes(java.nio.charset.StandardCharsets.UTF_8), m.getJMSCorrelationIDAsBytes());
        byte[] b = {1};
        m.setJMSCorrelationIDAsBytes(b);
        b[0] = 2;
        assertArrayEquals(new byte[] {1}, m.getJMSCorrelationIDAsBytes(), "copied");
    }

    @Test
    void defaultsAndDestinationIdentity() throws JMSException {
        KeelTemporaryQueue tmp = new KeelTemporaryQueue("t", d -> { });
        KeelMessage m = KeelMessage.create(BodyType.MESSAGE);
        assertEquals(DeliveryMode.PERSISTENT, m.getJMSDeliveryMode());
        assertEquals(4, m.getJMSPriority());
        assertNull(m.getJMSDestination());
        assertNull(m.getJMSReplyTo());
        m.setJMSReplyTo(tmp);
        assertTrue(m.getJMSReplyTo() == tmp, "the object set is returned");
        m.setJMSReplyTo(null);
        assertNull(m.getJMSReplyTo());
        assertNull(sendAndReceive(m).getJMSReplyTo());
        KeelMessage r = sendAndReceive(m);
        assertEquals(DeliveryMode.PERSISTENT, r.getJMSDeliveryMode());
        assertEquals(0, r.getJMSTimestamp());
        assertNull(r.getJMSMessageID());
        m.setJMSDestination(KeelDestination.of(io.keel.protocol.message.DestinationRef.queue("q")));
        assertEquals("Message[id=null, destination=queue 'q']", m.toString());
    }
}
