package io.keel.protocol.selector;

/**
 * The run-time kinds of a value during evaluation, as int constants so that evaluation needs no
 * objects. The numeric kinds are ordered so that Java's binary numeric promotion ("if either operand
 * is double, the other is converted to double; otherwise float; otherwise long; otherwise int") is
 * {@code Math.max} of the two kinds. byte and short values are int (unary numeric promotion).
 */
final class ValueKind {

    static final int NULL = 0;
    static final int BOOLEAN = 1;
    static final int STRING = 2;
    static final int INT = 3;
    static final int LONG = 4;
    static final int FLOAT = 5;
    static final int DOUBLE = 6;
    /** The result of arithmetic on a non-numeric value: compares as false, like any non-like type. */
    static final int NOT_A_NUMBER = 7;

    private ValueKind() {
    }

    static boolean isNumeric(int kind) {
        return kind >= INT && kind <= DOUBLE;
    }

    static String name(int kind) {
        return switch (kind) {
            case NULL -> "NULL";
            case BOOLEAN -> "boolean";
            case STRING -> "string";
            case INT -> "int";
            case LONG -> "long";
            case FLOAT -> "float";
            case DOUBLE -> "double";
            default -> "non-numeric";
        };
    }
}
