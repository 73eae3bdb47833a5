package io.keel.protocol.selector;

import java.util.StringJoiner;

import io.keel.protocol.message.PropertyName;

/**
 * The syntax tree of a parsed selector: immutable, shared by every thread that evaluates the selector.
 * Each node has a {@link #tag()} for the evaluator's switch and a static {@link #type()} the parser uses
 * for the checks it can make without a message. {@code toString()} prints the tree fully parenthesized
 * (e.g. {@code (a OR (b AND c))}), which is how the tests check precedence.
 *
 * <p>AND, OR and chains of + - or * / are n-ary nodes, so a long chain does not make a deep tree (the
 * evaluator recurses over depth, and the parser bounds nesting).
 */
sealed interface Node {

    int BOOLEAN_LITERAL = 0;
    int NUMBER_LITERAL = 1;
    int STRING_LITERAL = 2;
    int IDENTIFIER = 3;
    int UNARY = 4;
    int ARITHMETIC = 5;
    int COMPARISON = 6;
    int BETWEEN = 7;
    int IN = 8;
    int LIKE = 9;
    int IS_NULL = 10;
    int NOT = 11;
    int AND = 12;
    int OR = 13;

    /** Static types: what the parser knows of a value before it sees a message. */
    enum Type {
        BOOLEAN, NUMERIC, STRING,
        /** A property: its type is the type of the value each message has. */
        ANY
    }

    int tag();

    Type type();

    record BooleanLiteral(boolean value) implements Node {
        public int tag() {
            return BOOLEAN_LITERAL;
        }

        public Type type() {
            return Type.BOOLEAN;
        }

        @Override
        public String toString() {
            return value ? "TRUE" : "FALSE";
        }
    }

    /** An exact (kind LONG, bits = the value) or approximate (FLOAT or DOUBLE, bits = the double's bits) literal. */
    record NumberLiteral(int kind, long bits) implements Node {
        static NumberLiteral ofLong(long v) {
            return new NumberLiteral(ValueKind.LONG, v);
        }

        static NumberLiteral ofDouble(double v, boolean isFloat) {
            return new NumberLiteral(isFloat ? ValueKind.FLOAT : ValueKind.DOUBLE, Double.doubleToRawLongBits(v));
        }

        public int tag() {
            return NUMBER_LITERAL;
        }

        public Type type() {
            return Type.NUMERIC;
        }

        @Override
        public String toString() {
            return switch (kind) {
                case ValueKind.LONG -> Long.toString(bits);
                case ValueKind.FLOAT -> Float.toString((float) Double.longBitsToDouble(bits)) + "F";
                default -> Double.toString(Double.longBitsToDouble(bits));
            };
        }
    }

    /** A string literal with its UTF-8 (the message encoding's form) computed once. */
    record StringLiteral(String value, byte[] utf8) implements Node {
        public int tag() {
            return STRING_LITERAL;
        }

        public Type type() {
            return Type.STRING;
        }

        @Override
        public String toString() {
            return "'" + value.replace("'", "''") + "'";
        }
    }

    /** A header or property reference; {@code property} is the lookup key, made once at parse time. */
    record Identifier(String name, IdentifierKind kind, PropertyName property) implements Node {
        public int tag() {
            return IDENTIFIER;
        }

        public Type type() {
            return kind.type();
        }

        @Override
        public String toString() {
            return name;
        }
    }

    record Unary(boolean minus, Node operand) implements Node {
        public int tag() {
            return UNARY;
        }

        public Type type() {
            return Type.NUMERIC;
        }

        @Override
        public String toString() {
            return "(" + (minus ? "-" : "+") + operand + ")";
        }
    }

    /** {@code operands[0] ops[0] operands[1] ops[1] ...}, left to right; ops are '+', '-', '*' or '/'. */
    record Arithmetic(Node[] operands, char[] ops) implements Node {
        public int tag() {
            return ARITHMETIC;
        }

        public Type type() {
            return Type.NUMERIC;
        }

        @Override
        public String toString() {
            String s = operands[0].toString();
            for (int i = 0; i < ops.length; i++) {
                s = "(" + s + " " + ops[i] + " " + operands[i + 1] + ")";
            }
            return s;
        }
    }

    record Comparison(int op, Node left, Node right) implements Node {
        static final int EQ = 0;
        static final int NE = 1;
        static final int LT = 2;
        static final int LE = 3;
        static final int GT = 4;
        static final int GE = 5;
        static final String[] SYMBOLS = {"=", "<>", "<", "<=", ">", ">="};

        public int tag() {
            return COMPARISON;
        }

        public Type type() {
            return Type.BOOLEAN;
        }

        @Override
        public String toString() {
            return "(" + left + " " + SYMBOLS[op] + " " + right + ")";
        }
    }

    record Between(Node value, Node low, Node high, boolean not) implements Node {
        public int tag() {
            return BETWEEN;
        }

        public Type type() {
            return Type.BOOLEAN;
        }

        @Override
        public String toString() {
            return "(" + value + (not ? " NOT" : "") + " BETWEEN " + low + " AND " + high + ")";
        }
    }

    record In(Identifier identifier, StringLiteral[] values, boolean not) implements Node {
        public int tag() {
            return IN;
        }

        public Type type() {
            return Type.BOOLEAN;
        }

        @Override
        public String toString() {
            StringJoiner j = new StringJoiner(", ", "(", ")");
            for (StringLiteral v : values) {
                j.add(v.toString());
            }
            return "(" + identifier + (not ? " NOT" : "") + " IN " + j + ")";
        }
    }

    record Like(Identifier identifier, LikePattern pattern, boolean not) implements Node {
        public int tag() {
            return LIKE;
        }

        public Type type() {
            return Type.BOOLEAN;
        }

        @Override
        public String toString() {
            return "(" + identifier + (not ? " NOT" : "") + " LIKE " + pattern + ")";
        }
    }

    record IsNull(Identifier identifier, boolean not) implements Node {
        public int tag() {
            return IS_NULL;
        }

        public Type type() {
            return Type.BOOLEAN;
        }

        @Override
        public String toString() {
            return "(" + identifier + (not ? " IS NOT NULL)" : " IS NULL)");
        }
    }

    record Not(Node operand) implements Node {
        public int tag() {
            return NOT;
        }

        public Type type() {
            return Type.BOOLEAN;
        }

        @Override
        public String toString() {
            return "(NOT " + operand + ")";
        }
    }

    record And(Node[] operands) implements Node {
        public int tag() {
            return AND;
        }

        public Type type() {
            return Type.BOOLEAN;
        }

        @Override
        public String toString() {
            return join(operands, " AND ");
        }
    }

    record Or(Node[] operands) implements Node {
        public int tag() {
            return OR;
        }

        public Type type() {
            return Type.BOOLEAN;
        }

        @Override
        public String toString() {
            return join(operands, " OR ");
        }
    }

    private static String join(Node[] operands, String op) {
        StringJoiner j = new StringJoiner(op, "(", ")");
        for (Node n : operands) {
            j.add(n.toString());
        }
        return j.toString();
    }
}
