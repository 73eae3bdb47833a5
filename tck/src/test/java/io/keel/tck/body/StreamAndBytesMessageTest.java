package io.keel.tck.body;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import io.keel.tck.TckBase;
import jakarta.jms.BytesMessage;
import jakarta.jms.MessageEOFException;
import jakarta.jms.MessageFormatException;
import jakarta.jms.MessageNotReadableException;
import jakarta.jms.MessageNotWriteableException;
import jakarta.jms.Session;
import jakarta.jms.StreamMessage;

/** JMS 3.1 §3.11 for the two stream-like bodies: BytesMessage and StreamMessage (table 3-7, §3.11.1-2). */
class StreamAndBytesMessageTest extends TckBase {

    /** One consumer per test: a second open consumer on the queue would compete for the messages. */
    private jakarta.jms.MessageConsumer consumer;

    private <T extends jakarta.jms.Message> T roundTrip(Session s, T m) throws Exception {
        s.createProducer(queue).send(m);
        if (consumer == null) {
            consumer = started().createSession().createConsumer(queue);
        }
        @SuppressWarnings("unchecked")
        T got = (T) consumer.receive(TIMEOUT);
        return got;
    }

    @Test
    @DisplayName("JMS 3.1 §3.11: a BytesMessage carries every written primitive; reading past the end must be MessageEOFException")
    void bytesRoundTrip() throws Exception {
        Session s = connection().createSession();
        BytesMessage m = s.createBytesMessage();
        m.writeBoolean(true);
        m.writeByte((byte) -1);
        m.writeShort((short) -2);
        m.writeChar('x');
        m.writeInt(3);
        m.writeLong(4L);
        m.writeFloat(5.5f);
        m.writeDouble(6.25);
        m.writeUTF("seven");
        m.writeBytes(new byte[] {8, 9, 10}, 1, 2);
        m.writeObject(Integer.valueOf(11));
        BytesMessage got = roundTrip(s, m);
        assertEquals(1 + 1 + 2 + 2 + 4 + 8 + 4 + 8 + (2 + 5) + 2 + 4, got.getBodyLength());
        assertTrue(got.readBoolean());
        assertEquals(255, got.readUnsignedByte());
        assertEquals(65534, got.readUnsignedShort());
        assertEquals('x', got.readChar());
        assertEquals(3, got.readInt());
        assertEquals(4L, got.readLong());
        assertEquals(5.5f, got.readFloat());
        assertEquals(6.25, got.readDouble());
        assertEquals("seven", got.readUTF());
        byte[] two = new byte[2];
        assertEquals(2, got.readBytes(two));
        assertArrayEquals(new byte[] {9, 10}, two);
        assertEquals(11, got.readInt());
        assertEquals(-1, got.readBytes(new byte[1]), "readBytes at the end returns -1");
        assertThrows(MessageEOFException.class, got::readByte);
        got.reset();
        assertTrue(got.readBoolean(), "reset() rewinds to the start");
    }

    @Test
    @DisplayName("JMS 3.1 §3.11.2 / §10.3: a new BytesMessage is write-only (MessageNotReadableException), a received one read-only until clearBody")
    void bytesModes() throws Exception {
        Session s = connection().createSession();
        BytesMessage m = s.createBytesMessage();
        m.writeInt(1);
        assertThrows(MessageNotReadableException.class, m::readInt);
        assertThrows(MessageNotReadableException.class, m::getBodyLength);
        m.reset();
        assertEquals(1, m.readInt());
        assertThrows(MessageNotWriteableException.class, () -> m.writeInt(2));
        assertThrows(MessageFormatException.class, () -> {
            BytesMessage n = s.createBytesMessage();
            n.writeObject(new Object());
        });
        BytesMessage got = roundTrip(s, s.createBytesMessage());
        assertThrows(MessageNotWriteableException.class, () -> got.writeByte((byte) 1));
        got.clearBody();
        got.writeByte((byte) 5);
        got.reset();
        assertEquals(5, got.readByte());
    }

    @Test
    @DisplayName("JMS 3.1 §3.11.3 table 3-7: StreamMessage reads every supported conversion")
    void streamConversions() throws Exception {
        Session s = connection().createSession();
        StreamMessage m = s.createStreamMessage();
        m.writeByte((byte) 12);
        m.writeShort((short) 300);
        m.writeInt(70000);
        m.writeFloat(1.5f);
        m.writeBoolean(true);
        m.writeChar('c');
        m.writeString("42");
        m.writeString("true");
        m.writeBytes(new byte[] {1, 2});
        m.writeObject(null);
        StreamMessage got = roundTrip(s, m);
        assertEquals(12L, got.readLong(), "byte -> long");
        assertEquals(300, got.readInt(), "short -> int");
        assertEquals("70000", got.readString(), "int -> String");
        assertEquals(1.5, got.readDouble(), "float -> double");
        assertEquals("true", got.readString(), "boolean -> String");
        assertEquals("c", got.readString(), "char -> String");
        assertEquals((short) 42, got.readShort(), "String -> short");
        assertTrue(got.readBoolean(), "String -> boolean by Boolean.valueOf");
        assertArrayEquals(new byte[] {1, 2}, (byte[]) got.readObject());
        assertNull(got.readString(), "a null reads as null String");
        assertThrows(MessageEOFException.class, got::readObject);
    }

    @Test
    @DisplayName("JMS 3.1 §3.11.3: unsupported StreamMessage conversions are MessageFormatException and do not move the read pointer")
    void streamBadConversionKeepsPosition() throws Exception {
        Session s = connection().createSession();
        StreamMessage m = s.createStreamMessage();
        m.writeBoolean(false);
        m.writeString("not a number");
        m.writeLong(9);
        m.writeChar('z');
        m.reset();
        assertThrows(MessageFormatException.class, m::readShort, "boolean -> short is not in the table");
        assertThrows(MessageFormatException.class, m::readInt);
        assertEquals(false, m.readBoolean(), "the failed reads left the pointer on the boolean");
        assertThrows(NumberFormatException.class, m::readInt);
        assertEquals("not a number", m.readString());
        assertThrows(MessageFormatException.class, m::readInt, "long -> int narrows");
        assertThrows(MessageFormatException.class, m::readDouble, "long -> double is not in the table");
        assertEquals(9L, m.readLong());
        assertThrows(MessageFormatException.class, m::readInt, "char -> int is not in the table");
        assertEquals('z', m.readChar());
    }

    @Test
    @DisplayName("JMS 3.1 §3.11.3: a null read as a primitive behaves like valueOf(null); as char it is NullPointerException")
    void streamNullReads() throws Exception {
        Session s = connection().createSession();
        StreamMessage m = s.createStreamMessage();
        m.writeString(null);
        m.writeObject(null);
        m.writeObject(null);
        m.reset();
        assertEquals(false, m.readBoolean(), "Boolean.valueOf(null) is false");
        assertThrows(NumberFormatException.class, m::readInt);
        assertThrows(NullPointerException.class, m::readChar);
    }

    @Test
    @DisplayName("JMS 3.1 §3.11.2 / §10.3: StreamMessage is write-only when new, read-only when received; writeObject refuses other types")
    void streamModes() throws Exception {
        Session s = connection().createSession();
        StreamMessage m = s.createStreamMessage();
        m.writeInt(1);
        assertThrows(MessageNotReadableException.class, m::readInt);
        assertThrows(MessageFormatException.class, () -> m.writeObject(new StringBuilder()));
        StreamMessage got = roundTrip(s, m);
        assertThrows(MessageNotWriteableException.class, () -> got.writeInt(2));
        assertEquals(1, got.readInt());
        got.clearBody();
        got.writeInt(3);
        assertThrows(MessageNotReadableException.class, got::readInt, "clearBody leaves the body write-only");
    }

    @Test
    @DisplayName("JMS 3.1 §3.11.3: a byte[] field read in pieces with readBytes")
    void streamReadBytesInPieces() throws Exception {
        StreamMessage m = connection().createSession().createStreamMessage();
        m.writeBytes(new byte[] {1, 2, 3, 4, 5});
        m.writeInt(6);
        m.reset();
        byte[] buf = new byte[3];
        assertEquals(3, m.readBytes(buf));
        assertArrayEquals(new byte[] {1, 2, 3}, buf);
        assertEquals(2, m.readBytes(buf), "less than the buffer: the field is complete");
        assertEquals(6, m.readInt());
        // StreamMessage.readBytes javadoc: a read that fills the buffer must be followed by another
        // readBytes call, which returns -1 at the end of the field.
        StreamMessage exact = connection().createSession().createStreamMessage();
        exact.writeBytes(new byte[] {1, 2, 3});
        exact.writeInt(7);
        exact.reset();
        assertEquals(3, exact.readBytes(buf));
        assertEquals(-1, exact.readBytes(buf));
        assertEquals(7, exact.readInt());
    }
}
