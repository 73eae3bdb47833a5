package io.keel.protocol.selector;

import java.util.ArrayList;
import java.util.List;

import io.keel.protocol.message.MessageCodec;
import io.keel.protocol.message.PropertyName;
import io.keel.protocol.selector.Token.Kind;

/**
 * Recursive-descent parser for the selector grammar of Jakarta Messaging 3.1 section 3.8.1.1, with the
 * precedence the specification lists ("Logical operators in precedence order: NOT, AND, OR";
 * arithmetic "+, - (unary)", then "*, /", then "+, -"; comparisons bind tighter than NOT):
 *
 * <pre>
 * selector   := or EOF
 * or         := and { OR and }
 * and        := not { AND not }
 * not        := NOT not | predicate
 * predicate  := sum [ ( = | &lt;&gt; | &lt; | &lt;= | &gt; | &gt;= ) sum
 *                   | [NOT] BETWEEN sum AND sum
 *                   | [NOT] IN ( string {, string} )        (left side: an identifier)
 *                   | [NOT] LIKE string [ESCAPE string]     (left side: an identifier)
 *                   | IS [NOT] NULL ]                       (left side: an identifier)
 * sum        := product { (+ | -) product }
 * product    := unary { (* | /) unary }
 * unary      := (+ | -) unary | primary
 * primary    := string | number | TRUE | FALSE | identifier | ( or )
 * </pre>
 *
 * Comparisons do not chain ({@code a = b = c} is an error). NULL is not a literal: it appears only in
 * IS [NOT] NULL, the specification listing string, numeric and boolean literals only.
 *
 * <p>Semantic checks that need no message are in {@link TypeRules}.
 *
 * <p>Nesting (parentheses, NOT, signs) is limited to {@value #MAX_NESTING} levels so that a hostile
 * selector cannot overflow the stack of the broker thread parsing or evaluating it.
 */
final class Parser {

    static final int MAX_NESTING = 128;

    private final String text;
    private final List<Token> tokens;
    private final TypeRules types;
    private int i;
    private int nesting;

    private Parser(String text) {
        this.text = text;
        this.tokens = Lexer.tokenize(text);
        this.types = new TypeRules(text);
    }

    /** Parses a selector that is not empty or blank. */
    static Node parse(String text) {
        Parser p = new Parser(text);
        int start = p.peek().start();
        Node n = p.or();
        int end = p.prevEnd();
        if (p.peek().kind() != Kind.EOF) {
            throw p.unexpected(p.peek(), p.peek().kind() == Kind.RPAREN ? "the end of the selector (this ')' has no '(')"
                    : "AND, OR or the end of the selector");
        }
        p.types.requireCondition(n, start, end, "a selector");
        return n;
    }

    // ---- conditions --------------------------------------------------------------------------------

    private Node or() {
        int start = peek().start();
        Node first = and();
        if (peek().kind() != Kind.OR) {
            return first;
        }
        List<Node> operands = new ArrayList<>();
        types.requireCondition(first, start, prevEnd(), "OR");
        operands.add(first);
        while (accept(Kind.OR)) {
            int s = peek().start();
            Node n = and();
            types.requireCondition(n, s, prevEnd(), "OR");
            operands.add(n);
        }
        return new Node.Or(operands.toArray(new Node[0]));
    }

    private Node and() {
        int start = peek().start();
        Node first = not();
        if (peek().kind() != Kind.AND) {
            return first;
        }
        List<Node> operands = new ArrayList<>();
        types.requireCondition(first, start, prevEnd(), "AND");
        operands.add(first);
        while (accept(Kind.AND)) {
            int s = peek().start();
            Node n = not();
            types.requireCondition(n, s, prevEnd(), "AND");
            operands.add(n);
        }
        return new Node.And(operands.toArray(new Node[0]));
    }

    private Node not() {
        if (peek().kind() != Kind.NOT) {
            return predicate();
        }
        enter(next());
        int s = peek().start();
        Node n = not();
        types.requireCondition(n, s, prevEnd(), "NOT");
        nesting--;
        return new Node.Not(n);
    }

    private Node predicate() {
        int start = peek().start();
        Node left = sum();
        int end = prevEnd();
        Token t = peek();
        switch (t.kind()) {
            case EQ, NE, LT, LE, GT, GE:
                next();
                int rs = peek().start();
                Node right = sum();
                return comparison(t, left, start, end, right, rs, prevEnd());
            case NOT:
                Token after = tokens.get(i + 1);
                if (after.kind() != Kind.BETWEEN && after.kind() != Kind.LIKE && after.kind() != Kind.IN) {
                    throw unexpected(after, "BETWEEN, LIKE or IN after NOT");
                }
                next();
                return negatable(left, start, end, true);
            case BETWEEN, LIKE, IN:
                return negatable(left, start, end, false);
            case IS:
                next();
                boolean not = accept(Kind.NOT);
                expect(Kind.NULL, not ? "NULL after IS NOT" : "NULL or NOT NULL after IS");
                return new Node.IsNull(types.requireIdentifier(left, start, end, "IS NULL"), not);
            default:
                return left;
        }
    }

    private Node comparison(Token op, Node left, int ls, int le, Node right, int rs, int re) {
        int code = op.kind().ordinal() - Kind.EQ.ordinal();
        types.checkComparison(code, op.start(), left, ls, le, right, rs, re);
        return new Node.Comparison(code, left, right);
    }

    private Node negatable(Node left, int start, int end, boolean not) {
        Token op = next();
        switch (op.kind()) {
            case BETWEEN: {
                types.requireNumeric(left, start, end, "BETWEEN");
                int ls = peek().start();
                Node low = sum();
                types.requireNumeric(low, ls, prevEnd(), "BETWEEN");
                expect(Kind.AND, "AND between the bounds of BETWEEN");
                int hs = peek().start();
                Node high = sum();
                types.requireNumeric(high, hs, prevEnd(), "BETWEEN");
                return new Node.Between(left, low, high, not);
            }
            case IN: {
                Node.Identifier id = types.requireStringIdentifier(left, start, end, "IN");
                expect(Kind.LPAREN, "'(' after IN");
                List<Node.StringLiteral> values = new ArrayList<>();
                do {
                    Token v = next();
                    if (v.kind() != Kind.STRING) {
                        throw unexpected(v, "a string literal (an IN list holds string literals only)");
                    }
                    values.add(stringLiteral(v));
                } while (accept(Kind.COMMA));
                expect(Kind.RPAREN, "',' or ')' in the IN list");
                return new Node.In(id, values.toArray(new Node.StringLiteral[0]), not);
            }
            default: {
                Node.Identifier id = types.requireStringIdentifier(left, start, end, "LIKE");
                Token p = next();
                if (p.kind() != Kind.STRING) {
                    throw unexpected(p, "a string literal (a LIKE pattern is a string literal)");
                }
                int escape = -1;
                if (accept(Kind.ESCAPE)) {
                    Token e = next();
                    if (e.kind() != Kind.STRING) {
                        throw unexpected(e, "a string literal after ESCAPE");
                    }
                    int n = e.text().codePointCount(0, e.text().length());
                    if (n != 1) {
                        throw error(e.start(), "the ESCAPE character must be a single character, found " + n
                                + " in " + text.substring(e.start(), e.end()));
                    }
                    escape = e.text().codePointAt(0);
                }
                try {
                    return new Node.Like(id, LikePattern.compile(p.text(), escape), not);
                } catch (IllegalArgumentException ex) {
                    throw error(p.start(), "invalid LIKE pattern " + text.substring(p.start(), p.end()) + ": "
                            + ex.getMessage());
                }
            }
        }
    }

    // ---- arithmetic --------------------------------------------------------------------------------

    private Node sum() {
        return chain(true);
    }

    /** A left-associative chain of + - (additive) or * / operands, as one n-ary node. */
    private Node chain(boolean additive) {
        int start = peek().start();
        Node first = additive ? chain(false) : unary();
        if (!isChainOp(peek().kind(), additive)) {
            return first;
        }
        types.requireNumeric(first, start, prevEnd(), symbol(peek()));
        List<Node> operands = new ArrayList<>();
        StringBuilder ops = new StringBuilder();
        operands.add(first);
        while (isChainOp(peek().kind(), additive)) {
            String sym = symbol(next());
            int s = peek().start();
            Node n = additive ? chain(false) : unary();
            types.requireNumeric(n, s, prevEnd(), sym);
            operands.add(n);
            ops.append(sym.charAt(0));
        }
        return new Node.Arithmetic(operands.toArray(new Node[0]), ops.toString().toCharArray());
    }

    private static boolean isChainOp(Kind k, boolean additive) {
        return additive ? k == Kind.PLUS || k == Kind.MINUS : k == Kind.STAR || k == Kind.SLASH;
    }

    private Node unary() {
        Token t = peek();
        if (t.kind() != Kind.PLUS && t.kind() != Kind.MINUS) {
            return primary();
        }
        enter(next());
        boolean minus = t.kind() == Kind.MINUS;
        Node result;
        if (minus && peek().kind() == Kind.EXACT_TWO_POW_63) {
            next(); // Java: 9223372036854775808 only as the operand of unary minus
            result = Node.NumberLiteral.ofLong(Long.MIN_VALUE);
        } else {
            int s = peek().start();
            Node operand = unary();
            types.requireNumeric(operand, s, prevEnd(), "unary " + symbol(t));
            if (operand instanceof Node.NumberLiteral lit) {
                result = minus ? negate(lit) : lit;
            } else {
                result = new Node.Unary(minus, operand);
            }
        }
        nesting--;
        return result;
    }

    private static Node.NumberLiteral negate(Node.NumberLiteral lit) {
        if (lit.kind() == ValueKind.LONG) {
            return Node.NumberLiteral.ofLong(-lit.bits());
        }
        return Node.NumberLiteral.ofDouble(-Double.longBitsToDouble(lit.bits()), lit.kind() == ValueKind.FLOAT);
    }

    private Node primary() {
        Token t = next();
        switch (t.kind()) {
            case STRING:
                return stringLiteral(t);
            case EXACT:
                return Node.NumberLiteral.ofLong(t.longValue());
            case EXACT_TWO_POW_63:
                throw error(t.start(), "integer literal 9223372036854775808 is out of the range of long (only"
                        + " -9223372036854775808 is allowed)");
            case DOUBLE, FLOAT:
                return Node.NumberLiteral.ofDouble(t.doubleValue(), t.kind() == Kind.FLOAT);
            case TRUE, FALSE:
                return new Node.BooleanLiteral(t.kind() == Kind.TRUE);
            case IDENTIFIER:
                return identifier(t.text());
            case LPAREN: {
                enter(t);
                Node n = or();
                if (peek().kind() != Kind.RPAREN) {
                    throw unexpected(peek(), "')' to close the '(' at column " + (t.start() + 1));
                }
                next();
                nesting--;
                return n;
            }
            case NULL:
                throw error(t.start(), "NULL is not a value: test for it with IS NULL or IS NOT NULL");
            default:
                throw unexpected(t, "an identifier, a literal or '('");
        }
    }

    private static Node.Identifier identifier(String name) {
        IdentifierKind kind = IdentifierKind.of(name);
        PropertyName key = kind == IdentifierKind.PROPERTY || kind == IdentifierKind.DELIVERY_COUNT
                ? PropertyName.of(name) : null;
        return new Node.Identifier(name, kind, key);
    }

    private static Node.StringLiteral stringLiteral(Token t) {
        return new Node.StringLiteral(t.text(), MessageCodec.utf8(t.text()));
    }

    // ---- tokens ------------------------------------------------------------------------------------

    private Token peek() {
        return tokens.get(i);
    }

    private Token next() {
        Token t = tokens.get(i);
        if (t.kind() != Kind.EOF) {
            i++;
        }
        return t;
    }

    private boolean accept(Kind k) {
        if (peek().kind() == k) {
            next();
            return true;
        }
        return false;
    }

    private void expect(Kind k, String expected) {
        if (!accept(k)) {
            throw unexpected(peek(), expected);
        }
    }

    /** End index of the last token consumed. */
    private int prevEnd() {
        return i == 0 ? 0 : tokens.get(i - 1).end();
    }

    private void enter(Token t) {
        if (++nesting > MAX_NESTING) {
            throw error(t.start(), "the expression is nested too deeply (more than " + MAX_NESTING
                    + " levels of parentheses, NOT and signs)");
        }
    }

    private String symbol(Token t) {
        return text.substring(t.start(), t.end());
    }

    private SelectorSyntaxError unexpected(Token t, String expected) {
        return error(t.start(), "expected " + expected + " but found " + t.describe(text));
    }

    private SelectorSyntaxError error(int index, String reason) {
        return new SelectorSyntaxError(text, index, reason);
    }
}
