package io.keel.protocol.selector;

/**
 * A message selector that is not valid: a syntax error, or a semantic error that can be seen without a
 * message (a string literal compared with {@code <}, an IN list of numbers, an ESCAPE of two
 * characters, ...). The message names the selector, the column and what was expected; the client maps
 * this to {@code jakarta.jms.InvalidSelectorException} (the protocol module does not depend on the JMS
 * API, hence an unchecked exception of its own).
 *
 * <p>Columns count UTF-16 chars from 1 over the whole selector text (a line terminator is whitespace
 * in a selector and counts as one column like any other char).
 */
public final class SelectorSyntaxError extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** Longest selector quoted whole in a message; longer ones are cut around the error. */
    private static final int MAX_QUOTED = 120;

    private final String selector;
    private final int column;
    private final String reason;

    SelectorSyntaxError(String selector, int index, String reason) {
        super("invalid message selector " + quote(selector, index) + " at column " + (index + 1) + ": " + reason);
        this.selector = selector;
        this.column = index + 1;
        this.reason = reason;
    }

    /** The whole selector text. */
    public String selector() {
        return selector;
    }

    /** 1-based column (UTF-16 char index + 1) where the problem was found. */
    public int column() {
        return column;
    }

    /** What is wrong, without the selector and the column. */
    public String reason() {
        return reason;
    }

    private static String quote(String s, int index) {
        if (s.length() <= MAX_QUOTED) {
            return '"' + s + '"';
        }
        int from = Math.max(0, Math.min(index - MAX_QUOTED / 2, s.length() - MAX_QUOTED));
        int to = Math.min(s.length(), from + MAX_QUOTED);
        return (from > 0 ? "\"..." : "\"") + s.substring(from, to) + (to < s.length() ? "...\"" : "\"")
                + " (" + s.length() + " chars)";
    }
}
