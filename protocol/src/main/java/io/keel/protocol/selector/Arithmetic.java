package io.keel.protocol.selector;

import static io.keel.protocol.selector.ValueKind.*;

import io.keel.protocol.selector.Evaluator.Frame;

/**
 * Arithmetic with Java's binary numeric promotion ("Arithmetic operations must use Java numeric
 * promotion", Jakarta Messaging 3.1 section 3.8.1.1): the result kind is the wider of the two operand
 * kinds (int &lt; long &lt; float &lt; double) and the operation is done in that type, with Java's
 * overflow, rounding and IEEE 754 rules. A NULL operand gives NULL; a non-numeric operand gives
 * {@link ValueKind#NOT_A_NUMBER}; integer division by zero gives NULL (Java would throw). Float values
 * travel as the bits of the double they widen to exactly.
 */
final class Arithmetic {

    private Arithmetic() {
    }

    static int evaluate(Node.Arithmetic a, Frame f) {
        Node[] operands = a.operands();
        char[] ops = a.ops();
        int k = Evaluator.value(operands[0], f);
        long acc = f.bits;
        boolean isNull = k == NULL;
        boolean notNumber = !isNull && !isNumeric(k);
        for (int i = 0; i < ops.length; i++) {
            int rk = Evaluator.value(operands[i + 1], f);
            long rb = f.bits;
            if (isNull || notNumber) {
                isNull |= rk == NULL;
                continue; // still evaluated: a NULL anywhere wins over a type error
            }
            if (rk == NULL) {
                isNull = true;
                continue;
            }
            if (!isNumeric(rk)) {
                notNumber = true;
                continue;
            }
            int kind = Math.max(k, rk);
            switch (kind) {
                case INT: {
                    int x = (int) acc;
                    int y = (int) rb;
                    if ((ops[i] == '/') && y == 0) {
                        isNull = true;
                        continue;
                    }
                    acc = switch (ops[i]) {
                        case '+' -> x + y;
                        case '-' -> x - y;
                        case '*' -> x * y;
                        default -> x / y;
                    };
                    break;
                }
                case LONG: {
                    if ((ops[i] == '/') && rb == 0) {
                        isNull = true;
                        continue;
                    }
                    acc = switch (ops[i]) {
                        case '+' -> acc + rb;
                        case '-' -> acc - rb;
                        case '*' -> acc * rb;
                        default -> acc / rb;
                    };
                    break;
                }
                case FLOAT: {
                    float x = Evaluator.asFloat(k, acc);
                    float y = Evaluator.asFloat(rk, rb);
                    float r = switch (ops[i]) {
                        case '+' -> x + y;
                        case '-' -> x - y;
                        case '*' -> x * y;
                        default -> x / y;
                    };
                    acc = Double.doubleToRawLongBits(r);
                    break;
                }
                default: {
                    double x = Evaluator.asDouble(k, acc);
                    double y = Evaluator.asDouble(rk, rb);
                    double r = switch (ops[i]) {
                        case '+' -> x + y;
                        case '-' -> x - y;
                        case '*' -> x * y;
                        default -> x / y;
                    };
                    acc = Double.doubleToRawLongBits(r);
                    break;
                }
            }
            k = kind;
        }
        if (isNull) {
            return NULL;
        }
        if (notNumber) {
            return NOT_A_NUMBER;
        }
        f.bits = acc;
        return k;
    }

    static int unary(Node.Unary u, Frame f) {
        int k = Evaluator.value(u.operand(), f);
        if (k == NULL || !isNumeric(k)) {
            return k == NULL ? NULL : NOT_A_NUMBER;
        }
        if (u.minus()) {
            f.bits = switch (k) {
                case INT -> -(int) f.bits;
                case LONG -> -f.bits;
                default -> Double.doubleToRawLongBits(-Double.longBitsToDouble(f.bits));
            };
        }
        return k;
    }
}
