package io.keel.protocol.message;

/**
 * Type tags of the typed values in the properties section and in MAP and STREAM bodies. The code is
 * the tag byte on the wire; {@link #fixedSize()} is the size of the value after the tag, or -1 for the
 * length-prefixed STRING and BYTES.
 */
public enum ValueType {
    NULL(0, 0, true),
    BOOLEAN(1, 1, true),
    BYTE(2, 1, true),
    SHORT(3, 2, true),
    CHAR(4, 2, false),
    INT(5, 4, true),
    LONG(6, 8, true),
    FLOAT(7, 4, true),
    DOUBLE(8, 8, true),
    STRING(9, -1, true),
    BYTES(10, -1, false);

    private static final ValueType[] BY_CODE = values();

    private final byte code;
    private final int fixedSize;
    private final boolean propertyType;

    ValueType(int code, int fixedSize, boolean propertyType) {
        this.code = (byte) code;
        this.fixedSize = fixedSize;
        this.propertyType = propertyType;
    }

    public byte code() {
        return code;
    }

    /** Bytes after the tag, or -1 if a 4-byte length and that many bytes follow. */
    public int fixedSize() {
        return fixedSize;
    }

    /**
     * Whether a message property may have this type: the JMS property types and null. JMS properties
     * have no char or byte[]; a null value is allowed because the specification (JMS 2.0 section 3.12,
     * "Provider implementations of JMS message interfaces") says every set method accepts null and the
     * value then reads as null; such a property exists (propertyExists, getPropertyNames) and a selector
     * sees it as NULL.
     */
    public boolean isPropertyType() {
        return propertyType;
    }

    /** The type for a tag byte, or {@code null} if the tag is unknown. */
    public static ValueType ofCode(int code) {
        return code >= 0 && code < BY_CODE.length ? BY_CODE[code] : null;
    }

    /**
     * The type of a Java value allowed in a MAP or STREAM body, or {@code null} if its class is not
     * one of null, Boolean, Byte, Short, Character, Integer, Long, Float, Double, String, byte[].
     */
    public static ValueType of(Object value) {
        if (value == null) {
            return NULL;
        }
        Class<?> c = value.getClass();
        if (c == String.class) {
            return STRING;
        } else if (c == Integer.class) {
            return INT;
        } else if (c == Long.class) {
            return LONG;
        } else if (c == Boolean.class) {
            return BOOLEAN;
        } else if (c == Double.class) {
            return DOUBLE;
        } else if (c == Float.class) {
            return FLOAT;
        } else if (c == Short.class) {
            return SHORT;
        } else if (c == Byte.class) {
            return BYTE;
        } else if (c == Character.class) {
            return CHAR;
        } else if (c == byte[].class) {
            return BYTES;
        }
        return null;
    }
}
