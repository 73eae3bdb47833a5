package io.keel.protocol.message;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import io.keel.protocol.DestinationType;

/** Random {@link MessageData} for property-based tests; deterministic for a given seed. */
final class RandomMessages {

    static final Object[] PROPERTY_EDGE_VALUES = {
        null, true, false,
        (byte) 0, Byte.MIN_VALUE, Byte.MAX_VALUE, (byte) -1,
        (short) 0, Short.MIN_VALUE, Short.MAX_VALUE,
        0, Integer.MIN_VALUE, Integer.MAX_VALUE, -1,
        0L, Long.MIN_VALUE, Long.MAX_VALUE,
        0.0f, -0.0f, Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.MIN_VALUE, Float.MAX_VALUE,
        0.0, -0.0, Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, Double.MIN_VALUE, Double.MAX_VALUE,
        "", "x", "color", "caf\u00e9", "\ud834\udd1e", "\u65e5\u672c", "\ud800", "a\udc00b", "\u0000",
    };

    private final Random r;
    /** Per mille of strings that are longer than 64 KiB. */
    private final int longPerMille;

    RandomMessages(long seed, int longPerMille) {
        this.r = new Random(seed);
        this.longPerMille = longPerMille;
    }

    Random random() {
        return r;
    }

    String string() {
        if (r.nextInt(1000) < longPerMille) {
            return chars(65_536 + r.nextInt(4096), r.nextInt(4));
        }
        return switch (r.nextInt(8)) {
            case 0 -> "";
            case 1, 2 -> chars(1 + r.nextInt(12), 0);
            default -> chars(r.nextInt(40), r.nextInt(4));
        };
    }

    /** {@code mode}: 0 ASCII, 1 BMP, 2 with supplementary characters, 3 anything incl. lone surrogates. */
    private String chars(int n, int mode) {
        StringBuilder sb = new StringBuilder(n + 2);
        while (sb.length() < n) {
            int kind = mode == 0 ? 0 : r.nextInt(mode + 1);
            switch (kind) {
                case 0 -> sb.append((char) (0x20 + r.nextInt(0x5F)));
                case 1 -> {
                    char c = (char) (0x80 + r.nextInt(0xFFFF - 0x80));
                    sb.append(Character.isSurrogate(c) ? 'e' : c);
                }
                case 2 -> sb.appendCodePoint(0x10000 + r.nextInt(Character.MAX_CODE_POINT - 0xFFFF));
                default -> sb.append((char) (0xD800 + r.nextInt(0x800))); // any surrogate, paired or not
            }
        }
        return sb.toString();
    }

    String propertyName() {
        return switch (r.nextInt(4)) {
            case 0 -> "p" + r.nextInt(50);
            case 1 -> "JMSX" + (r.nextBoolean() ? "GroupID" : "GroupSeq");
            default -> string(); // the codec takes any name
        };
    }

    Object propertyValue() {
        if (r.nextInt(4) == 0) {
            return PROPERTY_EDGE_VALUES[r.nextInt(PROPERTY_EDGE_VALUES.length)];
        }
        return switch (r.nextInt(9)) {
            case 0 -> null;
            case 1 -> r.nextBoolean();
            case 2 -> (byte) r.nextInt();
            case 3 -> (short) r.nextInt();
            case 4 -> r.nextInt();
            case 5 -> r.nextLong();
            case 6 -> Float.intBitsToFloat(r.nextInt());
            case 7 -> Double.longBitsToDouble(r.nextLong());
            default -> string();
        };
    }

    Object bodyValue() {
        return switch (r.nextInt(12)) {
            case 0 -> (char) r.nextInt(0x10000);
            case 1 -> bytes();
            default -> propertyValue();
        };
    }

    byte[] bytes() {
        byte[] b = new byte[r.nextInt(8) == 0 ? r.nextInt(3000) : r.nextInt(20)];
        r.nextBytes(b);
        return b;
    }

    DestinationRef destination() {
        if (r.nextInt(4) == 0) {
            return null;
        }
        DestinationType[] kinds = DestinationType.values();
        return new DestinationRef(kinds[r.nextInt(kinds.length)], string());
    }

    MessageData message() {
        BodyType[] types = BodyType.values();
        MessageData m = new MessageData(types[r.nextInt(types.length)]);
        m.setMessageId(r.nextInt(5) == 0 ? null : "ID:" + string());
        m.setTimestamp(r.nextInt(5) == 0 ? 0 : r.nextLong());
        switch (r.nextInt(3)) {
            case 0 -> m.setCorrelationId(string());
            case 1 -> m.setCorrelationIdBytes(bytes());
            default -> {
            }
        }
        m.setDestination(destination());
        m.setReplyTo(destination());
        m.setPersistent(r.nextBoolean());
        m.setExpiration(r.nextInt(3) == 0 ? 0 : r.nextLong());
        m.setPriority(r.nextInt(10));
        m.setType(r.nextInt(3) == 0 ? null : string());
        m.setDeliveryTime(r.nextLong());
        int props = r.nextInt(4) == 0 ? 0 : r.nextInt(12);
        for (int i = 0; i < props; i++) {
            m.setProperty(propertyName(), propertyValue());
        }
        switch (m.bodyType()) {
            case TEXT -> m.setText(r.nextInt(6) == 0 ? null : string());
            case BYTES -> m.setBytes(bytes());
            case OBJECT -> m.setObjectBytes(r.nextInt(6) == 0 ? null : bytes());
            case MAP -> {
                Map<String, Object> map = new LinkedHashMap<>();
                int n = r.nextInt(10);
                for (int i = 0; i < n; i++) {
                    map.put(propertyName(), bodyValue());
                }
                m.setMap(map);
            }
            case STREAM -> {
                List<Object> list = new ArrayList<>();
                int n = r.nextInt(10);
                for (int i = 0; i < n; i++) {
                    list.add(bodyValue());
                }
                m.setStream(list);
            }
            default -> {
            }
        }
        return m;
    }
}
