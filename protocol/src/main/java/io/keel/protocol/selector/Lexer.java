package io.keel.protocol.selector;

import java.util.ArrayList;
import java.util.List;

import io.keel.protocol.selector.Token.Kind;

/**
 * Splits a selector into {@link Token}s, following Jakarta Messaging 3.1 section 3.8.1.1:
 * <ul>
 * <li>Whitespace "is the same as that defined for Java: space, horizontal tab, form feed and line
 * terminator".
 * <li>String literals in single quotes, {@code ''} for a quote inside.
 * <li>Exact numeric literals "use the Java integer literal syntax" (decimal, hex {@code 0x}, octal
 * {@code 0}, binary {@code 0b}, {@code _} between digits, optional {@code L}); "numbers in the range of
 * Java long are supported", so every exact literal is read as a Java long literal, as if it ended in
 * {@code L} ({@code 0xFFFFFFFF} is 4294967295, not -1). 9223372036854775808 is accepted only right
 * after a unary minus, as in Java.
 * <li>Approximate literals "use the Java floating-point literal syntax" (decimal and hex forms,
 * exponent, {@code f}/{@code d} suffix). A literal that rounds to infinity, or a non-zero one that
 * rounds to zero, is an error (as javac reports it). With {@code f} the value is a Java float.
 * <li>Identifiers: a Java identifier start, then Java identifier parts, by code point. Words spelled
 * like the keywords (NULL TRUE FALSE NOT AND OR BETWEEN LIKE IN IS ESCAPE) in any ASCII case are
 * keywords, folded as {@link io.keel.protocol.message.PropertyNames} folds them.
 * <li>A number directly followed by a letter, digit, {@code _} or {@code $} is an error, as SQL-92
 * requires a separator between such tokens ({@code 1AND} is not {@code 1 AND}).
 * </ul>
 */
final class Lexer {

    private static final Kind[] KEYWORDS = {
        Kind.NULL, Kind.TRUE, Kind.FALSE, Kind.NOT, Kind.AND, Kind.OR, Kind.BETWEEN, Kind.LIKE, Kind.IN, Kind.IS,
        Kind.ESCAPE
    };

    private final String s;
    private int pos;
    private final List<Token> tokens = new ArrayList<>();

    private Lexer(String selector) {
        this.s = selector;
    }

    /** The tokens of {@code selector}, ending with an EOF token. */
    static List<Token> tokenize(String selector) {
        Lexer lexer = new Lexer(selector);
        lexer.run();
        return lexer.tokens;
    }

    static boolean isWhitespace(char c) {
        return c == ' ' || c == '\t' || c == '\f' || c == '\n' || c == '\r';
    }

    private void run() {
        while (true) {
            while (pos < s.length() && isWhitespace(s.charAt(pos))) {
                pos++;
            }
            if (pos >= s.length()) {
                tokens.add(new Token(Kind.EOF, pos, pos, null, 0, 0));
                return;
            }
            char c = s.charAt(pos);
            int start = pos;
            if (c == '\'') {
                string();
            } else if (isDigit(c) || (c == '.' && pos + 1 < s.length() && isDigit(s.charAt(pos + 1)))) {
                number();
            } else if (Character.isJavaIdentifierStart(s.codePointAt(pos))) {
                word();
            } else {
                Kind k = operator(c);
                tokens.add(new Token(k, start, pos, null, 0, 0));
            }
        }
    }

    private Kind operator(char c) {
        int start = pos++;
        switch (c) {
            case '=': return Kind.EQ;
            case '+': return Kind.PLUS;
            case '-': return Kind.MINUS;
            case '*': return Kind.STAR;
            case '/': return Kind.SLASH;
            case '(': return Kind.LPAREN;
            case ')': return Kind.RPAREN;
            case ',': return Kind.COMMA;
            case '<':
                if (peek() == '>') {
                    pos++;
                    return Kind.NE;
                }
                if (peek() == '=') {
                    pos++;
                    return Kind.LE;
                }
                return Kind.LT;
            case '>':
                if (peek() == '=') {
                    pos++;
                    return Kind.GE;
                }
                return Kind.GT;
            case '!':
                throw error(start, "unexpected character '!' (not equal is written <>)");
            case '"':
                throw error(start, "unexpected character '\"' (string literals are in single quotes)");
            default:
                int cp = s.codePointAt(start);
                String shown = cp >= 0x20 && cp < 0x7F ? "'" + (char) cp + "' " : "";
                throw error(start, "unexpected character " + shown + "(U+" + String.format("%04X", cp) + ")");
        }
    }

    private char peek() {
        return pos < s.length() ? s.charAt(pos) : '\0';
    }

    private void string() {
        int start = pos++;
        StringBuilder b = new StringBuilder();
        while (true) {
            int q = s.indexOf('\'', pos);
            if (q < 0) {
                throw error(start, "string literal is not terminated (a quote inside a literal is written '')");
            }
            b.append(s, pos, q);
            pos = q + 1;
            if (peek() == '\'') {
                b.append('\'');
                pos++;
            } else {
                tokens.add(new Token(Kind.STRING, start, pos, b.toString(), 0, 0));
                return;
            }
        }
    }

    private void word() {
        int start = pos;
        pos += Character.charCount(s.codePointAt(pos));
        while (pos < s.length()) {
            int cp = s.codePointAt(pos);
            if (!Character.isJavaIdentifierPart(cp)) {
                break;
            }
            pos += Character.charCount(cp);
        }
        String w = s.substring(start, pos);
        Kind kind = Kind.IDENTIFIER;
        for (Kind k : KEYWORDS) {
            if (equalsIgnoreAsciiCase(w, k.name())) {
                kind = k;
                break;
            }
        }
        tokens.add(new Token(kind, start, pos, kind == Kind.IDENTIFIER ? w : null, 0, 0));
    }

    static boolean equalsIgnoreAsciiCase(String word, String upper) {
        if (word.length() != upper.length()) {
            return false;
        }
        for (int i = 0; i < word.length(); i++) {
            char c = word.charAt(i);
            if (c >= 'a' && c <= 'z') {
                c -= 'a' - 'A';
            }
            if (c != upper.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    // ---- numbers -----------------------------------------------------------------------------------

    private void number() {
        int start = pos;
        char c = s.charAt(pos);
        char c1 = pos + 1 < s.length() ? s.charAt(pos + 1) : '\0';
        if (c == '0' && (c1 == 'x' || c1 == 'X')) {
            hexNumber(start);
        } else if (c == '0' && (c1 == 'b' || c1 == 'B')) {
            pos += 2;
            int from = pos;
            digits(2, start);
            String digits = s.substring(from, pos);
            skipLongSuffix();
            exact(start, digits, 2);
        } else {
            decimalNumber(start);
        }
        if (pos < s.length() && Character.isJavaIdentifierPart(s.codePointAt(pos))) {
            throw error(pos, "numeric literal " + s.substring(start, pos) + " is directly followed by '"
                    + new String(Character.toChars(s.codePointAt(pos))) + "' (separate tokens with a space)");
        }
    }

    private void decimalNumber(int start) {
        boolean floating = false;
        int intStart = pos;
        if (isDigit(peek())) {
            digits(10, start);
        }
        int intEnd = pos;
        if (peek() == '.') {
            floating = true;
            pos++;
            if (isDigit(peek())) {
                digits(10, start);
            }
        }
        int significandEnd = pos;
        if (peek() == 'e' || peek() == 'E') {
            floating = true;
            exponent(start, 10);
        }
        char suffix = peek();
        if (suffix == 'f' || suffix == 'F' || suffix == 'd' || suffix == 'D') {
            pos++;
            floating(start, s.substring(start, pos - 1), suffix == 'f' || suffix == 'F',
                    hasNonZeroDigit(start, significandEnd));
        } else if (floating) {
            floating(start, s.substring(start, pos), false, hasNonZeroDigit(start, significandEnd));
        } else {
            String digits = s.substring(intStart, intEnd);
            skipLongSuffix();
            if (digits.length() > 1 && digits.charAt(0) == '0') {
                for (int i = 0; i < digits.length(); i++) {
                    char d = digits.charAt(i);
                    if (d == '8' || d == '9') {
                        throw error(intStart + i, "invalid digit '" + d + "' in octal literal " + digits
                                + " (a leading 0 means octal)");
                    }
                }
                exact(start, digits.substring(1), 8);
            } else {
                exact(start, digits, 10);
            }
        }
    }

    private void hexNumber(int start) {
        pos += 2;
        boolean any = false;
        if (isDigit(peek(), 16)) {
            digits(16, start);
            any = true;
        }
        int intEnd = pos;
        if (peek() == '.' || peek() == 'p' || peek() == 'P') {
            if (peek() == '.') {
                pos++;
                if (isDigit(peek(), 16)) {
                    digits(16, start);
                    any = true;
                }
            }
            if (!any) {
                throw error(start, "hexadecimal literal has no digits");
            }
            int significandEnd = pos;
            if (peek() != 'p' && peek() != 'P') {
                throw error(pos, "hexadecimal floating-point literal needs a binary exponent (p)");
            }
            exponent(start, 16);
            char suffix = peek();
            boolean isFloat = suffix == 'f' || suffix == 'F';
            String text = s.substring(start, pos);
            if (isFloat || suffix == 'd' || suffix == 'D') {
                pos++;
            }
            floating(start, text, isFloat, hasNonZeroDigit(start + 2, significandEnd));
            return;
        }
        if (!any) {
            throw error(start, "hexadecimal literal has no digits");
        }
        String digits = s.substring(start + 2, intEnd);
        skipLongSuffix();
        exact(start, digits, 16);
    }

    private void skipLongSuffix() {
        if (peek() == 'l' || peek() == 'L') {
            pos++;
        }
    }

    /** Digits of {@code radix} with single or repeated '_' strictly between digits; at least one digit. */
    private void digits(int radix, int literalStart) {
        if (!isDigit(peek(), radix)) {
            throw error(pos, "numeric literal " + s.substring(literalStart, pos) + " needs a digit here");
        }
        while (pos < s.length()) {
            char c = s.charAt(pos);
            if (isDigit(c, radix)) {
                pos++;
            } else if (c == '_') {
                int u = pos;
                while (peek() == '_') {
                    pos++;
                }
                if (!isDigit(peek(), radix)) {
                    throw error(u, "'_' in a numeric literal must stand between digits");
                }
            } else {
                break;
            }
        }
    }

    private void exponent(int literalStart, int radix) {
        pos++; // e, E, p or P
        if (peek() == '+' || peek() == '-') {
            pos++;
        }
        if (!isDigit(peek())) {
            throw error(pos, (radix == 16 ? "binary exponent" : "exponent") + " of " + s.substring(literalStart, pos)
                    + " has no digits");
        }
        digits(10, literalStart);
    }

    private boolean hasNonZeroDigit(int from, int to) {
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (c != '0' && c != '.' && c != '_' && isDigit(c, 16)) {
                return true;
            }
        }
        return false;
    }

    private void exact(int start, String digits, int radix) {
        String clean = digits.replace("_", "");
        long value;
        try {
            value = radix == 10 ? Long.parseLong(clean) : Long.parseUnsignedLong(clean, radix);
        } catch (NumberFormatException e) {
            if (radix == 10 && clean.equals("9223372036854775808")) {
                tokens.add(new Token(Kind.EXACT_TWO_POW_63, start, pos, null, Long.MIN_VALUE, 0));
                return;
            }
            throw error(start, "integer literal " + s.substring(start, pos) + " is out of the range of long");
        }
        tokens.add(new Token(Kind.EXACT, start, pos, null, value, 0));
    }

    private void floating(int start, String text, boolean isFloat, boolean nonZero) {
        String clean = text.replace("_", "");
        double value = isFloat ? Float.parseFloat(clean) : Double.parseDouble(clean);
        String what = isFloat ? "float" : "double";
        if (Double.isInfinite(value)) {
            throw error(start, "floating-point literal " + s.substring(start, pos) + " is too large for a " + what);
        }
        if (value == 0 && nonZero) {
            throw error(start, "floating-point literal " + s.substring(start, pos) + " is too small for a " + what
                    + " (it would round to zero)");
        }
        tokens.add(new Token(isFloat ? Kind.FLOAT : Kind.DOUBLE, start, pos, null, 0, value));
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private static boolean isDigit(char c, int radix) {
        return switch (radix) {
            case 2 -> c == '0' || c == '1';
            case 10 -> isDigit(c);
            default -> isDigit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
        };
    }

    private SelectorSyntaxError error(int index, String reason) {
        return new SelectorSyntaxError(s, index, reason);
    }
}
