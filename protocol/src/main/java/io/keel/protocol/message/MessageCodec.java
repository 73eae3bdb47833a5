package io.keel.protocol.message;

import static io.keel.protocol.message.MessageLayout.*;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

/**
 * Encodes {@link MessageData} into the layout of {@link MessageLayout} and decodes it back. Stateless;
 * all methods are static and thread-safe.
 *
 * <p>Decoding checks everything the layout requires (versions, tags, lengths, UTF-8, unique names,
 * exact total length) and throws {@link MessageFormatError} otherwise; every length is checked against
 * the bytes present before anything is allocated, so a forged length cannot cause a large allocation.
 * Encoding throws IllegalArgumentException for data the format cannot carry (a MAP or STREAM value of
 * another type, a null MAP name) and then leaves {@code out} as it was.
 */
public final class MessageCodec {

    private MessageCodec() {
    }

    // ---- encoding ----------------------------------------------------------------------------------

    /** Appends the encoded message at {@code out}'s writer index. */
    public static void encode(MessageData m, ByteBuf out) {
        int start = out.writerIndex();
        try {
            out.writeByte(VERSION);
            out.writeByte(m.bodyType().code());
            out.writeByte(m.isPersistent() ? FLAG_PERSISTENT : 0);
            out.writeByte(m.priority());
            out.writeLong(m.timestamp());
            out.writeLong(m.expiration());
            out.writeLong(m.deliveryTime());
            int headersAt = out.writerIndex();
            out.writeInt(0); // headersLength, patched below
            writeDestination(out, m.destination());
            writeDestination(out, m.replyTo());
            Utf8.writeString(out, m.messageId());
            if (m.correlationIdBytes() != null) {
                out.writeByte(CORR_BYTES);
                out.writeInt(m.correlationIdBytes().length);
                out.writeBytes(m.correlationIdBytes());
            } else if (m.correlationId() != null) {
                out.writeByte(CORR_STRING);
                Utf8.writeString(out, m.correlationId());
            } else {
                out.writeByte(CORR_NONE);
            }
            Utf8.writeString(out, m.type());
            patchLength(out, headersAt);

            int propsAt = out.writerIndex();
            out.writeInt(0);
            for (Map.Entry<String, Object> e : m.properties().entrySet()) {
                Utf8.writeString(out, e.getKey());
                ValueCodec.write(out, e.getValue(), true, "property", e.getKey());
            }
            patchLength(out, propsAt);

            writeBody(m, out);
        } catch (RuntimeException e) {
            out.writerIndex(start);
            throw e;
        }
    }

    /** The encoded message as a new array. */
    public static byte[] encode(MessageData m) {
        ByteBuf b = Unpooled.buffer(256);
        encode(m, b);
        byte[] out = new byte[b.readableBytes()];
        b.readBytes(out);
        return out;
    }

    /**
     * The canonical encoded bytes of a string in this format (no length prefix), e.g. to compare a
     * property's string value in place with {@link EncodedMessage#stringEquals}.
     */
    public static byte[] utf8(String s) {
        return Utf8.encode(s);
    }

    private static void writeDestination(ByteBuf out, DestinationRef d) {
        if (d == null) {
            out.writeByte(DEST_NONE);
        } else {
            out.writeByte(DestinationRef.code(d.kind()));
            Utf8.writeString(out, d.name());
        }
    }

    private static void writeBody(MessageData m, ByteBuf out) {
        int at = out.writerIndex();
        out.writeInt(0);
        switch (m.bodyType()) {
            case MESSAGE -> {
            }
            case TEXT -> {
                String text = m.text();
                if (text == null) {
                    out.setInt(at, NULL_LENGTH);
                    return;
                }
                Utf8.write(out, text, Utf8.encodedLength(text));
            }
            case BYTES -> out.writeBytes(m.bytes());
            case OBJECT -> {
                if (m.objectBytes() == null) {
                    out.setInt(at, NULL_LENGTH);
                    return;
                }
                out.writeBytes(m.objectBytes());
            }
            case MAP -> {
                for (Map.Entry<String, Object> e : m.map().entrySet()) {
                    if (e.getKey() == null) {
                        throw new IllegalArgumentException("MAP body: null name");
                    }
                    Utf8.writeString(out, e.getKey());
                    ValueCodec.write(out, e.getValue(), false, "MAP entry", e.getKey());
                }
            }
            case STREAM -> {
                for (Object v : m.stream()) {
                    ValueCodec.write(out, v, false, "STREAM value", null);
                }
            }
        }
        patchLength(out, at);
    }

    private static void patchLength(ByteBuf out, int at) {
        out.setInt(at, out.writerIndex() - at - 4);
    }

    // ---- decoding ----------------------------------------------------------------------------------

    /**
     * Decodes the bytes from {@code buf}'s position to its limit, which must be exactly one message.
     * The buffer's position is not changed.
     */
    public static MessageData decode(ByteBuffer buf) {
        return decode(buf, buf.position(), buf.remaining());
    }

    /** Decodes the message of exactly {@code length} bytes at absolute index {@code offset}. */
    public static MessageData decode(ByteBuffer buf, int offset, int length) {
        EncodedMessage em = new EncodedMessage().wrap(buf, offset, length);
        return decode(em);
    }

    /** Decodes a whole array, which must be exactly one message. */
    public static MessageData decode(byte[] bytes) {
        return decode(ByteBuffer.wrap(bytes));
    }

    /**
     * Decodes the one message that starts at {@code in}'s reader index (the message says its own length;
     * bytes after it are left) and advances the reader index past it.
     */
    public static MessageData decode(ByteBuf in) {
        ByteBuffer nio = in.nioBuffer(in.readerIndex(), in.readableBytes());
        int length = EncodedMessage.messageLength(nio, nio.position(), nio.remaining());
        MessageData m = decode(nio, nio.position(), length);
        in.skipBytes(length);
        return m;
    }

    /** Decodes a wrapped message (its section lengths already checked by {@link EncodedMessage#wrap}). */
    public static MessageData decode(EncodedMessage em) {
        ByteBuffer buf = em.buffer();
        int base = em.offset();
        MessageData m = new MessageData(em.bodyType());
        m.setPersistent(em.isPersistent()).setPriority(em.priority()).setTimestamp(em.timestamp())
                .setExpiration(em.expiration()).setDeliveryTime(em.deliveryTime());

        Cursor c = new Cursor().reset(buf, base, base + FIXED_SIZE, em.propertiesLengthIndex());
        m.setDestination(Headers.readDestination(c, Headers.DEST, Headers.DEST_NAME));
        m.setReplyTo(Headers.readDestination(c, Headers.REPLY_TO, Headers.REPLY_TO_NAME));
        m.setMessageId(c.string(Headers.MESSAGE_ID, true));
        switch (Headers.correlationKind(c)) {
            case CORR_STRING -> m.setCorrelationId(c.string(Headers.CORR, false));
            case CORR_BYTES -> m.setCorrelationIdBytes(c.bytes(c.length(Headers.CORR_BYTES_WHAT, false)));
            default -> {
            }
        }
        m.setType(c.string(Headers.TYPE, true));
        Headers.requireEnd(c);

        c.reset(buf, base, em.propertiesStart(), em.propertiesEnd());
        while (c.hasRemaining()) {
            int at = c.pos;
            String name = c.string("property name", false);
            if (m.hasProperty(name)) {
                throw c.error("duplicate property " + name, at);
            }
            m.setProperty(name, ValueCodec.read(c, true, "property value"));
        }

        int bodyLength = em.bodyLength();
        int bodyStart = em.bodyStart();
        c.reset(buf, base, bodyStart, bodyStart + Math.max(bodyLength, 0));
        switch (em.bodyType()) {
            case MESSAGE -> {
            }
            case TEXT -> m.setText(bodyLength < 0 ? null : Utf8.decode(buf, bodyStart, bodyLength, base, "TEXT body"));
            case BYTES -> m.setBytes(c.bytes(bodyLength));
            case OBJECT -> m.setObjectBytes(bodyLength < 0 ? null : c.bytes(bodyLength));
            case MAP -> {
                Map<String, Object> map = new LinkedHashMap<>();
                while (c.hasRemaining()) {
                    int at = c.pos;
                    String name = c.string("MAP entry name", false);
                    Object v = ValueCodec.read(c, false, "MAP entry value");
                    if (map.containsKey(name)) {
                        throw c.error("duplicate MAP entry " + name, at);
                    }
                    map.put(name, v);
                }
                m.setMap(map);
            }
            case STREAM -> {
                List<Object> list = new ArrayList<>();
                while (c.hasRemaining()) {
                    list.add(ValueCodec.read(c, false, "STREAM value"));
                }
                m.setStream(list);
            }
        }
        return m;
    }
}
