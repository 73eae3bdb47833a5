package io.keel.protocol.message;

import static org.junit.jupiter.api.Assertions.*;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import io.keel.protocol.DestinationType;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

/** Table-driven round trips: every body type, every header set or not, every value type and edge value. */
class MessageCodecRoundTripTest {

    static final String CLEF = "\ud834\udd1e"; // U+1D11E, outside the BMP
    static final String LONG = "x\u00e9\u20ac" + CLEF + "y".repeat(70_000) + CLEF; // > 64 KiB

    /** One value of every STREAM/MAP type, including null and byte[]. */
    static List<Object> everyBodyValue() {
        List<Object> values = new ArrayList<>(Arrays.asList(RandomMessages.PROPERTY_EDGE_VALUES));
        values.addAll(List.of('a', '\u0000', '\uffff', '\ud800', new byte[0], new byte[] {1, -1, 0, 127, -128}));
        values.add(LONG);
        return values;
    }

    static Stream<Arguments> bodies() {
        Map<String, Object> map = new LinkedHashMap<>();
        List<Object> values = everyBodyValue();
        for (int i = 0; i < values.size(); i++) {
            map.put("k" + i, values.get(i));
        }
        map.put("", "empty name");
        map.put(CLEF, 1);
        byte[] big = new byte[100_000];
        Arrays.fill(big, (byte) 0xA5);
        return Stream.of(
                Arguments.of("MESSAGE", new MessageData(BodyType.MESSAGE)),
                Arguments.of("TEXT null", new MessageData().setText(null)),
                Arguments.of("TEXT empty", new MessageData().setText("")),
                Arguments.of("TEXT ascii", new MessageData().setText("hello")),
                Arguments.of("TEXT non-BMP", new MessageData().setText("G clef " + CLEF)),
                Arguments.of("TEXT lone surrogates", new MessageData().setText("\udc00a\ud800")),
                Arguments.of("TEXT > 64 KiB", new MessageData().setText(LONG)),
                Arguments.of("BYTES empty", new MessageData().setBytes(new byte[0])),
                Arguments.of("BYTES null is empty", new MessageData().setBytes(null)),
                Arguments.of("BYTES", new MessageData().setBytes(new byte[] {0, 1, -1})),
                Arguments.of("BYTES 100 KB", new MessageData().setBytes(big)),
                Arguments.of("OBJECT null", new MessageData().setObjectBytes(null)),
                Arguments.of("OBJECT empty", new MessageData().setObjectBytes(new byte[0])),
                Arguments.of("OBJECT", new MessageData().setObjectBytes(new byte[] {(byte) 0xAC, (byte) 0xED, 0, 5})),
                Arguments.of("MAP empty", new MessageData(BodyType.MAP)),
                Arguments.of("MAP every type", new MessageData().setMap(map)),
                Arguments.of("STREAM empty", new MessageData(BodyType.STREAM)),
                Arguments.of("STREAM every type", new MessageData().setStream(everyBodyValue())),
                Arguments.of("STREAM nulls", new MessageData().setStream(Arrays.asList(null, null, null))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("bodies")
    void bodyRoundTrips(String name, MessageData m) {
        Checks.assertRoundTrip(m);
        m.setProperty("p", 1).setDestination(DestinationRef.queue("q"));
        Checks.assertRoundTrip(m);
    }

    /** Every combination of the eight optional headers being set or not. */
    @Test
    void everyHeaderCombination() {
        int count = 0;
        for (int mask = 0; mask < 1 << 8; mask++) {
            for (int corr = 0; corr < 3; corr++) {
                MessageData m = new MessageData().setText("t");
                m.setMessageId(bit(mask, 0) ? "ID:123" : null);
                m.setTimestamp(bit(mask, 1) ? 1_700_000_000_000L : 0);
                m.setDestination(bit(mask, 2) ? new DestinationRef(DestinationType.TEMPORARY_TOPIC, "tt") : null);
                m.setReplyTo(bit(mask, 3) ? new DestinationRef(DestinationType.TEMPORARY_QUEUE, "r\u00e9") : null);
                m.setPersistent(bit(mask, 4));
                m.setExpiration(bit(mask, 5) ? Long.MAX_VALUE : 0);
                m.setType(bit(mask, 6) ? "" : null);
                m.setDeliveryTime(bit(mask, 7) ? -1 : 0);
                m.setPriority(mask % 10);
                if (corr == 1) {
                    m.setCorrelationId("corr-" + CLEF);
                } else if (corr == 2) {
                    m.setCorrelationIdBytes(new byte[] {1, 2, 3});
                }
                Checks.assertRoundTrip(m);
                count++;
            }
        }
        assertEquals(768, count);
    }

    private static boolean bit(int mask, int i) {
        return (mask & (1 << i)) != 0;
    }

    @Test
    void everyDestinationKind() {
        for (DestinationType kind : DestinationType.values()) {
            MessageData m = new MessageData().setDestination(new DestinationRef(kind, "n"))
                    .setReplyTo(new DestinationRef(kind, ""));
            Checks.assertRoundTrip(m);
        }
    }

    @Test
    void correlationIdFormsAreExclusiveAndRemembered() {
        MessageData m = new MessageData().setCorrelationIdBytes(new byte[0]);
        MessageData d = MessageCodec.decode(Checks.assertRoundTrip(m));
        assertArrayEquals(new byte[0], d.correlationIdBytes());
        assertNull(d.correlationId());
        m.setCorrelationId("");
        d = MessageCodec.decode(Checks.assertRoundTrip(m));
        assertEquals("", d.correlationId());
        assertNull(d.correlationIdBytes());
    }

    @Test
    void everyPropertyEdgeValue() {
        MessageData m = new MessageData();
        Object[] values = RandomMessages.PROPERTY_EDGE_VALUES;
        for (int i = 0; i < values.length; i++) {
            m.setProperty("p" + i, values[i]);
        }
        m.setProperty("long", LONG);
        m.setProperty(CLEF + "name", CLEF);
        m.setProperty("nanPayload", Double.longBitsToDouble(0x7ff8_0000_0000_0001L));
        m.setProperty("floatNanPayload", Float.intBitsToFloat(0x7fc0_0001));
        MessageData d = MessageCodec.decode(Checks.assertRoundTrip(m));
        assertEquals(new ArrayList<>(m.properties().keySet()), new ArrayList<>(d.properties().keySet()),
                "insertion order kept");
        assertEquals(0x7ff8_0000_0000_0001L, Double.doubleToRawLongBits((Double) d.property("nanPayload")));
        assertEquals(0x7fc0_0001, Float.floatToRawIntBits((Float) d.property("floatNanPayload")));
        assertEquals(-0.0, (Double) d.property("p" + Arrays.asList(values).indexOf(-0.0)));
        assertTrue(d.hasProperty("p0") && d.property("p0") == null, "a null-valued property exists");
    }

    @Test
    void onlyJmsPropertyTypesAreAccepted() {
        MessageData m = new MessageData();
        for (Object bad : new Object[] {'c', new byte[1], new Object(), List.of(), m()}) {
            assertThrows(IllegalArgumentException.class, () -> m.setProperty("x", bad), String.valueOf(bad));
        }
        assertThrows(NullPointerException.class, () -> m.setProperty(null, 1));
        assertTrue(m.properties().isEmpty());
    }

    private static Object m() {
        return new java.math.BigDecimal("1.5");
    }

    @Test
    void unsupportedBodyValuesFailTheEncodeAndLeaveTheBufferUntouched() {
        ByteBuf out = Unpooled.buffer();
        out.writeInt(42);
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("ok", 1);
        map.put("bad", new StringBuilder("x"));
        assertThrows(IllegalArgumentException.class, () -> MessageCodec.encode(new MessageData().setMap(map), out));
        List<Object> list = new ArrayList<>(List.of(1, List.of()));
        assertThrows(IllegalArgumentException.class, () -> MessageCodec.encode(new MessageData().setStream(list), out));
        Map<String, Object> nullKey = new java.util.HashMap<>();
        nullKey.put(null, 1);
        assertThrows(IllegalArgumentException.class, () -> MessageCodec.encode(new MessageData().setMap(nullKey), out));
        assertEquals(4, out.writerIndex());
        assertEquals(42, out.getInt(0));
    }

    @Test
    void fixedHeadersAreAtTheDocumentedOffsets() {
        MessageData m = new MessageData().setText("x").setPriority(7).setPersistent(true).setTimestamp(11)
                .setExpiration(22).setDeliveryTime(33).setDestination(DestinationRef.topic("t"));
        ByteBuf b = Unpooled.wrappedBuffer(MessageCodec.encode(m));
        assertEquals(MessageLayout.VERSION, b.getByte(MessageLayout.OFF_VERSION));
        assertEquals(BodyType.TEXT.code(), b.getByte(MessageLayout.OFF_BODY_TYPE));
        assertEquals(MessageLayout.FLAG_PERSISTENT, b.getByte(MessageLayout.OFF_FLAGS));
        assertEquals(7, b.getByte(MessageLayout.OFF_PRIORITY));
        assertEquals(11, b.getLong(MessageLayout.OFF_TIMESTAMP));
        assertEquals(22, b.getLong(MessageLayout.OFF_EXPIRATION));
        assertEquals(33, b.getLong(MessageLayout.OFF_DELIVERY_TIME));
        assertEquals(2, b.getByte(MessageLayout.OFF_DESTINATION), "TOPIC");
        assertEquals(MessageLayout.MIN_SIZE, MessageCodec.encode(new MessageData()).length);
    }

    @Test
    void copyIsDeep() {
        byte[] bytes = {1, 2};
        MessageData m = new MessageData().setStream(new ArrayList<>(List.of(bytes, "s")));
        MessageData c = m.copy();
        assertEquals(m, c);
        bytes[0] = 9;
        assertNotEquals(m, c);
        assertEquals(1, ((byte[]) c.stream().get(0))[0]);
    }

    @Test
    void bodyAccessorsCheckTheType() {
        MessageData m = new MessageData().setText("t");
        assertThrows(IllegalStateException.class, m::bytes);
        assertThrows(IllegalArgumentException.class, () -> m.setPriority(10));
        assertThrows(IllegalArgumentException.class, () -> m.setPriority(-1));
        assertEquals(BodyType.TEXT, m.clearBody().bodyType());
        assertNull(m.text());
    }
}
