package io.keel.protocol.message;

/**
 * The rules for JMS property names: "Property names must obey the rules for a message selector
 * identifier" (Jakarta Messaging 3.1, section 3.5.1), that is: not null or empty; the first character
 * a Java identifier start ({@link Character#isJavaIdentifierStart(int)}), the others Java identifier
 * parts ({@link Character#isJavaIdentifierPart(int)}), by code point so characters outside the BMP
 * count as one; and not one of the words NULL, TRUE, FALSE, NOT, AND, OR, BETWEEN, LIKE, IN, IS, ESCAPE
 * in any case.
 *
 * <p>Keyword case is folded for ASCII letters only: the keywords are ASCII, and a name with a
 * non-ASCII letter such as "\u0131s" (dotless i) is an identifier, not IS (String.equalsIgnoreCase
 * would say otherwise). The selector parser must fold keywords the same way.
 *
 * <p>Which exception: the {@code Message.setXxxProperty} and {@code JMSProducer.setProperty} javadoc
 * requires IllegalArgumentException for a null or empty name and names no other exception for a bad
 * name; Keel's client throws IllegalArgumentException with {@link #check}'s message for every name
 * this class rejects. Names beginning with "JMS" are not rejected here (the client sets JMSX
 * properties through the same path).
 */
public final class PropertyNames {

    private static final String[] RESERVED = {
        "NULL", "TRUE", "FALSE", "NOT", "AND", "OR", "BETWEEN", "LIKE", "IN", "IS", "ESCAPE"
    };

    private PropertyNames() {
    }

    /** Null if {@code name} is a valid property name, else a message saying why it is not. */
    public static String check(String name) {
        if (name == null) {
            return "property name is null";
        }
        if (name.isEmpty()) {
            return "property name is empty";
        }
        int first = name.codePointAt(0);
        if (!Character.isJavaIdentifierStart(first)) {
            return "property name '" + name + "' does not start with a Java identifier start character"
                    + " (found U+" + hex(first) + ")";
        }
        for (int i = Character.charCount(first); i < name.length();) {
            int cp = name.codePointAt(i);
            if (!Character.isJavaIdentifierPart(cp)) {
                return "property name '" + name + "' has a character that is not a Java identifier part at index "
                        + i + " (U+" + hex(cp) + ")";
            }
            i += Character.charCount(cp);
        }
        for (String word : RESERVED) {
            if (equalsIgnoreAsciiCase(name, word)) {
                return "property name '" + name + "' is the reserved selector word " + word;
            }
        }
        return null;
    }

    public static boolean isValid(String name) {
        return check(name) == null;
    }

    /** Returns {@code name}, or throws IllegalArgumentException with {@link #check}'s message. */
    public static String requireValid(String name) {
        String problem = check(name);
        if (problem != null) {
            throw new IllegalArgumentException(problem);
        }
        return name;
    }

    private static boolean equalsIgnoreAsciiCase(String name, String upperWord) {
        if (name.length() != upperWord.length()) {
            return false;
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c >= 'a' && c <= 'z') {
                c -= 'a' - 'A';
            }
            if (c != upperWord.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    private static String hex(int cp) {
        String h = Integer.toHexString(cp).toUpperCase(java.util.Locale.ROOT);
        return "0000".substring(Math.min(4, h.length())) + h;
    }
}
