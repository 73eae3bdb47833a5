package io.keel.protocol.message;

import static io.keel.protocol.message.MessageLayout.*;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Objects;

import io.keel.protocol.DestinationType;

/**
 * A flyweight over one encoded message in a {@link ByteBuffer}: reads headers and looks up properties
 * in place, without decoding the message. Made for the broker (dispatch, expiry, priority, message
 * groups, selectors); create one per thread and {@link #wrap} it over each message in turn.
 *
 * <p>{@link #wrap} checks the fixed part and the section lengths (O(1)); accessors then check the part
 * they read and throw {@link MessageFormatError} if it is garbled. {@link #validate()} checks the whole
 * message once, e.g. when the broker receives it from a client, so that the store only holds messages
 * every consumer can decode. The buffer's position and limit are never used or changed.
 *
 * <p>Property lookup: {@link #findProperty(PropertyName)} returns the absolute index of the value's
 * type tag, or -1; the typed accessors ({@link #intAt}, {@link #stringAt}, ...) read the value there.
 * Lookups compare UTF-8 bytes in place and allocate nothing; only methods returning a String, a byte[]
 * or a boxed value allocate. Not thread-safe.
 */
public final class EncodedMessage {

    private ByteBuffer buf;
    private int offset;
    private int length;
    private int propsLenIndex;
    private int bodyLength;
    private final Cursor cursor = new Cursor();
    private MessageValidator validator;

    /**
     * Wraps the message of exactly {@code length} bytes at absolute index {@code offset}. Throws
     * MessageFormatError if the fixed part or the section lengths are wrong, or the message is not
     * exactly {@code length} bytes long; IndexOutOfBoundsException if the range is outside the buffer.
     */
    public EncodedMessage wrap(ByteBuffer buf, int offset, int length) {
        Objects.checkFromIndexSize(offset, length, buf.limit());
        ByteBuffer b = bigEndian(buf);
        int actual = messageLength(b, offset, length);
        if (actual != length) {
            throw new MessageFormatError("message ends after " + actual + " bytes but " + length
                    + " were given (trailing bytes)", actual);
        }
        this.buf = b;
        this.offset = offset;
        this.length = length;
        this.propsLenIndex = offset + FIXED_SIZE + b.getInt(offset + OFF_HEADERS_LENGTH);
        int bodyLenIndex = propsLenIndex + 4 + b.getInt(propsLenIndex);
        this.bodyLength = b.getInt(bodyLenIndex);
        return this;
    }

    /** Wraps the bytes from {@code buf}'s position to its limit, which must be exactly one message. */
    public EncodedMessage wrap(ByteBuffer buf) {
        return wrap(buf, buf.position(), buf.remaining());
    }

    /**
     * The length of the message that starts at absolute index {@code offset}, as its section lengths
     * say, checking the fixed part and that the message fits within the {@code available} bytes.
     */
    public static int messageLength(ByteBuffer buf, int offset, int available) {
        Objects.checkFromIndexSize(offset, available, buf.limit());
        ByteBuffer b = bigEndian(buf);
        if (available < 1) {
            throw new MessageFormatError("empty input: no format version byte", 0);
        }
        int version = b.get(offset + OFF_VERSION) & 0xFF;
        if (version != VERSION) {
            throw new MessageFormatError("unknown message format version " + version + " (this reader knows "
                    + VERSION + ")", OFF_VERSION);
        }
        if (available < FIXED_SIZE) {
            throw new MessageFormatError("truncated fixed header: needs " + FIXED_SIZE + " bytes, " + available
                    + " present", available);
        }
        int bodyCode = b.get(offset + OFF_BODY_TYPE);
        BodyType bodyType = BodyType.ofCode(bodyCode);
        if (bodyType == null) {
            throw new MessageFormatError("unknown body type " + bodyCode, OFF_BODY_TYPE);
        }
        int flags = b.get(offset + OFF_FLAGS) & 0xFF;
        if ((flags & ~KNOWN_FLAGS) != 0) {
            throw new MessageFormatError("unknown flags 0x" + Integer.toHexString(flags), OFF_FLAGS);
        }
        int priority = b.get(offset + OFF_PRIORITY) & 0xFF;
        if (priority > 9) {
            throw new MessageFormatError("priority " + priority + " is not within 0-9", OFF_PRIORITY);
        }
        int h = b.getInt(offset + OFF_HEADERS_LENGTH);
        int left = available - FIXED_SIZE;
        if (h < MIN_HEADERS_LENGTH || h > left - 8) {
            throw new MessageFormatError("headersLength " + h + " is not within " + MIN_HEADERS_LENGTH + " and "
                    + (left - 8) + " (the bytes present)", OFF_HEADERS_LENGTH);
        }
        int at = FIXED_SIZE + h;
        int p = b.getInt(offset + at);
        left = available - at - 4;
        if (p < 0 || p > left - 4) {
            throw new MessageFormatError("propertiesLength " + p + " is not within 0 and " + (left - 4)
                    + " (the bytes present)", at);
        }
        at += 4 + p;
        int bl = b.getInt(offset + at);
        left = available - at - 4;
        if (bl < NULL_LENGTH || bl > left || (bl == NULL_LENGTH && !bodyType.nullableBody())
                || (bodyType == BodyType.MESSAGE && bl != 0)) {
            throw new MessageFormatError("bodyLength " + bl + " is invalid for a " + bodyType + " body with "
                    + left + " bytes present", at);
        }
        return at + 4 + Math.max(bl, 0);
    }

    private static ByteBuffer bigEndian(ByteBuffer buf) {
        return buf.order() == ByteOrder.BIG_ENDIAN ? buf : buf.duplicate().order(ByteOrder.BIG_ENDIAN);
    }

    // ---- where things are --------------------------------------------------------------------------

    /** The wrapped buffer (big-endian; a duplicate if the original was not). */
    public ByteBuffer buffer() {
        return buf;
    }

    /** Absolute index of the message start. */
    public int offset() {
        return offset;
    }

    /** Length of the whole message in bytes. */
    public int length() {
        return length;
    }

    int propertiesLengthIndex() {
        return propsLenIndex;
    }

    /** Absolute index of the first property entry. */
    public int propertiesStart() {
        return propsLenIndex + 4;
    }

    /** Absolute index just past the last property entry. */
    public int propertiesEnd() {
        return propsLenIndex + 4 + buf.getInt(propsLenIndex);
    }

    /** Absolute index of the body's first byte. */
    public int bodyStart() {
        return propertiesEnd() + 4;
    }

    /** Body length in bytes; -1 for a null TEXT or OBJECT body. */
    public int bodyLength() {
        return bodyLength;
    }

    // ---- fixed headers: one absolute get each ------------------------------------------------------

    public BodyType bodyType() {
        return BodyType.ofCode(buf.get(offset + OFF_BODY_TYPE));
    }

    public boolean isPersistent() {
        return (buf.get(offset + OFF_FLAGS) & FLAG_PERSISTENT) != 0;
    }

    public int priority() {
        return buf.get(offset + OFF_PRIORITY);
    }

    public long timestamp() {
        return buf.getLong(offset + OFF_TIMESTAMP);
    }

    /** JMSExpiration, 0 = never. */
    public long expiration() {
        return buf.getLong(offset + OFF_EXPIRATION);
    }

    public long deliveryTime() {
        return buf.getLong(offset + OFF_DELIVERY_TIME);
    }

    // ---- variable headers --------------------------------------------------------------------------

    /** The JMSDestination kind (at a fixed offset), or null if the message has none. */
    public DestinationType destinationKind() {
        int code = buf.get(offset + OFF_DESTINATION);
        if (code == DEST_NONE) {
            return null;
        }
        DestinationType kind = DestinationRef.kindOf(code);
        if (kind == null) {
            throw new MessageFormatError("JMSDestination: invalid destination kind " + code, OFF_DESTINATION);
        }
        return kind;
    }

    /** Whether JMSDestination's name is {@code utf8} (see {@link MessageCodec#utf8}); no allocation. */
    public boolean destinationNameEquals(byte[] utf8) {
        if (destinationKind() == null) {
            return false;
        }
        Cursor c = headers();
        c.pos++;
        int n = c.length(Headers.DEST_NAME, false);
        return n == utf8.length && Utf8.regionEquals(buf, c.pos, utf8);
    }

    public DestinationRef destination() {
        return Headers.readDestination(headers(), Headers.DEST, Headers.DEST_NAME);
    }

    public DestinationRef replyTo() {
        Cursor c = headers();
        Headers.skipDestination(c, Headers.DEST, Headers.DEST_NAME, false);
        return Headers.readDestination(c, Headers.REPLY_TO, Headers.REPLY_TO_NAME);
    }

    public String messageId() {
        return Headers.toMessageId(headers()).string(Headers.MESSAGE_ID, true);
    }

    /** JMSCorrelationID in its string form; null if absent or in byte[] form. */
    public String correlationId() {
        Cursor c = Headers.toCorrelationId(headers());
        return Headers.correlationKind(c) == CORR_STRING ? c.string(Headers.CORR, false) : null;
    }

    /** JMSCorrelationID in its byte[] form; null if absent or in string form. */
    public byte[] correlationIdBytes() {
        Cursor c = Headers.toCorrelationId(headers());
        return Headers.correlationKind(c) == CORR_BYTES ? c.bytes(c.length(Headers.CORR_BYTES_WHAT, false)) : null;
    }

    public String type() {
        Cursor c = Headers.toCorrelationId(headers());
        Headers.skipCorrelationId(c, false);
        return c.string(Headers.TYPE, true);
    }

    /** JMSXGroupID if set as a string property, else null. */
    public String groupId() {
        int pos = findProperty(PropertyName.JMSX_GROUP_ID);
        return pos >= 0 && propertyType(pos) == ValueType.STRING ? stringAt(pos) : null;
    }

    private Cursor headers() {
        return cursor.reset(buf, offset, offset + FIXED_SIZE, propsLenIndex);
    }

    // ---- properties --------------------------------------------------------------------------------

    /**
     * The absolute index of the type tag of property {@code name}'s value, or -1 if the message has no
     * such property. Checks the structure of the entries it passes. No allocation.
     */
    public int findProperty(PropertyName name) {
        byte[] key = name.utf8();
        Cursor c = cursor.reset(buf, offset, propertiesStart(), propertiesEnd());
        while (c.hasRemaining()) {
            int n = c.length("property name", false);
            int namePos = c.pos;
            c.pos += n;
            int valuePos = c.pos;
            ValueCodec.skip(c, true, false, "property value");
            if (n == key.length && Utf8.regionEquals(buf, namePos, key)) {
                return valuePos;
            }
        }
        return -1;
    }

    /** Convenience for {@link #findProperty(PropertyName)}; encodes the name, so it allocates. */
    public int findProperty(String name) {
        return findProperty(PropertyName.of(name));
    }

    /** The property's value boxed (null if absent or null-valued); allocates. */
    public Object property(PropertyName name) {
        int pos = findProperty(name);
        return pos < 0 ? null : valueAt(pos);
    }

    /** The type of the value whose tag is at {@code pos} (as returned by {@link #findProperty}). */
    public ValueType propertyType(int pos) {
        return ValueType.ofCode(buf.get(pos));
    }

    public boolean booleanAt(int pos) {
        return buf.get(expect(pos, ValueType.BOOLEAN)) != 0;
    }

    public byte byteAt(int pos) {
        return buf.get(expect(pos, ValueType.BYTE));
    }

    public short shortAt(int pos) {
        return buf.getShort(expect(pos, ValueType.SHORT));
    }

    public int intAt(int pos) {
        return buf.getInt(expect(pos, ValueType.INT));
    }

    public long longAt(int pos) {
        return buf.getLong(expect(pos, ValueType.LONG));
    }

    public float floatAt(int pos) {
        return Float.intBitsToFloat(buf.getInt(expect(pos, ValueType.FLOAT)));
    }

    public double doubleAt(int pos) {
        return Double.longBitsToDouble(buf.getLong(expect(pos, ValueType.DOUBLE)));
    }

    /** The STRING value at {@code pos}, decoded (allocates). */
    public String stringAt(int pos) {
        int p = expect(pos, ValueType.STRING);
        return Utf8.decode(buf, p + 4, buf.getInt(p), offset, "property value");
    }

    /** Whether the STRING value at {@code pos} is {@code utf8} (see {@link MessageCodec#utf8}); no allocation. */
    public boolean stringEquals(int pos, byte[] utf8) {
        int p = expect(pos, ValueType.STRING);
        return buf.getInt(p) == utf8.length && Utf8.regionEquals(buf, p + 4, utf8);
    }

    /** The value at {@code pos}, boxed (allocates). */
    public Object valueAt(int pos) {
        return switch (propertyType(pos)) {
            case NULL -> null;
            case BOOLEAN -> booleanAt(pos);
            case BYTE -> byteAt(pos);
            case SHORT -> shortAt(pos);
            case INT -> intAt(pos);
            case LONG -> longAt(pos);
            case FLOAT -> floatAt(pos);
            case DOUBLE -> doubleAt(pos);
            case STRING -> stringAt(pos);
            default -> throw new IllegalArgumentException("no property value at " + pos);
        };
    }

    /** Checks the tag at {@code pos} and returns the index of the value after it. */
    private int expect(int pos, ValueType t) {
        int code = buf.get(pos);
        if (code != t.code()) {
            throw new IllegalArgumentException("value at " + pos + " is " + ValueType.ofCode(code) + ", not " + t);
        }
        return pos + 1;
    }

    // ---- full validation ---------------------------------------------------------------------------

    /**
     * Checks everything {@link MessageCodec#decode} would, without building objects: header kinds and
     * lengths, the UTF-8 of every string, value tags and sizes, unique property and MAP names. Returns
     * this; throws MessageFormatError at the first problem. Reuses its tables, so it allocates nothing
     * once warmed up.
     */
    public EncodedMessage validate() {
        if (validator == null) {
            validator = new MessageValidator();
        }
        validator.validate(this);
        return this;
    }
}
