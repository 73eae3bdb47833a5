package io.keel.protocol.selector;

import io.keel.protocol.selector.Evaluator.Frame;

/**
 * A parsed JMS message selector (Jakarta Messaging 3.1 section 3.8.1): immutable, thread-safe, parsed
 * once and evaluated many times. Evaluation reads the message through a {@link SelectorSource}; over
 * an {@link EncodedMessageSource} it works on the encoded bytes without building a message and,
 * in the common cases (header numbers, properties against literals, arithmetic), without allocating.
 *
 * <pre>
 * Selector s = Selector.parse("color = 'red' AND weight &gt; 10 OR JMSPriority &gt;= 7");
 * EncodedMessageSource source = new EncodedMessageSource();   // one per thread, reused
 * boolean selected = s.matches(source.wrap(encodedMessage));
 * </pre>
 *
 * A null, empty or blank selector means "no selector" ({@link #MATCH_ALL}), as the specification says
 * of the empty string.
 */
public final class Selector {

    /** No selector: selects every message. */
    public static final Selector MATCH_ALL = new Selector("", null);

    private static final ThreadLocal<Frame> FRAMES = ThreadLocal.withInitial(Frame::new);

    private final String text;
    private final Node root;
    private final boolean usesDeliveryCount;

    private Selector(String text, Node root) {
        this.text = text;
        this.root = root;
        this.usesDeliveryCount = root != null && text.contains(IdentifierKind.DELIVERY_COUNT_NAME)
                && mentionsDeliveryCount(root);
    }

    /**
     * Parses {@code selector}; throws {@link SelectorSyntaxError} if it is not a valid selector.
     * Null, empty or whitespace-only text gives {@link #MATCH_ALL}.
     */
    public static Selector parse(String selector) {
        if (isBlank(selector)) {
            return MATCH_ALL;
        }
        return new Selector(selector, Parser.parse(selector));
    }

    /** Whether {@code selector} means "no selector" (null, empty, or only whitespace). */
    public static boolean isBlank(String selector) {
        if (selector == null) {
            return true;
        }
        for (int i = 0; i < selector.length(); i++) {
            if (!Lexer.isWhitespace(selector.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    /** The selector text as given ("" for {@link #MATCH_ALL}). */
    public String text() {
        return text;
    }

    public boolean isMatchAll() {
        return root == null;
    }

    /** Whether the selector references JMSXDeliveryCount (then pass a {@link DeliveryCountProvider}). */
    public boolean usesDeliveryCount() {
        return usesDeliveryCount;
    }

    /** Whether the message selects: the selector is TRUE for it. JMSXDeliveryCount is read as a property. */
    public boolean matches(SelectorSource message) {
        return truth(message, null) == Evaluator.T;
    }

    /** As {@link #matches(SelectorSource)}, with JMSXDeliveryCount from {@code deliveryCount} (may be null). */
    public boolean matches(SelectorSource message, DeliveryCountProvider deliveryCount) {
        return truth(message, deliveryCount) == Evaluator.T;
    }

    /** The selector's truth value for the message (TRUE, FALSE or UNKNOWN). */
    public Truth evaluate(SelectorSource message, DeliveryCountProvider deliveryCount) {
        int t = truth(message, deliveryCount);
        return t == Evaluator.T ? Truth.TRUE : t == Evaluator.F ? Truth.FALSE : Truth.UNKNOWN;
    }

    private int truth(SelectorSource message, DeliveryCountProvider deliveryCount) {
        if (root == null) {
            return Evaluator.T;
        }
        Frame f = FRAMES.get();
        if (f.busy) {
            f = new Frame(); // re-entered, e.g. from a DeliveryCountProvider
        }
        f.busy = true;
        f.source = message;
        f.deliveryCount = deliveryCount;
        try {
            return Evaluator.condition(root, f);
        } finally {
            f.source = null;
            f.deliveryCount = null;
            f.ref = null;
            f.busy = false;
        }
    }

    /** The syntax tree, fully parenthesized (for tests and diagnostics). */
    String tree() {
        return root == null ? "" : root.toString();
    }

    private static boolean mentionsDeliveryCount(Node n) {
        return switch (n.tag()) {
            case Node.IDENTIFIER -> ((Node.Identifier) n).kind() == IdentifierKind.DELIVERY_COUNT;
            case Node.UNARY -> mentionsDeliveryCount(((Node.Unary) n).operand());
            case Node.ARITHMETIC -> any(((Node.Arithmetic) n).operands());
            case Node.COMPARISON -> mentionsDeliveryCount(((Node.Comparison) n).left())
                    || mentionsDeliveryCount(((Node.Comparison) n).right());
            case Node.BETWEEN -> {
                Node.Between b = (Node.Between) n;
                yield mentionsDeliveryCount(b.value()) || mentionsDeliveryCount(b.low())
                        || mentionsDeliveryCount(b.high());
            }
            case Node.IN -> mentionsDeliveryCount(((Node.In) n).identifier());
            case Node.LIKE -> mentionsDeliveryCount(((Node.Like) n).identifier());
            case Node.IS_NULL -> mentionsDeliveryCount(((Node.IsNull) n).identifier());
            case Node.NOT -> mentionsDeliveryCount(((Node.Not) n).operand());
            case Node.AND -> any(((Node.And) n).operands());
            case Node.OR -> any(((Node.Or) n).operands());
            default -> false;
        };
    }

    private static boolean any(Node[] nodes) {
        for (Node n : nodes) {
            if (mentionsDeliveryCount(n)) {
                return true;
            }
        }
        return false;
    }

    /** Equal when the texts are equal (what a durable subscription compares). */
    @Override
    public boolean equals(Object o) {
        return o instanceof Selector s && s.text.equals(text);
    }

    @Override
    public int hashCode() {
        return text.hashCode();
    }

    @Override
    public String toString() {
        return root == null ? "Selector[match all]" : "Selector[" + text + "]";
    }
}
