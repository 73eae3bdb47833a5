package io.keel.protocol.message;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A JMS message as plain mutable data: headers, properties and body, with no JMS API semantics (read
 * only / write only modes, type conversions, exceptions) — the client's message classes wrap it and add
 * those. {@link MessageCodec} turns it into bytes and back.
 *
 * <p>Not part of it: JMSRedelivered and JMSXDeliveryCount, which the broker sends with each delivery.
 *
 * <p>Values are not copied on the way in or out (byte arrays included): the owner decides when to copy,
 * e.g. with {@link #copy()} when a sender may reuse its message after send.
 *
 * <p>Properties: the value types are exactly those of JMS properties (Boolean, Byte, Short, Integer,
 * Long, Float, Double, String) plus null. A null value is stored as a property that exists with a null
 * value, because the specification (JMS 2.0 section 3.12) lets every set method take null and read it
 * back as null; {@link #removeProperty} removes one. Names are not checked here (the client checks them
 * with {@link PropertyNames} and picks the JMS exception); any non-null string works.
 */
public final class MessageData {

    /** JMS default priority. */
    public static final int DEFAULT_PRIORITY = 4;

    private BodyType bodyType = BodyType.MESSAGE;
    private Object body;

    private String messageId;
    private long timestamp;
    private String correlationId;
    private byte[] correlationIdBytes;
    private DestinationRef destination;
    private DestinationRef replyTo;
    private boolean persistent = true;
    private long expiration;
    private int priority = DEFAULT_PRIORITY;
    private String type;
    private long deliveryTime;

    private final LinkedHashMap<String, Object> properties = new LinkedHashMap<>();

    public MessageData() {
    }

    /** A new message of the given body type with an empty body (see {@link #setBodyType}). */
    public MessageData(BodyType bodyType) {
        setBodyType(bodyType);
    }

    // ---- headers -----------------------------------------------------------------------------------

    public String messageId() {
        return messageId;
    }

    /** JMSMessageID; null when the producer disabled message ids. */
    public MessageData setMessageId(String messageId) {
        this.messageId = messageId;
        return this;
    }

    public long timestamp() {
        return timestamp;
    }

    /** JMSTimestamp in ms since the epoch; 0 when the producer disabled timestamps. */
    public MessageData setTimestamp(long timestamp) {
        this.timestamp = timestamp;
        return this;
    }

    /** JMSCorrelationID as a string; null if unset or if the byte[] form is set. */
    public String correlationId() {
        return correlationId;
    }

    /** Sets the string form and clears the byte[] form. */
    public MessageData setCorrelationId(String correlationId) {
        this.correlationId = correlationId;
        this.correlationIdBytes = null;
        return this;
    }

    /** JMSCorrelationID as bytes; null if unset or if the string form is set. */
    public byte[] correlationIdBytes() {
        return correlationIdBytes;
    }

    /** Sets the byte[] form (not copied) and clears the string form. */
    public MessageData setCorrelationIdBytes(byte[] correlationIdBytes) {
        this.correlationIdBytes = correlationIdBytes;
        this.correlationId = null;
        return this;
    }

    public DestinationRef destination() {
        return destination;
    }

    public MessageData setDestination(DestinationRef destination) {
        this.destination = destination;
        return this;
    }

    public DestinationRef replyTo() {
        return replyTo;
    }

    public MessageData setReplyTo(DestinationRef replyTo) {
        this.replyTo = replyTo;
        return this;
    }

    /** JMSDeliveryMode is PERSISTENT. */
    public boolean isPersistent() {
        return persistent;
    }

    public MessageData setPersistent(boolean persistent) {
        this.persistent = persistent;
        return this;
    }

    public long expiration() {
        return expiration;
    }

    /** JMSExpiration in ms since the epoch; 0 = never. */
    public MessageData setExpiration(long expiration) {
        this.expiration = expiration;
        return this;
    }

    public int priority() {
        return priority;
    }

    /** JMSPriority, 0-9; IllegalArgumentException otherwise. */
    public MessageData setPriority(int priority) {
        if (priority < 0 || priority > 9) {
            throw new IllegalArgumentException("priority " + priority + " is not within 0-9");
        }
        this.priority = priority;
        return this;
    }

    public String type() {
        return type;
    }

    /** JMSType. */
    public MessageData setType(String type) {
        this.type = type;
        return this;
    }

    public long deliveryTime() {
        return deliveryTime;
    }

    /** JMSDeliveryTime in ms since the epoch. */
    public MessageData setDeliveryTime(long deliveryTime) {
        this.deliveryTime = deliveryTime;
        return this;
    }

    // ---- properties --------------------------------------------------------------------------------

    /** The properties in insertion order, read-only. */
    public Map<String, Object> properties() {
        return Collections.unmodifiableMap(properties);
    }

    public boolean hasProperty(String name) {
        return properties.containsKey(name);
    }

    /** The value, or null if absent or null-valued. */
    public Object property(String name) {
        return properties.get(name);
    }

    /**
     * Sets a property (a new name goes last, an existing one keeps its place). IllegalArgumentException
     * if the value is not null, Boolean, Byte, Short, Integer, Long, Float, Double or String.
     */
    public MessageData setProperty(String name, Object value) {
        Objects.requireNonNull(name, "property name");
        ValueType t = ValueType.of(value);
        if (t == null || !t.isPropertyType()) {
            throw new IllegalArgumentException("property " + name + ": unsupported value type "
                    + value.getClass().getName());
        }
        properties.put(name, value);
        return this;
    }

    public MessageData removeProperty(String name) {
        properties.remove(name);
        return this;
    }

    public MessageData clearProperties() {
        properties.clear();
        return this;
    }

    // ---- body --------------------------------------------------------------------------------------

    public BodyType bodyType() {
        return bodyType;
    }

    /**
     * Sets the body type and an empty body: no body for MESSAGE, null for TEXT and OBJECT, an empty
     * array for BYTES, an empty insertion-ordered map for MAP, an empty list for STREAM.
     */
    public MessageData setBodyType(BodyType bodyType) {
        this.bodyType = Objects.requireNonNull(bodyType, "bodyType");
        this.body = switch (bodyType) {
            case MESSAGE, TEXT, OBJECT -> null;
            case BYTES -> new byte[0];
            case MAP -> new LinkedHashMap<String, Object>();
            case STREAM -> new ArrayList<>();
        };
        return this;
    }

    /** Empties the body, keeping the body type. */
    public MessageData clearBody() {
        return setBodyType(bodyType);
    }

    /** TEXT body (may be null). */
    public String text() {
        expect(BodyType.TEXT);
        return (String) body;
    }

    /** Makes this a TEXT message with the given text (may be null). */
    public MessageData setText(String text) {
        bodyType = BodyType.TEXT;
        body = text;
        return this;
    }

    /** BYTES body, never null. */
    public byte[] bytes() {
        expect(BodyType.BYTES);
        return (byte[]) body;
    }

    /** Makes this a BYTES message; null is taken as empty. */
    public MessageData setBytes(byte[] bytes) {
        bodyType = BodyType.BYTES;
        body = bytes == null ? new byte[0] : bytes;
        return this;
    }

    /**
     * MAP body: the live insertion-ordered map. Values may be null, Boolean, Byte, Short, Character,
     * Integer, Long, Float, Double, String or byte[]; others make {@link MessageCodec#encode} fail.
     */
    @SuppressWarnings("unchecked")
    public Map<String, Object> map() {
        expect(BodyType.MAP);
        return (Map<String, Object>) body;
    }

    /** Makes this a MAP message holding {@code map} itself (null is taken as empty). */
    public MessageData setMap(Map<String, Object> map) {
        bodyType = BodyType.MAP;
        body = map == null ? new LinkedHashMap<String, Object>() : map;
        return this;
    }

    /** STREAM body: the live list; same value types as {@link #map()}. */
    @SuppressWarnings("unchecked")
    public List<Object> stream() {
        expect(BodyType.STREAM);
        return (List<Object>) body;
    }

    /** Makes this a STREAM message holding {@code stream} itself (null is taken as empty). */
    public MessageData setStream(List<Object> stream) {
        bodyType = BodyType.STREAM;
        body = stream == null ? new ArrayList<>() : stream;
        return this;
    }

    /** OBJECT body: the Java-serialized object, or null. */
    public byte[] objectBytes() {
        expect(BodyType.OBJECT);
        return (byte[]) body;
    }

    /** Makes this an OBJECT message; the client did the serialization. */
    public MessageData setObjectBytes(byte[] serialized) {
        bodyType = BodyType.OBJECT;
        body = serialized;
        return this;
    }

    /** The body as stored (String, byte[], Map, List or null), whatever the type. */
    public Object body() {
        return body;
    }

    private void expect(BodyType t) {
        if (bodyType != t) {
            throw new IllegalStateException("body type is " + bodyType + ", not " + t);
        }
    }

    // ---- copy, equality ----------------------------------------------------------------------------

    /** A deep copy: a change to either (byte arrays included) does not show in the other. */
    public MessageData copy() {
        MessageData m = new MessageData();
        m.bodyType = bodyType;
        m.messageId = messageId;
        m.timestamp = timestamp;
        m.correlationId = correlationId;
        m.correlationIdBytes = correlationIdBytes == null ? null : correlationIdBytes.clone();
        m.destination = destination;
        m.replyTo = replyTo;
        m.persistent = persistent;
        m.expiration = expiration;
        m.priority = priority;
        m.type = type;
        m.deliveryTime = deliveryTime;
        m.properties.putAll(properties);
        m.body = switch (bodyType) {
            case MESSAGE, TEXT -> body;
            case BYTES, OBJECT -> body == null ? null : ((byte[]) body).clone();
            case MAP -> {
                LinkedHashMap<String, Object> copy = new LinkedHashMap<>();
                map().forEach((k, v) -> copy.put(k, v instanceof byte[] b ? b.clone() : v));
                yield copy;
            }
            case STREAM -> {
                List<Object> copy = new ArrayList<>(stream().size());
                stream().forEach(v -> copy.add(v instanceof byte[] b ? b.clone() : v));
                yield copy;
            }
        };
        return m;
    }

    /**
     * Equal headers, properties (same names and values; order ignored) and body (byte arrays by
     * content, MAP ignoring order, STREAM in order). Floating-point values compare as by
     * {@link Double#equals}: NaN equals NaN, 0.0 differs from -0.0.
     */
    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof MessageData m)) {
            return false;
        }
        return bodyType == m.bodyType && timestamp == m.timestamp && persistent == m.persistent
                && expiration == m.expiration && priority == m.priority && deliveryTime == m.deliveryTime
                && Objects.equals(messageId, m.messageId) && Objects.equals(correlationId, m.correlationId)
                && Arrays.equals(correlationIdBytes, m.correlationIdBytes)
                && Objects.equals(destination, m.destination) && Objects.equals(replyTo, m.replyTo)
                && Objects.equals(type, m.type) && properties.equals(m.properties) && bodyEquals(m);
    }

    private boolean bodyEquals(MessageData m) {
        return switch (bodyType) {
            case MESSAGE -> true;
            case TEXT -> Objects.equals(body, m.body);
            case BYTES, OBJECT -> Arrays.equals((byte[]) body, (byte[]) m.body);
            case MAP -> {
                Map<String, Object> a = map();
                Map<String, Object> b = m.map();
                if (a.size() != b.size()) {
                    yield false;
                }
                for (Map.Entry<String, Object> e : a.entrySet()) {
                    if (!b.containsKey(e.getKey()) || !Objects.deepEquals(e.getValue(), b.get(e.getKey()))) {
                        yield false;
                    }
                }
                yield true;
            }
            case STREAM -> {
                List<Object> a = stream();
                List<Object> b = m.stream();
                if (a.size() != b.size()) {
                    yield false;
                }
                for (int i = 0; i < a.size(); i++) {
                    if (!Objects.deepEquals(a.get(i), b.get(i))) {
                        yield false;
                    }
                }
                yield true;
            }
        };
    }

    /** Consistent with {@link #equals}; hashes headers and property names only, which is enough. */
    @Override
    public int hashCode() {
        return Objects.hash(bodyType, messageId, timestamp, correlationId, Arrays.hashCode(correlationIdBytes),
                destination, replyTo, persistent, expiration, priority, type, deliveryTime, properties.keySet());
    }

    @Override
    public String toString() {
        return "MessageData[" + bodyType + " id=" + messageId + " dest=" + destination + " prio=" + priority
                + (persistent ? " persistent" : " non-persistent") + " props=" + properties.keySet() + "]";
    }
}
