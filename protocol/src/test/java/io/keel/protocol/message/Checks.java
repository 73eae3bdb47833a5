package io.keel.protocol.message;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Map;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

/** Shared assertions: full round trips through every encode/decode variant, and flyweight reads. */
final class Checks {

    private Checks() {
    }

    /** Encodes {@code m} every way, decodes every way, checks all agree with {@code m}; returns the bytes. */
    static byte[] assertRoundTrip(MessageData m) {
        byte[] bytes = MessageCodec.encode(m);
        assertEquals(m, MessageCodec.decode(bytes), "decode(byte[])");

        // direct ByteBuf (no backing array: the other UTF-8 write path), between junk bytes
        ByteBuf direct = Unpooled.directBuffer(16);
        try {
            direct.writeBytes(new byte[] {7, 7, 7});
            direct.readerIndex(3);
            MessageCodec.encode(m, direct);
            direct.writeBytes(new byte[] {9, 9});
            assertEquals(bytes.length + 2, direct.readableBytes());
            byte[] again = new byte[bytes.length];
            direct.getBytes(3, again);
            assertArrayEquals(bytes, again, "heap and direct encodings differ");
            assertEquals(m, MessageCodec.decode(direct), "decode(ByteBuf)");
            assertEquals(2, direct.readableBytes(), "decode(ByteBuf) must consume exactly the message");
        } finally {
            direct.release();
        }

        // direct ByteBuffer at an offset, position elsewhere
        ByteBuffer nio = ByteBuffer.allocateDirect(bytes.length + 10);
        nio.position(5);
        nio.put(bytes);
        nio.position(1);
        assertEquals(m, MessageCodec.decode(nio, 5, bytes.length), "decode(ByteBuffer, offset, length)");
        assertEquals(1, nio.position(), "position must not move");

        // a little-endian view must still be read big-endian
        ByteBuffer le = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        EncodedMessage em = new EncodedMessage().wrap(le);
        assertEncodedMatches(em, m);
        assertSame(em, em.validate());
        assertEquals(m, MessageCodec.decode(em));
        assertEquals(bytes.length, EncodedMessage.messageLength(ByteBuffer.wrap(bytes), 0, bytes.length));
        return bytes;
    }

    /** The flyweight reads the same headers and properties as {@code m} holds. */
    static void assertEncodedMatches(EncodedMessage em, MessageData m) {
        assertEquals(m.bodyType(), em.bodyType());
        assertEquals(m.isPersistent(), em.isPersistent());
        assertEquals(m.priority(), em.priority());
        assertEquals(m.timestamp(), em.timestamp());
        assertEquals(m.expiration(), em.expiration());
        assertEquals(m.deliveryTime(), em.deliveryTime());
        assertEquals(m.destination(), em.destination());
        assertEquals(m.destination() == null ? null : m.destination().kind(), em.destinationKind());
        if (m.destination() != null) {
            assertTrue(em.destinationNameEquals(MessageCodec.utf8(m.destination().name())));
            assertFalse(em.destinationNameEquals(MessageCodec.utf8(m.destination().name() + "x")));
        }
        assertEquals(m.replyTo(), em.replyTo());
        assertEquals(m.messageId(), em.messageId());
        assertEquals(m.correlationId(), em.correlationId());
        assertArrayEquals(m.correlationIdBytes(), em.correlationIdBytes());
        assertEquals(m.type(), em.type());
        Object group = m.property("JMSXGroupID");
        assertEquals(group instanceof String ? group : null, em.groupId());

        for (Map.Entry<String, Object> e : m.properties().entrySet()) {
            int pos = em.findProperty(PropertyName.of(e.getKey()));
            assertTrue(pos >= 0, () -> "property not found: " + e.getKey());
            Object v = e.getValue();
            assertEquals(ValueType.of(v), em.propertyType(pos), e.getKey());
            assertEquals(v, em.valueAt(pos), e.getKey());
            assertEquals(v, em.property(PropertyName.of(e.getKey())));
            switch (em.propertyType(pos)) {
                case BOOLEAN -> assertEquals(v, em.booleanAt(pos));
                case BYTE -> assertEquals(v, em.byteAt(pos));
                case SHORT -> assertEquals(v, em.shortAt(pos));
                case INT -> assertEquals(v, em.intAt(pos));
                case LONG -> assertEquals(v, em.longAt(pos));
                case FLOAT -> assertEquals(Float.floatToRawIntBits((Float) v), Float.floatToRawIntBits(em.floatAt(pos)));
                case DOUBLE -> assertEquals(Double.doubleToRawLongBits((Double) v),
                        Double.doubleToRawLongBits(em.doubleAt(pos)));
                case STRING -> {
                    assertEquals(v, em.stringAt(pos));
                    assertTrue(em.stringEquals(pos, MessageCodec.utf8((String) v)));
                    assertFalse(em.stringEquals(pos, MessageCodec.utf8(v + "!")));
                }
                case NULL -> assertNull(em.valueAt(pos));
                default -> fail("not a property type: " + em.propertyType(pos));
            }
            if (em.propertyType(pos) != ValueType.INT) {
                assertThrows(IllegalArgumentException.class, () -> em.intAt(pos));
            }
        }
    }
}
