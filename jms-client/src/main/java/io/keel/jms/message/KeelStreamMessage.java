package io.keel.jms.message;

import java.util.Arrays;

import io.keel.protocol.message.BodyType;
import io.keel.protocol.message.MessageData;
import io.keel.protocol.message.ValueType;
import jakarta.jms.JMSException;
import jakarta.jms.MessageFormatException;
import jakarta.jms.StreamMessage;

/**
 * Keel's {@link StreamMessage}: a sequence of typed fields, kept as the list of
 * {@link MessageData#stream()}. Write-only when created and after clearBody(), read-only after reset()
 * and on receive (MessageNotReadableException / MessageNotWriteableException otherwise). Reading follows
 * {@link StreamReader}. Byte arrays are copied in and out.
 */
public final class KeelStreamMessage extends KeelMessage implements StreamMessage {

    /** The read position; only in read mode. */
    private StreamReader reader;

    /** A new, empty message in write mode. */
    public KeelStreamMessage() {
        super(new MessageData(BodyType.STREAM));
    }

    KeelStreamMessage(MessageData data) {
        super(data);
    }

    @Override
    void enterReceivedState() {
        super.enterReceivedState();
        reader = new StreamReader(data.stream());
    }

    /** Read mode, at the first field. */
    @Override
    public void reset() {
        bodyReadOnly = true;
        if (reader == null) {
            reader = new StreamReader(data.stream());
        } else {
            reader.rewind();
        }
    }

    /** Empty, in write mode. */
    @Override
    public void clearBody() throws JMSException {
        super.clearBody();
        reader = null;
    }

    private StreamReader reader() throws JMSException {
        checkBodyReadable();
        return reader;
    }

    @Override
    public boolean readBoolean() throws JMSException {
        StreamReader r = reader();
        boolean v = Conversions.toBoolean(r.peek());
        r.advance();
        return v;
    }

    @Override
    public byte readByte() throws JMSException {
        StreamReader r = reader();
        byte v = Conversions.toByte(r.peek());
        r.advance();
        return v;
    }

    @Override
    public short readShort() throws JMSException {
        StreamReader r = reader();
        short v = Conversions.toShort(r.peek());
        r.advance();
        return v;
    }

    @Override
    public char readChar() throws JMSException {
        StreamReader r = reader();
        char v = Conversions.toChar(r.peek());
        r.advance();
        return v;
    }

    @Override
    public int readInt() throws JMSException {
        StreamReader r = reader();
        int v = Conversions.toInt(r.peek());
        r.advance();
        return v;
    }

    @Override
    public long readLong() throws JMSException {
        StreamReader r = reader();
        long v = Conversions.toLong(r.peek());
        r.advance();
        return v;
    }

    @Override
    public float readFloat() throws JMSException {
        StreamReader r = reader();
        float v = Conversions.toFloat(r.peek());
        r.advance();
        return v;
    }

    @Override
    public double readDouble() throws JMSException {
        StreamReader r = reader();
        double v = Conversions.toDouble(r.peek());
        r.advance();
        return v;
    }

    @Override
    public String readString() throws JMSException {
        StreamReader r = reader();
        String v = Conversions.toText(r.peek());
        r.advance();
        return v;
    }

    /** See {@link StreamReader} for the piecewise protocol. */
    @Override
    public int readBytes(byte[] value) throws JMSException {
        return reader().readBytes(value);
    }

    /** The next field as an object: Integer for an int, ..., a copy of a byte[]; null for a null field. */
    @Override
    public Object readObject() throws JMSException {
        return reader().readObject();
    }

    private void write(Object value) throws JMSException {
        checkBodyWritable();
        data.stream().add(value);
    }

    @Override
    public void writeBoolean(boolean value) throws JMSException {
        write(value);
    }

    @Override
    public void writeByte(byte value) throws JMSException {
        write(value);
    }

    @Override
    public void writeShort(short value) throws JMSException {
        write(value);
    }

    @Override
    public void writeChar(char value) throws JMSException {
        write(value);
    }

    @Override
    public void writeInt(int value) throws JMSException {
        write(value);
    }

    @Override
    public void writeLong(long value) throws JMSException {
        write(value);
    }

    @Override
    public void writeFloat(float value) throws JMSException {
        write(value);
    }

    @Override
    public void writeDouble(double value) throws JMSException {
        write(value);
    }

    /** Null is written as a null field. */
    @Override
    public void writeString(String value) throws JMSException {
        write(value);
    }

    /** A copy of {@code value} as one byte[] field; null is written as a null field. */
    @Override
    public void writeBytes(byte[] value) throws JMSException {
        write(value == null ? null : value.clone());
    }

    /** A copy of {@code length} bytes from {@code offset} as one byte[] field. */
    @Override
    public void writeBytes(byte[] value, int offset, int length) throws JMSException {
        if (offset < 0 || length < 0 || offset > value.length - length) {
            throw new IndexOutOfBoundsException("offset " + offset + " and length " + length + " do not fit an array of "
                    + value.length);
        }
        write(Arrays.copyOfRange(value, offset, offset + length));
    }

    /**
     * Accepts Boolean, Byte, Short, Character, Integer, Long, Float, Double, String, byte[] (copied) and
     * null; any other class: MessageFormatException.
     */
    @Override
    public void writeObject(Object value) throws JMSException {
        if (ValueType.of(value) == null) {
            throw new MessageFormatException("a " + value.getClass().getName()
                    + " cannot be written to a StreamMessage: only primitive wrappers, String and byte[]");
        }
        write(Conversions.copy(value));
    }

    /** Always MessageFormatException: the specification excludes StreamMessage from getBody. */
    @Override
    public <T> T getBody(Class<T> c) throws JMSException {
        throw new MessageFormatException("getBody cannot be called on a StreamMessage");
    }

    /** Always false for a StreamMessage, as specified. */
    @Override
    public boolean isBodyAssignableTo(@SuppressWarnings("rawtypes") Class c) {
        return false;
    }

    @Override
    String bodySummary() {
        return data.stream().size() + " fields";
    }
}
