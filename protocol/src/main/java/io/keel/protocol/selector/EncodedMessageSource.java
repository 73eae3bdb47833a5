package io.keel.protocol.selector;

import java.nio.ByteBuffer;

import io.keel.protocol.message.EncodedMessage;
import io.keel.protocol.message.PropertyName;
import io.keel.protocol.message.ValueType;

/**
 * A {@link SelectorSource} over an {@link EncodedMessage}: the broker's way to evaluate a selector on
 * the stored bytes. Reusable: keep one per thread and {@link #wrap} it over each message.
 *
 * <p>Allocation: none for the fixed headers (JMSPriority, JMSTimestamp, JMSDeliveryMode) or for
 * properties compared with literals, tested with IN, LIKE or IS NULL, or used in arithmetic. The
 * string headers JMSMessageID, JMSCorrelationID and JMSType are decoded into a String each time they
 * are read, because EncodedMessage offers no in-place comparison for them; comparing two string
 * properties with each other decodes both.
 *
 * <p>LIKE reads the property's UTF-8 bytes in place, from the typed-value layout that
 * {@link io.keel.protocol.message.MessageLayout} documents (tag byte, i32 length, bytes), at the index
 * {@link EncodedMessage#findProperty} returns; findProperty has already checked that the length fits.
 */
public final class EncodedMessageSource implements SelectorSource {

    private EncodedMessage message;

    public EncodedMessageSource() {
    }

    public EncodedMessageSource(EncodedMessage message) {
        this.message = message;
    }

    /** Points this source at {@code message} (which may itself be re-wrapped later); returns this. */
    public EncodedMessageSource wrap(EncodedMessage message) {
        this.message = message;
        return this;
    }

    public EncodedMessage message() {
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
        return message.findProperty(name);
    }

    @Override
    public ValueType propertyType(int handle) {
        return message.propertyType(handle);
    }

    @Override
    public boolean booleanAt(int handle) {
        return message.booleanAt(handle);
    }

    @Override
    public byte byteAt(int handle) {
        return message.byteAt(handle);
    }

    @Override
    public short shortAt(int handle) {
        return message.shortAt(handle);
    }

    @Override
    public int intAt(int handle) {
        return message.intAt(handle);
    }

    @Override
    public long longAt(int handle) {
        return message.longAt(handle);
    }

    @Override
    public float floatAt(int handle) {
        return message.floatAt(handle);
    }

    @Override
    public double doubleAt(int handle) {
        return message.doubleAt(handle);
    }

    @Override
    public String stringAt(int handle) {
        return message.stringAt(handle);
    }

    @Override
    public boolean stringEquals(int handle, String value, byte[] utf8) {
        return message.stringEquals(handle, utf8);
    }

    @Override
    public boolean stringMatches(int handle, LikePattern pattern) {
        if (message.propertyType(handle) != ValueType.STRING) {
            throw new IllegalArgumentException("value at " + handle + " is not a STRING");
        }
        ByteBuffer b = message.buffer();
        return pattern.matches(b, handle + 5, b.getInt(handle + 1));
    }
}
