package io.keel.protocol.message;

import io.netty.buffer.ByteBuf;

/**
 * Typed values (u8 tag, then the value; see {@link MessageLayout}) as used by properties and by MAP and
 * STREAM bodies.
 */
final class ValueCodec {

    private ValueCodec() {
    }

    /**
     * Writes {@code value} with its tag. IllegalArgumentException if its type is not allowed where it
     * is written ({@code propertyOnly}: the JMS property types and null).
     */
    static void write(ByteBuf out, Object value, boolean propertyOnly, String what, String name) {
        ValueType t = ValueType.of(value);
        if (t == null || (propertyOnly && !t.isPropertyType())) {
            throw new IllegalArgumentException(what + (name == null ? "" : " " + name)
                    + ": unsupported value type " + value.getClass().getName());
        }
        out.writeByte(t.code());
        switch (t) {
            case NULL -> {
            }
            case BOOLEAN -> out.writeByte((Boolean) value ? 1 : 0);
            case BYTE -> out.writeByte((Byte) value);
            case SHORT -> out.writeShort((Short) value);
            case CHAR -> out.writeChar((Character) value);
            case INT -> out.writeInt((Integer) value);
            case LONG -> out.writeLong((Long) value);
            case FLOAT -> out.writeInt(Float.floatToRawIntBits((Float) value));
            case DOUBLE -> out.writeLong(Double.doubleToRawLongBits((Double) value));
            case STRING -> Utf8.writeString(out, (String) value);
            case BYTES -> {
                byte[] b = (byte[]) value;
                out.writeInt(b.length);
                out.writeBytes(b);
            }
        }
    }

    /** Reads the tag at the cursor; MessageFormatError if unknown or not allowed here. */
    static ValueType tag(Cursor c, boolean propertyOnly, String what) {
        int at = c.pos;
        int code = c.u8(what);
        ValueType t = ValueType.ofCode(code);
        if (t == null || (propertyOnly && !t.isPropertyType())) {
            throw c.error(what + ": invalid value type tag " + code, at);
        }
        return t;
    }

    /** Reads one tagged value; boxes it. */
    static Object read(Cursor c, boolean propertyOnly, String what) {
        ValueType t = tag(c, propertyOnly, what);
        return switch (t) {
            case NULL -> null;
            case BOOLEAN -> bool(c, what);
            case BYTE -> c.i8(what);
            case SHORT -> c.i16(what);
            case CHAR -> c.u16(what);
            case INT -> c.i32(what);
            case LONG -> c.i64(what);
            case FLOAT -> Float.intBitsToFloat(c.i32(what));
            case DOUBLE -> Double.longBitsToDouble(c.i64(what));
            case STRING -> c.string(what, false);
            case BYTES -> c.bytes(c.length(what, false));
        };
    }

    /**
     * Skips one tagged value, checking its structure (tag, sizes, boolean byte) and, if
     * {@code checkUtf8}, the UTF-8 of a string. Returns its type.
     */
    static ValueType skip(Cursor c, boolean propertyOnly, boolean checkUtf8, String what) {
        ValueType t = tag(c, propertyOnly, what);
        switch (t) {
            case NULL -> {
            }
            case BOOLEAN -> bool(c, what);
            case STRING -> c.skipString(what, false, checkUtf8);
            case BYTES -> c.skip(c.length(what, false), what);
            default -> c.skip(t.fixedSize(), what);
        }
        return t;
    }

    private static boolean bool(Cursor c, String what) {
        int at = c.pos;
        int b = c.u8(what);
        if (b > 1) {
            throw c.error(what + ": boolean byte is " + b + ", not 0 or 1", at);
        }
        return b == 1;
    }
}
