package io.keel.protocol.selector;

import io.keel.protocol.message.PropertyName;
import io.keel.protocol.message.ValueType;

/**
 * What a selector reads from a message: the six header fields a selector may reference and the
 * properties, looked up by a {@link PropertyName} made once when the selector is parsed. Properties are
 * addressed by a handle (as in {@link io.keel.protocol.message.EncodedMessage#findProperty}), so that a
 * byte-oriented source can answer without allocating.
 *
 * <p>Implementations: {@link EncodedMessageSource} (the broker: in place over the encoded bytes, no
 * allocation) and {@link MessageDataSource} (the client and tests). A source is used by one thread at a
 * time. Handles are valid until the source is pointed at another message; the evaluator keeps at most
 * a few alive at once.
 */
public interface SelectorSource {

    /** JMSPriority, 0-9. */
    int priority();

    /** JMSTimestamp in ms (0 if the producer disabled timestamps). */
    long timestamp();

    /** Whether JMSDeliveryMode is PERSISTENT. */
    boolean isPersistent();

    /** JMSMessageID, or null. */
    String messageId();

    /** JMSCorrelationID in its string form, or null (also when only the byte[] form is set). */
    String correlationId();

    /** JMSType, or null. */
    String type();

    /** A handle to property {@code name}'s value, or -1 if the message has no such property. */
    int findProperty(PropertyName name);

    /** The type of the value at {@code handle}; {@link ValueType#NULL} for a property set to null. */
    ValueType propertyType(int handle);

    boolean booleanAt(int handle);

    byte byteAt(int handle);

    short shortAt(int handle);

    int intAt(int handle);

    long longAt(int handle);

    float floatAt(int handle);

    double doubleAt(int handle);

    /** The STRING value at {@code handle} (may allocate). */
    String stringAt(int handle);

    /**
     * Whether the STRING value at {@code handle} equals {@code value}; {@code utf8} is
     * {@code value}'s encoding in the message format, given so that a byte-oriented source compares
     * in place.
     */
    boolean stringEquals(int handle, String value, byte[] utf8);

    /** Whether the STRING value at {@code handle} matches {@code pattern}. */
    boolean stringMatches(int handle, LikePattern pattern);
}
