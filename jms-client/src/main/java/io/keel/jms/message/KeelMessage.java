package io.keel.jms.message;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;

import io.keel.jms.destination.KeelDestination;
import io.keel.protocol.message.BodyType;
import io.keel.protocol.message.MessageData;
import jakarta.jms.DeliveryMode;
import jakarta.jms.Destination;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageFormatException;
import jakarta.jms.MessageNotReadableException;
import jakarta.jms.MessageNotWriteableException;

/**
 * Keel's {@link Message}: the JMS API semantics (read-only states, property conversions, exceptions)
 * over a {@link MessageData}, which holds the headers, properties and body that go on the wire. This
 * class is also the message with no body; the five body types extend it.
 *
 * <p>Life cycle. Created by the session ({@code new KeelTextMessage()} etc., or {@link #create}): headers,
 * properties and body writable. Sent: the producer sets the headers and encodes {@link #toData()}; the
 * object stays the application's to reuse. Received: the consumer builds it with {@link #fromData}
 * (properties and body read-only, Bytes/Stream in read mode), then calls {@link #markDelivered} and, in
 * CLIENT_ACKNOWLEDGE mode, {@link #setAcknowledger}. A message of another provider is sent through
 * {@link #copyOf}.
 *
 * <p>Not thread-safe, like every JMS message.
 */
public class KeelMessage implements Message {

    /** Headers, properties and (except for Bytes in write mode) the body. */
    final MessageData data;
    /** The body is read-only: received, or (Bytes/Stream) in read mode after reset(). */
    boolean bodyReadOnly;
    private boolean propertiesReadOnly;
    private boolean redelivered;
    private int deliveryCount;
    private Acknowledger acknowledger;
    /** The objects given to / returned by the destination headers, so a getter returns what was set. */
    private Destination destination;
    private Destination replyTo;

    /** A new message with no body. */
    public KeelMessage() {
        this(new MessageData(BodyType.MESSAGE));
    }

    KeelMessage(MessageData data) {
        this.data = data;
    }

    /** A new, empty, writable message of a body type (what the session's createXxxMessage returns). */
    public static KeelMessage create(BodyType type) {
        return switch (type) {
            case MESSAGE -> new KeelMessage();
            case TEXT -> new KeelTextMessage();
            case BYTES -> new KeelBytesMessage();
            case MAP -> new KeelMapMessage();
            case STREAM -> new KeelStreamMessage();
            case OBJECT -> new KeelObjectMessage();
        };
    }

    /**
     * A received message over decoded data (not copied): the subclass of its body type, properties and
     * body read-only, a BytesMessage or StreamMessage in read mode at the start. JMSRedelivered and
     * JMSXDeliveryCount are not in the data: call {@link #markDelivered} next.
     */
    public static KeelMessage fromData(MessageData data) {
        KeelMessage m = switch (data.bodyType()) {
            case MESSAGE -> new KeelMessage(data);
            case TEXT -> new KeelTextMessage(data);
            case BYTES -> new KeelBytesMessage(data);
            case MAP -> new KeelMapMessage(data);
            case STREAM -> new KeelStreamMessage(data);
            case OBJECT -> new KeelObjectMessage(data);
        };
        m.enterReceivedState();
        return m;
    }

    /**
     * A Keel message with the headers, properties and body of another provider's message, so it can be
     * sent (the specification requires accepting foreign messages). JMSRedelivered and the JMSX
     * properties set by the provider (all but JMSXGroupID and JMSXGroupSeq) are not copied. A foreign
     * BytesMessage or StreamMessage is left reset (in read mode), as reading its body requires.
     */
    public static KeelMessage copyOf(Message foreign) throws JMSException {
        return ForeignMessages.copy(foreign);
    }

    /**
     * The data to encode and send, with the body as it is now (Bytes and Stream: everything written so far,
     * in whatever mode). This is the message's own data, not a copy: encode it before changing the message
     * again. Does not change the message's state.
     */
    public MessageData toData() {
        syncBody();
        return data;
    }

    /** Brings {@link #data}'s body up to date (BytesMessage keeps its bytes elsewhere while writing). */
    void syncBody() {
    }

    /** The state after receive: properties and body read-only. Subclasses also position their reader. */
    void enterReceivedState() {
        propertiesReadOnly = true;
        bodyReadOnly = true;
    }

    /**
     * Records a delivery: JMSXDeliveryCount = {@code deliveryCount} (1 on the first delivery) and
     * JMSRedelivered = {@code deliveryCount > 1}. Called by the consumer for each received message.
     */
    public void markDelivered(int deliveryCount) {
        this.deliveryCount = deliveryCount;
        this.redelivered = deliveryCount > 1;
    }

    /** What {@link #acknowledge()} calls; null (the default) makes acknowledge() do nothing. */
    public void setAcknowledger(Acknowledger acknowledger) {
        this.acknowledger = acknowledger;
    }

    // ---- headers -----------------------------------------------------------------------------------

    @Override
    public String getJMSMessageID() {
        return data.messageId();
    }

    @Override
    public void setJMSMessageID(String id) {
        data.setMessageId(id);
    }

    @Override
    public long getJMSTimestamp() {
        return data.timestamp();
    }

    @Override
    public void setJMSTimestamp(long timestamp) {
        data.setTimestamp(timestamp);
    }

    /** A copy of the byte[] form, or the UTF-8 bytes of the String form, or null. */
    @Override
    public byte[] getJMSCorrelationIDAsBytes() {
        if (data.correlationIdBytes() != null) {
            return data.correlationIdBytes().clone();
        }
        return data.correlationId() == null ? null : data.correlationId().getBytes(StandardCharsets.UTF_8);
    }

    /** Sets the byte[] form (copied), replacing a String form. */
    @Override
    public void setJMSCorrelationIDAsBytes(byte[] correlationID) {
        data.setCorrelationIdBytes(correlationID == null ? null : correlationID.clone());
    }

    /** Sets the String form, replacing a byte[] form. */
    @Override
    public void setJMSCorrelationID(String correlationID) {
        data.setCorrelationId(correlationID);
    }

    /**
     * The String form; null if the correlation id was set as bytes (the byte[] form is provider-native
     * and not a string: selectors do not see it either).
     */
    @Override
    public String getJMSCorrelationID() {
        return data.correlationId();
    }

    @Override
    public Destination getJMSReplyTo() {
        if (replyTo == null && data.replyTo() != null) {
            replyTo = KeelDestination.of(data.replyTo());
        }
        return replyTo;
    }

    /**
     * Another provider's queue or topic is carried by name; its temporary destinations cannot be
     * (InvalidDestinationException).
     */
    @Override
    public void setJMSReplyTo(Destination replyTo) throws JMSException {
        KeelDestination k = KeelDestination.from(replyTo);
        data.setReplyTo(k == null ? null : k.toRef());
        this.replyTo = replyTo;
    }

    @Override
    public Destination getJMSDestination() {
        if (destination == null && data.destination() != null) {
            destination = KeelDestination.of(data.destination());
        }
        return destination;
    }

    /** Set by the producer on send; as {@link #setJMSReplyTo} for other providers' destinations. */
    @Override
    public void setJMSDestination(Destination destination) throws JMSException {
        KeelDestination k = KeelDestination.from(destination);
        data.setDestination(k == null ? null : k.toRef());
        this.destination = destination;
    }

    @Override
    public int getJMSDeliveryMode() {
        return data.isPersistent() ? DeliveryMode.PERSISTENT : DeliveryMode.NON_PERSISTENT;
    }

    /** JMSException unless DeliveryMode.PERSISTENT or NON_PERSISTENT. */
    @Override
    public void setJMSDeliveryMode(int deliveryMode) throws JMSException {
        if (deliveryMode != DeliveryMode.PERSISTENT && deliveryMode != DeliveryMode.NON_PERSISTENT) {
            throw new JMSException("delivery mode " + deliveryMode + " is neither DeliveryMode.PERSISTENT ("
                    + DeliveryMode.PERSISTENT + ") nor DeliveryMode.NON_PERSISTENT (" + DeliveryMode.NON_PERSISTENT + ")");
        }
        data.setPersistent(deliveryMode == DeliveryMode.PERSISTENT);
    }

    @Override
    public boolean getJMSRedelivered() {
        return redelivered;
    }

    @Override
    public void setJMSRedelivered(boolean redelivered) {
        this.redelivered = redelivered;
    }

    @Override
    public String getJMSType() {
        return data.type();
    }

    @Override
    public void setJMSType(String type) {
        data.setType(type);
    }

    @Override
    public long getJMSExpiration() {
        return data.expiration();
    }

    @Override
    public void setJMSExpiration(long expiration) {
        data.setExpiration(expiration);
    }

    @Override
    public long getJMSDeliveryTime() {
        return data.deliveryTime();
    }

    @Override
    public void setJMSDeliveryTime(long deliveryTime) {
        data.setDeliveryTime(deliveryTime);
    }

    @Override
    public int getJMSPriority() {
        return data.priority();
    }

    /** JMSException unless 0-9. */
    @Override
    public void setJMSPriority(int priority) throws JMSException {
        if (priority < 0 || priority > 9) {
            throw new JMSException("priority " + priority + " is not within 0-9");
        }
        data.setPriority(priority);
    }

    // ---- properties --------------------------------------------------------------------------------

    /** Removes every property (JMSXDeliveryCount included) and makes the properties writable. */
    @Override
    public void clearProperties() {
        data.clearProperties();
        deliveryCount = 0;
        propertiesReadOnly = false;
    }

    @Override
    public boolean propertyExists(String name) {
        return isDeliveryCount(name) || data.hasProperty(name);
    }

    @Override
    public boolean getBooleanProperty(String name) throws JMSException {
        return Conversions.toBoolean(property(name));
    }

    @Override
    public byte getByteProperty(String name) throws JMSException {
        return Conversions.toByte(property(name));
    }

    @Override
    public short getShortProperty(String name) throws JMSException {
        return Conversions.toShort(property(name));
    }

    @Override
    public int getIntProperty(String name) throws JMSException {
        return Conversions.toInt(property(name));
    }

    @Override
    public long getLongProperty(String name) throws JMSException {
        return Conversions.toLong(property(name));
    }

    @Override
    public float getFloatProperty(String name) throws JMSException {
        return Conversions.toFloat(property(name));
    }

    @Override
    public double getDoubleProperty(String name) throws JMSException {
        return Conversions.toDouble(property(name));
    }

    @Override
    public String getStringProperty(String name) throws JMSException {
        return Conversions.toText(property(name));
    }

    @Override
    public Object getObjectProperty(String name) {
        return property(name);
    }

    /** The names of the properties set, in the order set, and JMSXDeliveryCount once delivered. */
    @Override
    public Enumeration<String> getPropertyNames() {
        List<String> names = new ArrayList<>(data.properties().keySet());
        if (deliveryCount > 0) {
            names.add(PropertyRules.JMSX_DELIVERY_COUNT);
        }
        return Collections.enumeration(names);
    }

    @Override
    public void setBooleanProperty(String name, boolean value) throws JMSException {
        putProperty(name, value);
    }

    @Override
    public void setByteProperty(String name, byte value) throws JMSException {
        putProperty(name, value);
    }

    @Override
    public void setShortProperty(String name, short value) throws JMSException {
        putProperty(name, value);
    }

    @Override
    public void setIntProperty(String name, int value) throws JMSException {
        putProperty(name, value);
    }

    @Override
    public void setLongProperty(String name, long value) throws JMSException {
        putProperty(name, value);
    }

    @Override
    public void setFloatProperty(String name, float value) throws JMSException {
        putProperty(name, value);
    }

    @Override
    public void setDoubleProperty(String name, double value) throws JMSException {
        putProperty(name, value);
    }

    @Override
    public void setStringProperty(String name, String value) throws JMSException {
        putProperty(name, value);
    }

    /**
     * Accepts Boolean, Byte, Short, Integer, Long, Float, Double, String and null (section 3.12: every
     * set method accepts null, which then reads as null); any other class: MessageFormatException.
     */
    @Override
    public void setObjectProperty(String name, Object value) throws JMSException {
        putProperty(name, value);
    }

    private boolean isDeliveryCount(String name) {
        return deliveryCount > 0 && PropertyRules.JMSX_DELIVERY_COUNT.equals(name);
    }

    private Object property(String name) {
        return isDeliveryCount(name) ? Integer.valueOf(deliveryCount) : data.property(name);
    }

    /** Name (IllegalArgumentException), value type (MessageFormatException), then writability. */
    private void putProperty(String name, Object value) throws JMSException {
        PropertyRules.checkName(name);
        PropertyRules.checkValue(name, value);
        if (propertiesReadOnly) {
            throw new MessageNotWriteableException("the properties of a received message are read-only until"
                    + " clearProperties() is called (setting " + name + ")");
        }
        data.setProperty(name, value);
    }

    // ---- body --------------------------------------------------------------------------------------

    /** Empties the body and makes it writable (Bytes/Stream: write mode); properties stay. */
    @Override
    public void clearBody() throws JMSException {
        data.clearBody();
        bodyReadOnly = false;
    }

    /** A message with no body: null for any type. Subclasses implement their rule. */
    @Override
    public <T> T getBody(Class<T> c) throws JMSException {
        return null;
    }

    /** A message with no body: true for any type. */
    @Override
    public boolean isBodyAssignableTo(@SuppressWarnings("rawtypes") Class c) throws JMSException {
        return true;
    }

    /** Delegates to the {@link Acknowledger} the consumer set; nothing without one. */
    @Override
    public void acknowledge() throws JMSException {
        Acknowledger a = acknowledger;
        if (a != null) {
            a.acknowledge();
        }
    }

    void checkBodyWritable() throws MessageNotWriteableException {
        if (bodyReadOnly) {
            throw new MessageNotWriteableException("the message body is read-only (a received message, or reset()"
                    + " was called) until clearBody() is called");
        }
    }

    /** For BytesMessage and StreamMessage, which are write-only until reset(). */
    void checkBodyReadable() throws MessageNotReadableException {
        if (!bodyReadOnly) {
            throw new MessageNotReadableException("the message body is write-only until reset() is called");
        }
    }

    /** getBody's rule for a body that exists: the body if {@code c} can hold it, else MessageFormatException. */
    static <T> T bodyAs(Object body, Class<T> c, String messageType) throws MessageFormatException {
        if (c.isInstance(body)) {
            return c.cast(body);
        }
        throw new MessageFormatException("the body of this " + messageType + " is a " + body.getClass().getTypeName()
                + ", which cannot be assigned to " + c.getTypeName());
    }

    /** A short description of the body for {@link #toString()}, never its content; "" if none. */
    String bodySummary() {
        return "";
    }

    /** Type, id, destination and delivery state, for logs; never the body. */
    @Override
    public String toString() {
        StringBuilder b = new StringBuilder(getClass().getSimpleName().replace("Keel", "")).append('[');
        b.append("id=").append(data.messageId());
        if (data.destination() != null) {
            b.append(", destination=").append(KeelDestination.of(data.destination()));
        }
        if (deliveryCount > 0) {
            b.append(", deliveryCount=").append(deliveryCount);
        }
        if (redelivered) {
            b.append(", redelivered");
        }
        String body = bodySummary();
        if (!body.isEmpty()) {
            b.append(", ").append(body);
        }
        return b.append(']').toString();
    }
}
