package io.keel.protocol.message;

import static org.junit.jupiter.api.Assertions.*;

import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.keel.protocol.DestinationType;

/** The flyweight: lookups without allocation, typed reads, validation of what decode would reject. */
class EncodedMessageTest {

    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    private static MessageData sample() {
        return new MessageData().setText("body").setPriority(8).setPersistent(false).setExpiration(123)
                .setDeliveryTime(456).setTimestamp(789).setDestination(new DestinationRef(DestinationType.QUEUE, "orders"))
                .setMessageId("ID:42").setType("order").setCorrelationId("c-1")
                .setProperty("JMSXGroupID", "g1").setProperty("color", "red").setProperty("weight", 2.5)
                .setProperty("count", 7).setProperty("big", Long.MIN_VALUE).setProperty("ok", true)
                .setProperty("nothing", null).setProperty("s", (short) -3).setProperty("b", (byte) 9)
                .setProperty("f", -0.0f);
    }

    @Test
    void readsHeadersAndPropertiesInPlace() {
        byte[] bytes = MessageCodec.encode(sample());
        // in a direct buffer, behind other data, as the store hands it out
        ByteBuffer store = ByteBuffer.allocateDirect(bytes.length + 100);
        store.position(37);
        store.put(bytes);
        EncodedMessage em = new EncodedMessage().wrap(store, 37, bytes.length).validate();
        assertEquals(37, em.offset());
        assertEquals(bytes.length, em.length());
        assertEquals(8, em.priority());
        assertFalse(em.isPersistent());
        assertEquals(123, em.expiration());
        assertEquals(456, em.deliveryTime());
        assertEquals(789, em.timestamp());
        assertEquals(BodyType.TEXT, em.bodyType());
        assertEquals(DestinationType.QUEUE, em.destinationKind());
        assertTrue(em.destinationNameEquals(MessageCodec.utf8("orders")));
        assertFalse(em.destinationNameEquals(MessageCodec.utf8("order")));
        assertEquals("g1", em.groupId());
        assertEquals("ID:42", em.messageId());
        assertEquals("c-1", em.correlationId());
        assertNull(em.correlationIdBytes());
        assertEquals("order", em.type());
        assertNull(em.replyTo());
        assertEquals(4, em.bodyLength());

        int color = em.findProperty(PropertyName.of("color"));
        assertEquals(ValueType.STRING, em.propertyType(color));
        assertEquals("red", em.stringAt(color));
        assertTrue(em.stringEquals(color, MessageCodec.utf8("red")));
        assertEquals(2.5, em.doubleAt(em.findProperty("weight")));
        assertEquals(7, em.intAt(em.findProperty("count")));
        assertEquals(Long.MIN_VALUE, em.longAt(em.findProperty("big")));
        assertTrue(em.booleanAt(em.findProperty("ok")));
        assertEquals(-3, em.shortAt(em.findProperty("s")));
        assertEquals(9, em.byteAt(em.findProperty("b")));
        assertEquals(Float.floatToRawIntBits(-0.0f), Float.floatToRawIntBits(em.floatAt(em.findProperty("f"))));
        int nothing = em.findProperty("nothing");
        assertTrue(nothing >= 0, "a null-valued property exists");
        assertEquals(ValueType.NULL, em.propertyType(nothing));
        assertNull(em.valueAt(nothing));
        assertEquals(-1, em.findProperty("Color"), "names are case-sensitive");
        assertEquals(-1, em.findProperty("colo"));
        assertEquals(-1, em.findProperty("colors"));
        assertThrows(IllegalArgumentException.class, () -> em.intAt(color));
        assertEquals(37, store.position() - bytes.length, "position untouched");
    }

    @Test
    void propertyLookupDoesNotAllocate() {
        byte[] bytes = MessageCodec.encode(sample());
        ByteBuffer heap = ByteBuffer.wrap(bytes);
        ByteBuffer direct = ByteBuffer.allocateDirect(bytes.length).put(bytes).flip();
        EncodedMessage em = new EncodedMessage();
        PropertyName color = PropertyName.of("color");
        PropertyName count = PropertyName.of("count");
        PropertyName absent = PropertyName.of("absent");
        byte[] red = MessageCodec.utf8("red");
        byte[] orders = MessageCodec.utf8("orders");
        long sum = 0;
        for (int warm = 0; warm < 2; warm++) {
            long before = THREADS.getCurrentThreadAllocatedBytes();
            for (int i = 0; i < 20_000; i++) {
                em.wrap(i % 2 == 0 ? heap : direct, 0, bytes.length);
                sum += em.priority() + em.expiration() + em.deliveryTime() + (em.isPersistent() ? 1 : 0);
                sum += em.stringEquals(em.findProperty(color), red) ? 1 : 0;
                sum += em.intAt(em.findProperty(count));
                sum += em.findProperty(absent);
                sum += em.destinationNameEquals(orders) ? 1 : 0;
                sum += em.destinationKind().ordinal();
            }
            long allocated = THREADS.getCurrentThreadAllocatedBytes() - before;
            if (warm == 1) {
                assertTrue(allocated < 2048, "20,000 lookups allocated " + allocated + " bytes");
            }
        }
        assertTrue(sum != 0);
    }

    @Test
    void validateAllocatesNothingOnceWarm() {
        Map<String, Object> map = new LinkedHashMap<>();
        for (int i = 0; i < 100; i++) {
            map.put("k" + i, i);
        }
        byte[] bytes = MessageCodec.encode(new MessageData().setMap(map).setProperty("a", "\u00e9"));
        ByteBuffer buf = ByteBuffer.wrap(bytes);
        EncodedMessage em = new EncodedMessage();
        em.wrap(buf).validate();
        long before = THREADS.getCurrentThreadAllocatedBytes();
        for (int i = 0; i < 1000; i++) {
            em.wrap(buf).validate();
        }
        long allocated = THREADS.getCurrentThreadAllocatedBytes() - before;
        assertTrue(allocated < 2048, "1,000 validations allocated " + allocated + " bytes");
    }

    @Test
    void validateRejectsWhatDecodeRejects() {
        // duplicate MAP names among many (the hash-set path)
        Map<String, Object> map = new LinkedHashMap<>();
        for (int i = 0; i < 300; i++) {
            map.put("k" + (1000 + i), i);
        }
        byte[] b = MessageCodec.encode(new MessageData().setMap(map));
        String last = "k" + (1000 + 299);
        int at = lastIndexOf(b, MessageCodec.utf8(last));
        System.arraycopy(MessageCodec.utf8("k1000"), 0, b, at, 5);
        MessageFormatError e = assertThrows(MessageFormatError.class, () -> new EncodedMessage().wrap(ByteBuffer.wrap(b)).validate());
        assertTrue(e.getMessage().contains("duplicate MAP entry name"), e.getMessage());
        assertThrows(MessageFormatError.class, () -> MessageCodec.decode(b));

        // a boolean byte other than 0 or 1
        byte[] s = MessageCodec.encode(new MessageData().setStream(new java.util.ArrayList<>(List.of(true))));
        s[s.length - 1] = 2;
        assertThrows(MessageFormatError.class, () -> new EncodedMessage().wrap(ByteBuffer.wrap(s)).validate());
        assertThrows(MessageFormatError.class, () -> MessageCodec.decode(s));
    }

    @Test
    void lookupsOnGarbledPropertiesFailCleanly() {
        byte[] b = MessageCodec.encode(new MessageData().setProperty("a", 1).setProperty("b", 2));
        EncodedMessage em = new EncodedMessage().wrap(ByteBuffer.wrap(b));
        int tag = em.findProperty("a");
        b[tag] = 99; // unknown tag: the entry can no longer be skipped
        assertThrows(MessageFormatError.class, () -> em.findProperty("b"));
        b[tag] = ValueType.BYTES.code(); // not a property type
        assertThrows(MessageFormatError.class, () -> em.findProperty("b"));
    }

    @Test
    void messageLengthReadsTheSelfDescribedLength() {
        byte[] one = MessageCodec.encode(sample());
        byte[] two = new byte[one.length + 5];
        System.arraycopy(one, 0, two, 0, one.length);
        assertEquals(one.length, EncodedMessage.messageLength(ByteBuffer.wrap(two), 0, two.length));
        assertThrows(MessageFormatError.class, () -> EncodedMessage.messageLength(ByteBuffer.wrap(one), 0, one.length - 1));
        assertThrows(IndexOutOfBoundsException.class, () -> new EncodedMessage().wrap(ByteBuffer.wrap(one), 1, one.length));
    }

    private static int lastIndexOf(byte[] hay, byte[] needle) {
        for (int i = hay.length - needle.length; i >= 0; i--) {
            if (java.util.Arrays.equals(hay, i, i + needle.length, needle, 0, needle.length)) {
                return i;
            }
        }
        throw new AssertionError("not found");
    }
}
