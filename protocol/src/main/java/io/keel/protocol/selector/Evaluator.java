package io.keel.protocol.selector;

import static io.keel.protocol.selector.ValueKind.*;

import io.keel.protocol.message.ValueType;

/**
 * Evaluates a syntax tree against one message, allocating nothing of its own: values are (kind, 64
 * bits) pairs held in locals, with the callee's result passed back in the {@link Frame} (one per
 * thread, reused). Truth values are ints: {@link #T}, {@link #F}, {@link #U}.
 *
 * <p>Semantics (Jakarta Messaging 3.1 sections 3.8.1.1 and 3.8.1.2):
 * <ul>
 * <li>"Comparison or arithmetic with an unknown value always yields an unknown value": a NULL operand
 * makes arithmetic NULL and a comparison UNKNOWN; this is checked before types.
 * <li>"If the comparison of non-like type values is attempted, the value of the operation is false":
 * a string or boolean against a number, {@code < <= > >=} on strings or booleans, and arithmetic on a
 * non-number (the specification's example: a string property {@code NumberOfOrders > 1} "would
 * evaluate to false") give FALSE, so {@code NOT} of them is TRUE.
 * <li>Numbers follow "Java numeric promotion" for arithmetic and comparison: int, long, float and
 * double arithmetic as Java does it (int overflow wraps at 32 bits between two int-typed values; an
 * exact literal is a long, so {@code intProp * 1000} is long arithmetic). Integer division by zero,
 * which throws in Java, gives NULL (so the comparison is UNKNOWN); float division follows IEEE 754.
 * NaN compares as in Java.
 * <li>BETWEEN and NOT BETWEEN are evaluated as the equivalences the specification gives
 * ({@code a >= b AND a <= c}, {@code a < b OR a > c}). [NOT] IN and [NOT] LIKE are each one
 * "comparison operator where identifier has a String value": on a value of another type the operation,
 * its NOT included, is FALSE. (Read as {@code NOT (a IN (...))} it would be TRUE; the Jakarta Messaging
 * TCK, selectorQueue inTest7, requires that an int property is not selected by {@code NOT IN}.)
 * <li>A value that is not a boolean used as a condition (a bare identifier holding a number) is
 * UNKNOWN: it has no truth value, and UNKNOWN keeps {@code NOT x} from selecting it.
 * </ul>
 */
final class Evaluator {

    /** Truth values, chosen so that NOT is negation. */
    static final int T = 1;
    static final int F = -1;
    static final int U = 0;

    private static final String PERSISTENT = "PERSISTENT";
    private static final String NON_PERSISTENT = "NON_PERSISTENT";

    /** Per-thread scratch: the message, the delivery count provider, and the last value's payload. */
    static final class Frame {
        SelectorSource source;
        DeliveryCountProvider deliveryCount;
        boolean busy;
        /** Payload of the value just evaluated: number bits, boolean 0/1, or a property handle. */
        long bits;
        /** For a STRING value: null (then bits is a property handle), a String, or a StringLiteral. */
        Object ref;
    }

    private Evaluator() {
    }

    // ---- conditions --------------------------------------------------------------------------------

    static int condition(Node n, Frame f) {
        switch (n.tag()) {
            case Node.AND: {
                Node[] ops = ((Node.And) n).operands();
                int r = T;
                for (Node op : ops) {
                    int t = condition(op, f);
                    if (t == F) {
                        return F;
                    }
                    if (t == U) {
                        r = U;
                    }
                }
                return r;
            }
            case Node.OR: {
                Node[] ops = ((Node.Or) n).operands();
                int r = F;
                for (Node op : ops) {
                    int t = condition(op, f);
                    if (t == T) {
                        return T;
                    }
                    if (t == U) {
                        r = U;
                    }
                }
                return r;
            }
            case Node.NOT:
                return -condition(((Node.Not) n).operand(), f);
            case Node.COMPARISON: {
                Node.Comparison c = (Node.Comparison) n;
                int lk = value(c.left(), f);
                long lb = f.bits;
                Object lr = f.ref;
                int rk = value(c.right(), f);
                return compare(c.op(), lk, lb, lr, rk, f.bits, f.ref, f);
            }
            case Node.BETWEEN:
                return between((Node.Between) n, f);
            case Node.IN:
                return in((Node.In) n, f);
            case Node.LIKE:
                return like((Node.Like) n, f);
            case Node.IS_NULL: {
                Node.IsNull x = (Node.IsNull) n;
                boolean isNull = value(x.identifier(), f) == NULL;
                return isNull != x.not() ? T : F;
            }
            default: {
                int k = value(n, f);
                return k == BOOLEAN ? (f.bits != 0 ? T : F) : U;
            }
        }
    }

    private static int between(Node.Between b, Frame f) {
        int vk = value(b.value(), f);
        long vb = f.bits;
        Object vr = f.ref;
        int lk = value(b.low(), f);
        long lb = f.bits;
        Object lr = f.ref;
        int hk = value(b.high(), f);
        long hb = f.bits;
        Object hr = f.ref;
        if (b.not()) {
            int a = compare(Node.Comparison.LT, vk, vb, vr, lk, lb, lr, f);
            return a == T ? T : or(a, compare(Node.Comparison.GT, vk, vb, vr, hk, hb, hr, f));
        }
        int a = compare(Node.Comparison.GE, vk, vb, vr, lk, lb, lr, f);
        return a == F ? F : and(a, compare(Node.Comparison.LE, vk, vb, vr, hk, hb, hr, f));
    }

    private static int in(Node.In in, Frame f) {
        int k = value(in.identifier(), f);
        if (k == NULL) {
            return U;
        }
        if (k != STRING) {
            return F; // non-like types: the operation, NOT IN included, is false
        }
        boolean found = false;
        long handle = f.bits;
        Object ref = f.ref;
        for (Node.StringLiteral lit : in.values()) {
            if (stringEquals(handle, ref, 0, lit, f)) {
                found = true;
                break;
            }
        }
        return found != in.not() ? T : F;
    }

    private static int like(Node.Like like, Frame f) {
        int k = value(like.identifier(), f);
        if (k == NULL) {
            return U;
        }
        if (k != STRING) {
            return F; // non-like types: the operation, NOT LIKE included, is false
        }
        boolean match = f.ref == null ? f.source.stringMatches((int) f.bits, like.pattern())
                : like.pattern().matches(f.ref.toString());
        return match != like.not() ? T : F;
    }

    private static int and(int a, int b) {
        return a == F || b == F ? F : a == U || b == U ? U : T;
    }

    private static int or(int a, int b) {
        return a == T || b == T ? T : a == U || b == U ? U : F;
    }

    // ---- comparison --------------------------------------------------------------------------------

    static int compare(int op, int lk, long lb, Object lr, int rk, long rb, Object rr, Frame f) {
        if (lk == NULL || rk == NULL) {
            return U;
        }
        if (isNumeric(lk) && isNumeric(rk)) {
            return compareNumbers(op, Math.max(lk, rk), lk, lb, rk, rb) ? T : F;
        }
        boolean equalityOp = op == Node.Comparison.EQ || op == Node.Comparison.NE;
        if (lk != rk || !equalityOp || (lk != STRING && lk != BOOLEAN)) {
            return F; // non-like types, or < <= > >= on strings or booleans
        }
        boolean eq = lk == BOOLEAN ? lb == rb : stringEquals(lb, lr, rb, rr, f);
        return eq == (op == Node.Comparison.EQ) ? T : F;
    }

    private static boolean compareNumbers(int op, int kind, int lk, long lb, int rk, long rb) {
        switch (kind) {
            case INT, LONG:
                return test(op, Long.compare(lb, rb), false);
            case FLOAT: {
                float a = asFloat(lk, lb);
                float b = asFloat(rk, rb);
                return test(op, a < b ? -1 : a > b ? 1 : 0, a != a || b != b);
            }
            default: {
                double a = asDouble(lk, lb);
                double b = asDouble(rk, rb);
                return test(op, a < b ? -1 : a > b ? 1 : 0, a != a || b != b);
            }
        }
    }

    /** Java's operators on a three-way result; with NaN, only {@code !=} is true. */
    private static boolean test(int op, int cmp, boolean nan) {
        if (nan) {
            return op == Node.Comparison.NE;
        }
        return switch (op) {
            case Node.Comparison.EQ -> cmp == 0;
            case Node.Comparison.NE -> cmp != 0;
            case Node.Comparison.LT -> cmp < 0;
            case Node.Comparison.LE -> cmp <= 0;
            case Node.Comparison.GT -> cmp > 0;
            default -> cmp >= 0;
        };
    }

    /** Equality of two STRING values; in place when one is a literal and the other a property. */
    private static boolean stringEquals(long lb, Object lr, long rb, Object rr, Frame f) {
        if (lr == null && rr instanceof Node.StringLiteral lit) {
            return f.source.stringEquals((int) lb, lit.value(), lit.utf8());
        }
        if (rr == null && lr instanceof Node.StringLiteral lit) {
            return f.source.stringEquals((int) rb, lit.value(), lit.utf8());
        }
        return string(lb, lr, f).equals(string(rb, rr, f));
    }

    private static String string(long bits, Object ref, Frame f) {
        if (ref == null) {
            return f.source.stringAt((int) bits);
        }
        return ref instanceof Node.StringLiteral lit ? lit.value() : (String) ref;
    }

    // ---- values ------------------------------------------------------------------------------------

    /** Evaluates a value: returns its kind, leaves its payload in {@code f.bits} / {@code f.ref}. */
    static int value(Node n, Frame f) {
        switch (n.tag()) {
            case Node.IDENTIFIER:
                return identifier((Node.Identifier) n, f);
            case Node.NUMBER_LITERAL: {
                Node.NumberLiteral lit = (Node.NumberLiteral) n;
                f.bits = lit.bits();
                return lit.kind();
            }
            case Node.STRING_LITERAL:
                f.ref = n;
                return STRING;
            case Node.BOOLEAN_LITERAL:
                f.bits = ((Node.BooleanLiteral) n).value() ? 1 : 0;
                return BOOLEAN;
            case Node.ARITHMETIC:
                return Arithmetic.evaluate((Node.Arithmetic) n, f);
            case Node.UNARY:
                return Arithmetic.unary((Node.Unary) n, f);
            default: {
                // a parenthesized condition used as a value, e.g. (a > 1) = TRUE
                int t = condition(n, f);
                if (t == U) {
                    return NULL;
                }
                f.bits = t == T ? 1 : 0;
                return BOOLEAN;
            }
        }
    }

    private static int identifier(Node.Identifier id, Frame f) {
        SelectorSource s = f.source;
        switch (id.kind()) {
            case PRIORITY:
                f.bits = s.priority();
                return INT;
            case TIMESTAMP:
                f.bits = s.timestamp();
                return LONG;
            case DELIVERY_MODE:
                f.ref = s.isPersistent() ? PERSISTENT : NON_PERSISTENT;
                return STRING;
            case MESSAGE_ID:
                return stringHeader(s.messageId(), f);
            case CORRELATION_ID:
                return stringHeader(s.correlationId(), f);
            case TYPE:
                return stringHeader(s.type(), f);
            case ALWAYS_NULL:
                return NULL;
            case DELIVERY_COUNT:
                if (f.deliveryCount != null) {
                    f.bits = f.deliveryCount.deliveryCount();
                    return INT;
                }
                return property(id, f);
            default:
                return property(id, f);
        }
    }

    private static int stringHeader(String value, Frame f) {
        if (value == null) {
            return NULL;
        }
        f.ref = value;
        return STRING;
    }

    private static int property(Node.Identifier id, Frame f) {
        SelectorSource s = f.source;
        int h = s.findProperty(id.property());
        if (h < 0) {
            return NULL;
        }
        ValueType type = s.propertyType(h);
        switch (type) {
            case NULL:
                return NULL;
            case BOOLEAN:
                f.bits = s.booleanAt(h) ? 1 : 0;
                return BOOLEAN;
            case BYTE:
                f.bits = s.byteAt(h);
                return INT;
            case SHORT:
                f.bits = s.shortAt(h);
                return INT;
            case INT:
                f.bits = s.intAt(h);
                return INT;
            case LONG:
                f.bits = s.longAt(h);
                return LONG;
            case FLOAT:
                f.bits = Double.doubleToRawLongBits(s.floatAt(h));
                return FLOAT;
            case DOUBLE:
                f.bits = Double.doubleToRawLongBits(s.doubleAt(h));
                return DOUBLE;
            case STRING:
                f.bits = h;
                f.ref = null;
                return STRING;
            default:
                return NOT_A_NUMBER; // not a property type: comparable with nothing
        }
    }

    // ---- numeric conversions (Java widening) -------------------------------------------------------

    static double asDouble(int kind, long bits) {
        return kind == INT || kind == LONG ? (double) bits : Double.longBitsToDouble(bits);
    }

    static float asFloat(int kind, long bits) {
        return kind == INT || kind == LONG ? (float) bits : (float) Double.longBitsToDouble(bits);
    }
}
