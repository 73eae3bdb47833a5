package io.keel.protocol.selector;

import io.keel.protocol.selector.Node.Type;

/**
 * What an identifier refers to. Jakarta Messaging 3.1 section 3.8.1.1: "Message header field references
 * are restricted to JMSDeliveryMode, JMSPriority, JMSMessageID, JMSTimestamp, JMSCorrelationID, and
 * JMSType"; those six read the headers, with the types the headers have. The other header names
 * (JMSDestination, JMSReplyTo, JMSExpiration, JMSRedelivered, JMSDeliveryTime) are therefore not header
 * references; they are read as properties that do not exist, i.e. always NULL (a client cannot set a
 * property of those names, the JMS prefix being reserved). JMSXDeliveryCount is a property, but one
 * known only per delivery: it comes from the {@link DeliveryCountProvider} when one is given.
 */
enum IdentifierKind {
    PROPERTY(Type.ANY),
    DELIVERY_MODE(Type.STRING),
    PRIORITY(Type.NUMERIC),
    MESSAGE_ID(Type.STRING),
    TIMESTAMP(Type.NUMERIC),
    CORRELATION_ID(Type.STRING),
    TYPE(Type.STRING),
    DELIVERY_COUNT(Type.ANY),
    ALWAYS_NULL(Type.ANY);

    /** JMSXDeliveryCount. */
    static final String DELIVERY_COUNT_NAME = "JMSXDeliveryCount";

    private final Type type;

    IdentifierKind(Type type) {
        this.type = type;
    }

    /** The static type: known for the headers, ANY for properties. */
    Type type() {
        return type;
    }

    /** Identifiers are case sensitive, so only these exact spellings are headers. */
    static IdentifierKind of(String name) {
        if (!name.startsWith("JMS")) {
            return PROPERTY;
        }
        return switch (name) {
            case "JMSDeliveryMode" -> DELIVERY_MODE;
            case "JMSPriority" -> PRIORITY;
            case "JMSMessageID" -> MESSAGE_ID;
            case "JMSTimestamp" -> TIMESTAMP;
            case "JMSCorrelationID" -> CORRELATION_ID;
            case "JMSType" -> TYPE;
            case DELIVERY_COUNT_NAME -> DELIVERY_COUNT;
            case "JMSDestination", "JMSReplyTo", "JMSExpiration", "JMSRedelivered", "JMSDeliveryTime" -> ALWAYS_NULL;
            default -> PROPERTY;
        };
    }
}
