package io.keel.jms.message;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;

import org.junit.jupiter.api.Test;

import jakarta.jms.JMSException;
import jakarta.jms.MessageEOFException;
import jakarta.jms.MessageFormatException;
import jakarta.jms.MessageNotReadableException;
import jakarta.jms.MessageNotWriteableException;

class BytesMessageTest {

    @Test
    void writeOnlyUntilReset() throws JMSException {
        KeelBytesMessage m = new KeelBytesMessage();
        assertThrows(MessageNotReadableException.class, m::readByte);
        assertThrows(MessageNotReadableException.class, m::getBodyLength);
        assertThrows(MessageNotReadableException.class, () -> m.readBytes(new byte[1]));
        assertThrows(MessageNotReadableException.class, m::readUTF);
        m.writeInt(1);
        m.reset();
        assertThrows(MessageNotWriteableException.class, () -> m.writeInt(2));
        assertThrows(MessageNotWriteableException.class, () -> m.writeBytes(new byte[1]));
        assertEquals(4, m.getBodyLength());
        assertEquals(1, m.readInt());
        m.reset();
        assertEquals(1, m.readInt(), "reset in read mode rewinds");
    }

    @Test
    void everyTypeRoundTripsInDataOutputStreamFormat() throws JMSException, IOException {
        KeelBytesMessage m = new KeelBytesMessage();
        m.writeBoolean(true);
        m.writeByte((byte) -2);
        m.writeShort((short) -3);
        m.writeChar('é');
        m.writeInt(-4);
        m.writeLong(-5L);
        m.writeFloat(6.5f);
        m.writeDouble(-7.25);
        m.writeUTF("héllo");
        m.writeBytes(new byte[] {1, 2, 3});
        m.writeBytes(new byte[] {9, 4, 5, 9}, 1, 2);
        m.writeObject(Boolean.FALSE);
        m.writeObject((byte) 8);
        m.writeObject((short) 9);
        m.writeObject('x');
        m.writeObject(10);
        m.writeObject(11L);
        m.writeObject(12f);
        m.writeObject(13d);
        m.writeObject("s");
        m.writeObject(new byte[] {14});

        ByteArrayOutputStream expected = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(expected);
        out.writeBoolean(true);
        out.writeByte(-2);
        out.writeShort(-3);
        out.writeChar('é');
        out.writeInt(-4);
        out.writeLong(-5);
        out.writeFloat(6.5f);
        out.writeDouble(-7.25);
        out.writeUTF("héllo");
        out.write(new byte[] {1, 2, 3, 4, 5});
        out.writeBoolean(false);
        out.writeByte(8);
        out.writeShort(9);
        out.writeChar('x');
        out.writeInt(10);
        out.writeLong(11);
        out.writeFloat(12f);
        out.writeDouble(13d);
        out.writeUTF("s");
        out.write(14);
        assertArrayEquals(expected.toByteArray(), m.toData().bytes());

        m.reset();
        assertEquals(expected.size(), m.getBodyLength());
        assertTrue(m.readBoolean());
        assertEquals(-2, m.readByte());
        assertEquals(-3, m.readShort());
        assertEquals('é', m.readChar());
        assertEquals(-4, m.readInt());
        assertEquals(-5L, m.readLong());
        assertEquals(6.5f, m.readFloat());
        assertEquals(-7.25, m.readDouble());
        assertEquals("héllo", m.readUTF());
        byte[] five = new byte[5];
        assertEquals(5, m.readBytes(five));
        assertArrayEquals(new byte[] {1, 2, 3, 4, 5}, five);
        assertFalse(m.readBoolean());
        assertEquals(8, m.readUnsignedByte());
        assertEquals(9, m.readUnsignedShort());
        assertEquals('x', m.readChar());
        assertEquals(10, m.readInt());
        assertEquals(11L, m.readLong());
        assertEquals(12f, m.readFloat());
        assertEquals(13d, m.readDouble());
        assertEquals("s", m.readUTF());
        assertEquals(14, m.readByte());
        assertThrows(MessageEOFException.class, m::readByte);
    }

    @Test
    void unsignedReads() throws JMSException {
        KeelBytesMessage m = new KeelBytesMessage();
        m.writeByte((byte) -1);
        m.writeShort((short) -1);
        m.reset();
        assertEquals(255, m.readUnsignedByte());
        assertEquals(65535, m.readUnsignedShort());
    }

    @Test
    void readingPastTheEndThrowsEofAndConsumesNothing() throws JMSException {
        KeelBytesMessage m = new KeelBytesMessage();
        m.writeShort((short) 7);
        m.reset();
        assertThrows(MessageEOFException.class, m::readInt);
        assertThrows(MessageEOFException.class, m::readLong);
        assertThrows(MessageEOFException.class, m::readDouble);
        assertThrows(MessageEOFException.class, m::readFloat);
        assertEquals(7, m.readShort());
        for (org.junit.jupiter.api.function.Executable read : new org.junit.jupiter.api.function.Executable[] {
            m::readBoolean, m::readByte, m::readUnsignedByte, m::readShort, m::readUnsignedShort, m::readChar,
            m::readInt, m::readLong, m::readFloat, m::readDouble, m::readUTF}) {
            assertThrows(MessageEOFException.class, read);
        }
        assertEquals(-1, m.readBytes(new byte[4]));
    }

    @Test
    void readUtfWithTruncatedOrInvalidBytes() throws JMSException {
        KeelBytesMessage m = new KeelBytesMessage();
        m.writeShort((short) 5);
        m.writeByte((byte) 'a');
        m.reset();
        assertThrows(MessageEOFException.class, m::readUTF);
        assertEquals(5, m.readShort(), "nothing consumed");

        KeelBytesMessage bad = new KeelBytesMessage();
        bad.writeShort((short) 1);
        bad.writeByte((byte) 0xC0);
        bad.reset();
        assertThrows(MessageFormatException.class, bad::readUTF);
        assertEquals(1, bad.readShort(), "nothing consumed");
    }

    @Test
    void readBytesInPieces() throws JMSException {
        KeelBytesMessage m = new KeelBytesMessage();
        m.writeBytes(new byte[] {0, 1, 2, 3, 4, 5, 6, 7, 8, 9});
        m.reset();
        byte[] buf = new byte[4];
        assertEquals(4, m.readBytes(buf));
        assertArrayEquals(new byte[] {0, 1, 2, 3}, buf);
        assertEquals(4, m.readBytes(buf));
        assertEquals(2, m.readBytes(buf));
        assertEquals(8, buf[0]);
        assertEquals(9, buf[1]);
        assertEquals(-1, m.readBytes(buf));

        m.reset();
        assertEquals(3, m.readBytes(buf, 3));
        assertEquals(0, m.readBytes(buf, 0));
        assertThrows(IndexOutOfBoundsException.class, () -> m.readBytes(buf, 5));
        assertThrows(IndexOutOfBoundsException.class, () -> m.readBytes(buf, -1));
        assertEquals(3, m.readByte(), "a failed readBytes consumes nothing");
    }

    @Test
    void emptyBody() throws JMSException {
        KeelBytesMessage m = new KeelBytesMessage();
        m.reset();
        assertEquals(0, m.getBodyLength());
        assertEquals(-1, m.readBytes(new byte[1]));
        assertThrows(MessageEOFException.class, m::readByte);
    }

    @Test
    void invalidWrites() throws JMSException {
        KeelBytesMessage m = new KeelBytesMessage();
        assertThrows(NullPointerException.class, () -> m.writeObject(null));
        assertThrows(NullPointerException.class, () -> m.writeUTF(null));
        assertThrows(NullPointerException.class, () -> m.writeBytes(null));
        assertThrows(MessageFormatException.class, () -> m.writeObject(new Object()));
        assertThrows(MessageFormatException.class, () -> m.writeObject(new StringBuilder("x")));
        assertThrows(IndexOutOfBoundsException.class, () -> m.writeBytes(new byte[2], 1, 2));
        assertThrows(MessageFormatException.class, () -> m.writeUTF("x".repeat(65536)));
        m.reset();
        assertEquals(0, m.getBodyLength(), "failed writes wrote nothing");
    }

    @Test
    void writtenArraysAreCopied() throws JMSException {
        KeelBytesMessage m = new KeelBytesMessage();
        byte[] b = {1, 2};
        m.writeBytes(b);
        b[0] = 9;
        m.reset();
        assertEquals(1, m.readByte());
    }

    @Test
    void toStringDoesNotDumpTheBody() throws JMSException {
        KeelBytesMessage m = new KeelBytesMessage();
        m.writeBytes(new byte[100]);
        assertEquals("BytesMessage[id=null, 100 bytes]", m.toString());
    }
}
