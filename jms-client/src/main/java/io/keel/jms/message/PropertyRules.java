package io.keel.jms.message;

import io.keel.protocol.message.PropertyNames;
import jakarta.jms.MessageFormatException;

/**
 * What a client may set as a message property (sections 3.5.1-3.5.5 and 3.5.9): the name rules, the
 * value types, and the JMSX properties a client may set. Kept out of {@link KeelMessage} so the rules
 * are in one place that {@link ForeignMessages} shares.
 */
final class PropertyRules {

    /** Set by the provider on receive: the number of delivery attempts. */
    static final String JMSX_DELIVERY_COUNT = "JMSXDeliveryCount";
    /** Set by the client: message group, a String. */
    static final String JMSX_GROUP_ID = "JMSXGroupID";
    /** Set by the client: sequence in the group, an int. */
    static final String JMSX_GROUP_SEQ = "JMSXGroupSeq";

    private PropertyRules() {
    }

    /**
     * The name rules: a selector identifier (Java identifier, not NULL, TRUE, FALSE, NOT, AND, OR,
     * BETWEEN, LIKE, IN, IS, ESCAPE; see {@link PropertyNames}), and of the JMSX names only JMSXGroupID and
     * JMSXGroupSeq, the others being set by the provider. The 3.1 javadoc of setXxxProperty names
     * IllegalArgumentException for a null or empty name and no exception for other invalid names; Keel
     * throws IllegalArgumentException for every invalid name, so that all name errors look alike.
     */
    static void checkName(String name) {
        PropertyNames.requireValid(name);
        if (isProviderSet(name)) {
            throw new IllegalArgumentException("property " + name + " is set by the provider: of the JMSX"
                    + " properties, a client may set only JMSXGroupID and JMSXGroupSeq");
        }
    }

    /** A JMSX property that only the provider sets (all but JMSXGroupID and JMSXGroupSeq). */
    static boolean isProviderSet(String name) {
        return name.startsWith("JMSX") && !name.equals(JMSX_GROUP_ID) && !name.equals(JMSX_GROUP_SEQ);
    }

    /**
     * The value types: Boolean, Byte, Short, Integer, Long, Float, Double, String and null (section 3.12:
     * every set method accepts null, which then reads as null); JMSXGroupID only a String and JMSXGroupSeq
     * only an int (or null). MessageFormatException otherwise.
     */
    static void checkValue(String name, Object value) throws MessageFormatException {
        if (!(value == null || value instanceof Boolean || value instanceof Byte || value instanceof Short
                || value instanceof Integer || value instanceof Long || value instanceof Float
                || value instanceof Double || value instanceof String)) {
            throw new MessageFormatException("property " + name + ": a " + value.getClass().getName()
                    + " is not a property type (Boolean, Byte, Short, Integer, Long, Float, Double, String)");
        }
        if (JMSX_GROUP_ID.equals(name) && !(value == null || value instanceof String)) {
            throw new MessageFormatException("JMSXGroupID is a String, not a " + Conversions.typeName(value));
        }
        if (JMSX_GROUP_SEQ.equals(name) && !(value == null || value instanceof Integer)) {
            throw new MessageFormatException("JMSXGroupSeq is an int, not a " + Conversions.typeName(value));
        }
    }
}
