package io.keel.jms.message;

import jakarta.jms.MessageFormatException;

/**
 * The type conversions of the typed getters: Jakarta Messaging 3.1 section 3.5.4 (properties, table
 * 3-2) and section 3.11.3 (MapMessage and StreamMessage, table 3-7). The two tables agree on every type
 * properties can hold; the second adds char (readable only as char and String) and byte[] (readable only
 * as byte[]). So one set of functions serves properties, map entries and stream fields: a property simply
 * never holds a Character or a byte[].
 *
 * <p>Rules implemented: a value converts only to the types its row marks, otherwise
 * MessageFormatException; a String converts through the target's {@code valueOf(String)}, whose
 * NumberFormatException propagates; a null value is read as {@code valueOf((String) null)} would read it
 * (boolean: false; byte, short, int, long: NumberFormatException; float, double: the
 * NullPointerException of {@code Float.valueOf(null)}/{@code Double.valueOf(null)}; String and byte[]:
 * null; char: NullPointerException, as section 3.11.3 requires). Callers rely on these functions not
 * changing anything, so a failed read leaves a stream's position where it was.
 */
final class Conversions {

    private Conversions() {
    }

    static boolean toBoolean(Object v) throws MessageFormatException {
        if (v instanceof Boolean b) {
            return b;
        }
        if (v == null || v instanceof String) {
            return Boolean.valueOf((String) v);
        }
        throw cannot(v, "boolean");
    }

    static byte toByte(Object v) throws MessageFormatException {
        if (v instanceof Byte b) {
            return b;
        }
        if (v == null || v instanceof String) {
            return Byte.valueOf((String) v);
        }
        throw cannot(v, "byte");
    }

    static short toShort(Object v) throws MessageFormatException {
        if (v instanceof Short s) {
            return s;
        }
        if (v instanceof Byte b) {
            return b;
        }
        if (v == null || v instanceof String) {
            return Short.valueOf((String) v);
        }
        throw cannot(v, "short");
    }

    static int toInt(Object v) throws MessageFormatException {
        if (v instanceof Integer i) {
            return i;
        }
        if (v instanceof Short || v instanceof Byte) {
            return ((Number) v).intValue();
        }
        if (v == null || v instanceof String) {
            return Integer.valueOf((String) v);
        }
        throw cannot(v, "int");
    }

    static long toLong(Object v) throws MessageFormatException {
        if (v instanceof Long l) {
            return l;
        }
        if (v instanceof Integer || v instanceof Short || v instanceof Byte) {
            return ((Number) v).longValue();
        }
        if (v == null || v instanceof String) {
            return Long.valueOf((String) v);
        }
        throw cannot(v, "long");
    }

    static float toFloat(Object v) throws MessageFormatException {
        if (v instanceof Float f) {
            return f;
        }
        if (v == null || v instanceof String) {
            return Float.valueOf((String) v);
        }
        throw cannot(v, "float");
    }

    static double toDouble(Object v) throws MessageFormatException {
        if (v instanceof Double d) {
            return d;
        }
        if (v instanceof Float f) {
            return f.doubleValue();
        }
        if (v == null || v instanceof String) {
            return Double.valueOf((String) v);
        }
        throw cannot(v, "double");
    }

    /** Map and stream only: a char is readable only from a char; null gives NullPointerException. */
    static char toChar(Object v) throws MessageFormatException {
        if (v instanceof Character c) {
            return c;
        }
        if (v == null) {
            throw new NullPointerException("a null value cannot be read as a char");
        }
        throw cannot(v, "char");
    }

    /** Every type but byte[] reads as its String form; null as null. */
    static String toText(Object v) throws MessageFormatException {
        if (v instanceof byte[]) {
            throw cannot(v, "String");
        }
        return v == null ? null : v.toString();
    }

    /** Map and stream only: a byte[] is readable only from a byte[]; returns a copy. */
    static byte[] toBytes(Object v) throws MessageFormatException {
        if (v == null) {
            return null;
        }
        if (v instanceof byte[] b) {
            return b.clone();
        }
        throw cannot(v, "byte[]");
    }

    /** The value as getObject/readObject returns it: byte[] copied, the rest immutable. */
    static Object copy(Object v) {
        return v instanceof byte[] b ? b.clone() : v;
    }

    static MessageFormatException cannot(Object v, String target) {
        return new MessageFormatException("a " + typeName(v) + " value cannot be read as " + target);
    }

    /** The JMS name of a value's type: boolean, byte, ..., String, byte[]. */
    static String typeName(Object v) {
        if (v == null) {
            return "null";
        }
        if (v instanceof byte[]) {
            return "byte[]";
        }
        return switch (v.getClass().getSimpleName()) {
            case "Boolean" -> "boolean";
            case "Byte" -> "byte";
            case "Short" -> "short";
            case "Character" -> "char";
            case "Integer" -> "int";
            case "Long" -> "long";
            case "Float" -> "float";
            case "Double" -> "double";
            default -> v.getClass().getSimpleName();
        };
    }
}
