package io.keel.protocol.selector;

import java.util.Arrays;

import io.keel.protocol.message.MessageData;
import io.keel.protocol.message.PropertyName;
import io.keel.protocol.message.ValueType;

/**
 * A {@link SelectorSource} over a decoded {@link MessageData}, for the client (e.g. a check on the
 * client side of a QueueBrowser) and tests. Reusable with {@link #wrap}.
 *
 * <p>Handles are slots of a small ring holding the values looked up: a handle stays valid for the
 * next {@value #SLOTS} - 1 lookups, far more than the evaluator keeps alive at once (three, for
 * BETWEEN). No allocation beyond what MessageData's map lookup does; LIKE encodes the string.
 */
public final class MessageDataSource implements SelectorSource {

    private static final int SLOTS = 16;

    private final Object[] slots = new Object[SLOTS];
    private int next;
    private MessageData message;

    public MessageDataSource() {
    }

    public MessageDataSource(MessageData message) {
        this.message = message;
    }

    /** Points this source at {@code message}; returns this. */
    public MessageDataSource wrap(MessageData message) {
        this.message = message;
        Arrays.fill(slots, null);
        next = 0;
        return this;
    }

    public MessageData message() {
        return message;
    }

    @Override
    public int priority() {
        return message.priority();
    }

    @Override
    public long timestamp() {
        return message.timestamp();
    }

    @Override
    public boolean isPersistent() {
        return message.isPersistent();
    }

    @Override
    public String messageId() {
        return message.messageId();
    }

    @Override
    public String correlationId() {
        return message.correlationId();
    }

    @Override
    public String type() {
        return message.type();
    }

    @Override
    public int findProperty(PropertyName name) {
        Object v = message.property(name.name());
        if (v == null && !message.hasProperty(name.name())) {
            return -1;
        }
        int h = next;
        slots[h] = v;
        next = (h + 1) & (SLOTS - 1);
        return h;
    }

    @Override
    public ValueType propertyType(int handle) {
        return ValueType.of(slots[handle]);
    }

    @Override
    public boolean booleanAt(int handle) {
        return (Boolean) slots[handle];
    }

    @Override
    public byte byteAt(int handle) {
        return (Byte) slots[handle];
    }

    @Override
    public short shortAt(int handle) {
        return (Short) slots[handle];
    }

    @Override
    public int intAt(int handle) {
        return (Integer) slots[handle];
    }

    @Override
    public long longAt(int handle) {
        return (Long) slots[handle];
    }

    @Override
    public float floatAt(int handle) {
        return (Float) slots[handle];
    }

    @Override
    public double doubleAt(int handle) {
        return (Double) slots[handle];
    }

    @Override
    public String stringAt(int handle) {
        return (String) slots[handle];
    }

    @Override
    public boolean stringEquals(int handle, String value, byte[] utf8) {
        return value.equals(slots[handle]);
    }

    @Override
    public boolean stringMatches(int handle, LikePattern pattern) {
        return pattern.matches((String) slots[handle]);
    }
}
