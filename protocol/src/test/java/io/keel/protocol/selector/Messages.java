package io.keel.protocol.selector;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.ByteBuffer;

import io.keel.protocol.message.EncodedMessage;
import io.keel.protocol.message.MessageCodec;
import io.keel.protocol.message.MessageData;

/** The test messages, and evaluation of a selector against both the decoded and the encoded form. */
final class Messages {

    /** The message every evaluation table runs against. */
    static MessageData standard() {
        return new MessageData().setText("body").setPriority(7).setPersistent(true).setMessageId("ID:42")
                .setCorrelationId("corr-1").setType("car").setTimestamp(1_700_000_000_000L)
                .setExpiration(1_800_000_000_000L).setDeliveryTime(1_700_000_000_000L)
                .setProperty("t", true).setProperty("f", false)
                .setProperty("by", (byte) 1).setProperty("sh", (short) 2).setProperty("i", 3).setProperty("l", 4L)
                .setProperty("fl", 1.5f).setProperty("d", 2.5).setProperty("one", 1.0).setProperty("zero", 0)
                .setProperty("s", "red").setProperty("s2", "red").setProperty("e", "").setProperty("n", null)
                .setProperty("big", Long.MAX_VALUE).setProperty("imax", Integer.MAX_VALUE)
                .setProperty("nan", Double.NaN).setProperty("ftenth", 0.1f).setProperty("dtenth", 0.1)
                .setProperty("num", "2").setProperty("sp", "a.b*c[d]\\e^$(f)+?{g}|h").setProperty("under", "_foo")
                .setProperty("pct", "100%").setProperty("bang", "a!b").setProperty("uni", "h\u00e9llo w\u00f6rld \uD83D\uDE00")
                .setProperty("q", "it's").setProperty("color", "red").setProperty("Color", "blue")
                .setProperty("phone1", "123").setProperty("phone2", "12993").setProperty("phone3", "1234")
                .setProperty("word1", "lose").setProperty("word2", "loose").setProperty("JMSXGroupID", "g1");
    }

    /** The encoded form, in a direct buffer behind other bytes, as the store hands messages out. */
    static EncodedMessageSource encoded(MessageData m) {
        byte[] bytes = MessageCodec.encode(m);
        ByteBuffer store = ByteBuffer.allocateDirect(bytes.length + 64);
        store.position(29);
        store.put(bytes);
        store.position(5); // the source must not depend on position or limit
        return new EncodedMessageSource(new EncodedMessage().wrap(store, 29, bytes.length).validate());
    }

    /**
     * Evaluates {@code selector} against {@code m} decoded and encoded, asserts both give
     * {@code expected}, and that {@code NOT (selector)} gives the three-valued negation. Returns the
     * parsed selector.
     */
    static Selector assertTruth(MessageData m, String selector, Truth expected, DeliveryCountProvider dc) {
        Selector s = Selector.parse(selector);
        assertEquals(expected, s.evaluate(new MessageDataSource(m), dc), () -> selector + " on MessageData");
        assertEquals(expected, s.evaluate(encoded(m), dc), () -> selector + " on EncodedMessage");
        assertEquals(expected == Truth.TRUE, s.matches(encoded(m), dc), () -> selector + " matches");
        Truth negated = expected == Truth.TRUE ? Truth.FALSE : expected == Truth.FALSE ? Truth.TRUE : Truth.UNKNOWN;
        Selector not = Selector.parse("NOT (" + selector + ")");
        assertEquals(negated, not.evaluate(new MessageDataSource(m), dc), () -> "NOT (" + selector + ") on MessageData");
        assertEquals(negated, not.evaluate(encoded(m), dc), () -> "NOT (" + selector + ") on EncodedMessage");
        return s;
    }

    private Messages() {
    }
}
