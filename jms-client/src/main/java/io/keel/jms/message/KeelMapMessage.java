package io.keel.jms.message;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.Map;

import io.keel.protocol.message.BodyType;
import io.keel.protocol.message.MessageData;
import io.keel.protocol.message.ValueType;
import jakarta.jms.JMSException;
import jakarta.jms.MapMessage;
import jakarta.jms.MessageFormatException;

/**
 * Keel's {@link MapMessage}: named values of the primitive types, String and byte[], in the
 * insertion-ordered map of {@link MessageData#map()}. Getters convert by table 3-7 of the specification
 * (see {@link Conversions}); a missing name reads as a null value. Byte arrays are copied in and out.
 * Entry names must be non-null and non-empty (IllegalArgumentException), but need not be identifiers.
 */
public final class KeelMapMessage extends KeelMessage implements MapMessage {

    /** A new message with no entries. */
    public KeelMapMessage() {
        super(new MessageData(BodyType.MAP));
    }

    KeelMapMessage(MessageData data) {
        super(data);
    }

    private Object get(String name) {
        return data.map().get(name);
    }

    private void put(String name, Object value) throws JMSException {
        checkName(name);
        checkBodyWritable();
        data.map().put(name, value);
    }

    private static void checkName(String name) {
        if (name == null || name.isEmpty()) {
            throw new IllegalArgumentException("a MapMessage entry name must not be " + (name == null ? "null" : "empty"));
        }
    }

    @Override
    public boolean getBoolean(String name) throws JMSException {
        return Conversions.toBoolean(get(name));
    }

    @Override
    public byte getByte(String name) throws JMSException {
        return Conversions.toByte(get(name));
    }

    @Override
    public short getShort(String name) throws JMSException {
        return Conversions.toShort(get(name));
    }

    @Override
    public char getChar(String name) throws JMSException {
        return Conversions.toChar(get(name));
    }

    @Override
    public int getInt(String name) throws JMSException {
        return Conversions.toInt(get(name));
    }

    @Override
    public long getLong(String name) throws JMSException {
        return Conversions.toLong(get(name));
    }

    @Override
    public float getFloat(String name) throws JMSException {
        return Conversions.toFloat(get(name));
    }

    @Override
    public double getDouble(String name) throws JMSException {
        return Conversions.toDouble(get(name));
    }

    @Override
    public String getString(String name) throws JMSException {
        return Conversions.toText(get(name));
    }

    /** A copy of the byte[] value; null if missing or null; MessageFormatException for any other type. */
    @Override
    public byte[] getBytes(String name) throws JMSException {
        return Conversions.toBytes(get(name));
    }

    /** The value as set (Integer for an int, ...; a byte[] copy), or null. */
    @Override
    public Object getObject(String name) {
        return Conversions.copy(get(name));
    }

    /** The names in the order first set. */
    @Override
    public Enumeration<String> getMapNames() {
        return Collections.enumeration(new ArrayList<>(data.map().keySet()));
    }

    @Override
    public void setBoolean(String name, boolean value) throws JMSException {
        put(name, value);
    }

    @Override
    public void setByte(String name, byte value) throws JMSException {
        put(name, value);
    }

    @Override
    public void setShort(String name, short value) throws JMSException {
        put(name, value);
    }

    @Override
    public void setChar(String name, char value) throws JMSException {
        put(name, value);
    }

    @Override
    public void setInt(String name, int value) throws JMSException {
        put(name, value);
    }

    @Override
    public void setLong(String name, long value) throws JMSException {
        put(name, value);
    }

    @Override
    public void setFloat(String name, float value) throws JMSException {
        put(name, value);
    }

    @Override
    public void setDouble(String name, double value) throws JMSException {
        put(name, value);
    }

    @Override
    public void setString(String name, String value) throws JMSException {
        put(name, value);
    }

    /** Copies {@code value} (null allowed). */
    @Override
    public void setBytes(String name, byte[] value) throws JMSException {
        put(name, value == null ? null : value.clone());
    }

    /** Copies {@code length} bytes from {@code offset}. */
    @Override
    public void setBytes(String name, byte[] value, int offset, int length) throws JMSException {
        if (offset < 0 || length < 0 || offset > value.length - length) {
            throw new IndexOutOfBoundsException("offset " + offset + " and length " + length + " do not fit an array of "
                    + value.length);
        }
        put(name, Arrays.copyOfRange(value, offset, offset + length));
    }

    /**
     * Accepts Boolean, Byte, Short, Character, Integer, Long, Float, Double, String, byte[] (copied) and
     * null; any other class: MessageFormatException.
     */
    @Override
    public void setObject(String name, Object value) throws JMSException {
        checkName(name);
        if (ValueType.of(value) == null) {
            throw new MessageFormatException("MapMessage entry " + name + ": a " + value.getClass().getName()
                    + " is not a primitive wrapper, String or byte[]");
        }
        put(name, Conversions.copy(value));
    }

    @Override
    public boolean itemExists(String name) {
        return data.map().containsKey(name);
    }

    /**
     * An unmodifiable copy of the entries (byte arrays copied) if {@code c} can hold a Map (Map or Object);
     * null if there are no entries (an empty map is a MapMessage with no body).
     */
    @Override
    public <T> T getBody(Class<T> c) throws JMSException {
        if (data.map().isEmpty()) {
            return null;
        }
        if (!c.isAssignableFrom(Map.class)) {
            throw new MessageFormatException("the body of a MapMessage is a java.util.Map, which cannot be assigned to "
                    + c.getName());
        }
        Map<String, Object> copy = new LinkedHashMap<>();
        data.map().forEach((k, v) -> copy.put(k, Conversions.copy(v)));
        return c.cast(Collections.unmodifiableMap(copy));
    }

    @Override
    public boolean isBodyAssignableTo(@SuppressWarnings("rawtypes") Class c) {
        return data.map().isEmpty() || ((Class<?>) c).isAssignableFrom(Map.class);
    }

    @Override
    String bodySummary() {
        return data.map().size() + " entries";
    }
}
