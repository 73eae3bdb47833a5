package io.keel.protocol.selector;

/**
 * One token of a selector. {@code text} is the identifier name or the string literal's value (quotes
 * removed, {@code ''} undone); numbers carry their value in {@code longValue} (exact) or
 * {@code doubleValue} (approximate). {@code start}/{@code end} are char indexes in the selector.
 */
record Token(Kind kind, int start, int end, String text, long longValue, double doubleValue) {

    enum Kind {
        IDENTIFIER, STRING,
        /** Exact numeric literal within the range of long. */
        EXACT,
        /** The decimal literal 9223372036854775808: valid only right after a unary minus (as in Java). */
        EXACT_TWO_POW_63,
        /** Approximate numeric literal, a double. */
        DOUBLE,
        /** Approximate numeric literal with an f/F suffix: a Java float (value widened into doubleValue). */
        FLOAT,
        NULL, TRUE, FALSE, NOT, AND, OR, BETWEEN, LIKE, IN, IS, ESCAPE,
        EQ, NE, LT, LE, GT, GE, PLUS, MINUS, STAR, SLASH, LPAREN, RPAREN, COMMA,
        EOF;

        boolean isKeyword() {
            return compareTo(NULL) >= 0 && compareTo(ESCAPE) <= 0;
        }
    }

    /** How the token reads in an error message, e.g. {@code keyword AND} or {@code string literal 'x'}. */
    String describe(String selector) {
        String src = selector.substring(start, end);
        return switch (kind) {
            case IDENTIFIER -> "identifier " + src;
            case STRING -> "string literal " + src;
            case EXACT, EXACT_TWO_POW_63, DOUBLE, FLOAT -> "numeric literal " + src;
            case EOF -> "the end of the selector";
            default -> kind.isKeyword() ? "keyword " + src : "'" + src + "'";
        };
    }
}
