package io.keel.jms.message;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UTFDataFormatException;
import java.nio.ByteBuffer;

import io.keel.protocol.message.BodyType;
import io.keel.protocol.message.MessageData;
import jakarta.jms.BytesMessage;
import jakarta.jms.JMSException;
import jakarta.jms.MessageEOFException;
import jakarta.jms.MessageFormatException;

/**
 * Keel's {@link BytesMessage}: uninterpreted bytes, in the encoding of {@link java.io.DataOutputStream}
 * (big-endian; writeUTF as modified UTF-8 with a 2-byte length). Write-only when created and after
 * clearBody(), read-only after reset() and on receive (MessageNotReadableException /
 * MessageNotWriteableException otherwise).
 *
 * <p>While writing, the bytes grow in a buffer of their own; {@link #reset()} and {@link #toData()} put
 * them into the {@link MessageData}. While reading, the data's array is read in place. A read past the
 * end throws MessageEOFException and consumes nothing (readBytes returns -1 instead).
 */
public final class KeelBytesMessage extends KeelMessage implements BytesMessage {

    /** Write mode: the bytes written so far (null until the first write). */
    private ByteArrayOutputStream written;
    private DataOutputStream out;
    /** Read mode: the body and the read position. */
    private ByteBuffer in;

    /** A new, empty message in write mode. */
    public KeelBytesMessage() {
        super(new MessageData(BodyType.BYTES));
    }

    KeelBytesMessage(MessageData data) {
        super(data);
    }

    @Override
    void enterReceivedState() {
        super.enterReceivedState();
        in = ByteBuffer.wrap(data.bytes());
    }

    @Override
    void syncBody() {
        if (!bodyReadOnly) {
            data.setBytes(written == null ? new byte[0] : written.toByteArray());
        }
    }

    /** Read mode, at the first byte. */
    @Override
    public void reset() {
        if (!bodyReadOnly) {
            syncBody();
            written = null;
            out = null;
            bodyReadOnly = true;
        }
        in = ByteBuffer.wrap(data.bytes());
    }

    /** Empty, in write mode. */
    @Override
    public void clearBody() throws JMSException {
        super.clearBody();
        written = null;
        out = null;
        in = null;
    }

    /** The body length in bytes; MessageNotReadableException in write mode. */
    @Override
    public long getBodyLength() throws JMSException {
        checkBodyReadable();
        return in.limit();
    }

    // ---- reading -----------------------------------------------------------------------------------

    /** The read buffer, with at least {@code n} bytes left; else MessageEOFException. */
    private ByteBuffer need(int n) throws JMSException {
        checkBodyReadable();
        if (in.remaining() < n) {
            throw new MessageEOFException("end of the BytesMessage body: " + n + " bytes needed, " + in.remaining()
                    + " left");
        }
        return in;
    }

    @Override
    public boolean readBoolean() throws JMSException {
        return need(1).get() != 0;
    }

    @Override
    public byte readByte() throws JMSException {
        return need(1).get();
    }

    @Override
    public int readUnsignedByte() throws JMSException {
        return need(1).get() & 0xFF;
    }

    @Override
    public short readShort() throws JMSException {
        return need(2).getShort();
    }

    @Override
    public int readUnsignedShort() throws JMSException {
        return need(2).getShort() & 0xFFFF;
    }

    @Override
    public char readChar() throws JMSException {
        return need(2).getChar();
    }

    @Override
    public int readInt() throws JMSException {
        return need(4).getInt();
    }

    @Override
    public long readLong() throws JMSException {
        return need(8).getLong();
    }

    @Override
    public float readFloat() throws JMSException {
        return need(4).getFloat();
    }

    @Override
    public double readDouble() throws JMSException {
        return need(8).getDouble();
    }

    /** A string written by writeUTF; MessageFormatException (nothing consumed) if the bytes are not one. */
    @Override
    public String readUTF() throws JMSException {
        ByteBuffer b = need(2);
        int length = 2 + (b.getShort(b.position()) & 0xFFFF);
        need(length);
        try {
            String s = new DataInputStream(new ByteArrayInputStream(b.array(), b.position(), length)).readUTF();
            b.position(b.position() + length);
            return s;
        } catch (IOException e) {
            MessageFormatException mfe = new MessageFormatException("the bytes at position " + b.position()
                    + " are not a writeUTF string: " + e.getMessage());
            mfe.setLinkedException(e);
            throw mfe;
        }
    }

    /** Fills {@code value} as far as the body allows; returns the count, or -1 at the end of the body. */
    @Override
    public int readBytes(byte[] value) throws JMSException {
        return readBytes(value, value.length);
    }

    /** Reads up to {@code length} bytes; -1 at the end. IndexOutOfBoundsException if length is out of 0..value.length. */
    @Override
    public int readBytes(byte[] value, int length) throws JMSException {
        if (length < 0 || length > value.length) {
            throw new IndexOutOfBoundsException("length " + length + " is not within 0.." + value.length);
        }
        checkBodyReadable();
        if (!in.hasRemaining()) {
            return -1;
        }
        int n = Math.min(length, in.remaining());
        in.get(value, 0, n);
        return n;
    }

    // ---- writing -----------------------------------------------------------------------------------

    private DataOutputStream out() throws JMSException {
        checkBodyWritable();
        if (out == null) {
            written = new ByteArrayOutputStream(64);
            out = new DataOutputStream(written);
        }
        return out;
    }

    /** Writing to a ByteArrayOutputStream cannot fail but DataOutputStream declares IOException. */
    private interface Write {
        void to(DataOutputStream out) throws IOException;
    }

    private void write(Write w) throws JMSException {
        DataOutputStream o = out();
        try {
            w.to(o);
        } catch (UTFDataFormatException e) {
            MessageFormatException mfe = new MessageFormatException("writeUTF: " + e.getMessage());
            mfe.setLinkedException(e);
            throw mfe;
        } catch (IOException e) {
            JMSException j = new JMSException("cannot write to the BytesMessage: " + e);
            j.setLinkedException(e);
            throw j;
        }
    }

    @Override
    public void writeBoolean(boolean value) throws JMSException {
        write(o -> o.writeBoolean(value));
    }

    @Override
    public void writeByte(byte value) throws JMSException {
        write(o -> o.writeByte(value));
    }

    @Override
    public void writeShort(short value) throws JMSException {
        write(o -> o.writeShort(value));
    }

    @Override
    public void writeChar(char value) throws JMSException {
        write(o -> o.writeChar(value));
    }

    @Override
    public void writeInt(int value) throws JMSException {
        write(o -> o.writeInt(value));
    }

    @Override
    public void writeLong(long value) throws JMSException {
        write(o -> o.writeLong(value));
    }

    @Override
    public void writeFloat(float value) throws JMSException {
        write(o -> o.writeFloat(value));
    }

    @Override
    public void writeDouble(double value) throws JMSException {
        write(o -> o.writeDouble(value));
    }

    /** Modified UTF-8 with a 2-byte length; MessageFormatException over 65535 encoded bytes; null: NullPointerException. */
    @Override
    public void writeUTF(String value) throws JMSException {
        if (value == null) {
            throw new NullPointerException("a BytesMessage cannot hold a null String");
        }
        write(o -> o.writeUTF(value));
    }

    /** Null: NullPointerException (section 3.12: a BytesMessage has no null values). */
    @Override
    public void writeBytes(byte[] value) throws JMSException {
        writeBytes(value, 0, value.length);
    }

    @Override
    public void writeBytes(byte[] value, int offset, int length) throws JMSException {
        if (offset < 0 || length < 0 || offset > value.length - length) {
            throw new IndexOutOfBoundsException("offset " + offset + " and length " + length + " do not fit an array of "
                    + value.length);
        }
        write(o -> o.write(value, offset, length));
    }

    /**
     * Writes a Boolean, Byte, Short, Character, Integer, Long, Float, Double, String (as writeUTF) or
     * byte[] with the matching method; null: NullPointerException; any other class:
     * MessageFormatException.
     */
    @Override
    public void writeObject(Object value) throws JMSException {
        if (value == null) {
            throw new NullPointerException("a BytesMessage cannot hold a null value");
        } else if (value instanceof Boolean v) {
            writeBoolean(v);
        } else if (value instanceof Byte v) {
            writeByte(v);
        } else if (value instanceof Short v) {
            writeShort(v);
        } else if (value instanceof Character v) {
            writeChar(v);
        } else if (value instanceof Integer v) {
            writeInt(v);
        } else if (value instanceof Long v) {
            writeLong(v);
        } else if (value instanceof Float v) {
            writeFloat(v);
        } else if (value instanceof Double v) {
            writeDouble(v);
        } else if (value instanceof String v) {
            writeUTF(v);
        } else if (value instanceof byte[] v) {
            writeBytes(v);
        } else {
            throw new MessageFormatException("a " + value.getClass().getName()
                    + " cannot be written to a BytesMessage: only primitive wrappers, String and byte[]");
        }
    }

    // ---- body as a whole ---------------------------------------------------------------------------

    private int length() {
        return bodyReadOnly ? data.bytes().length : written == null ? 0 : written.size();
    }

    /**
     * A copy of the whole body if {@code c} can hold a byte[] (byte[], Object...), null if it is empty.
     * As the javadoc says, the message is reset before and after: it ends in read mode at the start.
     */
    @Override
    public <T> T getBody(Class<T> c) throws JMSException {
        reset();
        try {
            byte[] body = data.bytes();
            return body.length == 0 ? null : bodyAs(body.clone(), c, "BytesMessage");
        } finally {
            reset();
        }
    }

    @Override
    public boolean isBodyAssignableTo(@SuppressWarnings("rawtypes") Class c) {
        return length() == 0 || ((Class<?>) c).isAssignableFrom(byte[].class);
    }

    @Override
    String bodySummary() {
        return length() + " bytes";
    }
}
