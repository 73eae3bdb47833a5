package io.keel.protocol.selector;

import io.keel.protocol.selector.Node.Type;

/**
 * The semantic checks the parser makes without a message ("Jakarta Messaging providers may also
 * optionally provide some semantic checking at the time the selector is presented", section 3.8.1.1),
 * on static types: literals and the six header fields have known types, properties are ANY and pass.
 * <ul>
 * <li>Arithmetic, BETWEEN and {@code < <= > >=} need numbers: "Arithmetic expressions are composed of
 * themselves, arithmetic operations, identifiers with numeric values, and numeric literals"; "String and
 * Boolean comparison is restricted to = and <>".
 * <li>{@code =} and {@code <>} need like types: "Only like type values can be compared" (exact and
 * approximate numbers being alike), so {@code 'a' = 1} and {@code JMSPriority = '5'} are errors.
 * <li>AND, OR, NOT and the selector itself need conditions: "Conditional expressions are composed of
 * themselves, comparison operations, logical operations, identifiers with boolean values, and boolean
 * literals".
 * <li>LIKE, IN and IS NULL apply to an identifier ("identifier [NOT] LIKE ...", "identifier [NOT] IN
 * ...", "identifier IS NULL"); LIKE and IN to a string one, so {@code JMSPriority LIKE '1%'} is an error.
 * </ul>
 */
final class TypeRules {

    private final String text;

    TypeRules(String text) {
        this.text = text;
    }

    void checkComparison(int op, int opIndex, Node left, int ls, int le, Node right, int rs, int re) {
        Type lt = left.type();
        Type rt = right.type();
        if (op == Node.Comparison.EQ || op == Node.Comparison.NE) {
            if (lt != Type.ANY && rt != Type.ANY && lt != rt) {
                throw error(opIndex, "cannot compare " + describe(left, ls, le) + " with " + describe(right, rs, re)
                        + " (only like types can be compared)");
            }
        } else {
            String sym = Node.Comparison.SYMBOLS[op];
            requireOrderable(left, ls, le, sym);
            requireOrderable(right, rs, re, sym);
        }
    }

    private void requireOrderable(Node n, int start, int end, String op) {
        if (n.type() == Type.STRING || n.type() == Type.BOOLEAN) {
            throw error(start, "'" + op + "' cannot compare " + describe(n, start, end)
                    + " (string and boolean comparison is restricted to = and <>)");
        }
    }

    void requireCondition(Node n, int start, int end, String context) {
        if (n.type() != Type.BOOLEAN && n.type() != Type.ANY) {
            throw error(start, context + " needs a condition (a comparison, a boolean identifier or TRUE/FALSE),"
                    + " found " + describe(n, start, end));
        }
    }

    void requireNumeric(Node n, int start, int end, String context) {
        if (n.type() != Type.NUMERIC && n.type() != Type.ANY) {
            throw error(start, "'" + context + "' needs numbers, found " + describe(n, start, end));
        }
    }

    Node.Identifier requireIdentifier(Node n, int start, int end, String context) {
        if (!(n instanceof Node.Identifier id)) {
            throw error(start, context + " applies to an identifier, found " + describe(n, start, end));
        }
        return id;
    }

    Node.Identifier requireStringIdentifier(Node n, int start, int end, String context) {
        Node.Identifier id = requireIdentifier(n, start, end, context);
        if (id.type() != Type.ANY && id.type() != Type.STRING) {
            throw error(start, context + " applies to a string identifier, but " + id.name() + " is a number");
        }
        return id;
    }

    private String describe(Node n, int start, int end) {
        String what = switch (n.type()) {
            case STRING -> "a string";
            case NUMERIC -> "a number";
            case BOOLEAN -> n instanceof Node.BooleanLiteral ? "a boolean" : "a condition";
            case ANY -> "an identifier";
        };
        return what + " (" + text.substring(start, Math.max(start, end)) + ")";
    }

    private SelectorSyntaxError error(int index, String reason) {
        return new SelectorSyntaxError(text, index, reason);
    }
}
