package io.keel.protocol.message;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.ByteBuffer;

import org.junit.jupiter.api.Test;

/** Property-based: random messages (fixed seed) survive encode/decode and read right through the flyweight. */
class MessageCodecRandomTest {

    static final int MESSAGES = 10_000;

    @Test
    void tenThousandRandomMessagesRoundTrip() {
        RandomMessages gen = new RandomMessages(20240611L, 2);
        EncodedMessage em = new EncodedMessage();
        int properties = 0;
        int absentChecked = 0;
        for (int i = 0; i < MESSAGES; i++) {
            MessageData m = gen.message();
            byte[] bytes;
            if (i % 10 == 0) {
                bytes = Checks.assertRoundTrip(m); // every variant, for a tenth of them
            } else {
                bytes = MessageCodec.encode(m);
                MessageData d = MessageCodec.decode(bytes);
                assertEquals(m, d, () -> "message " + m);
                assertArrayEquals(bytes, MessageCodec.encode(d), "re-encoding differs");
            }
            em.wrap(ByteBuffer.wrap(bytes)).validate();
            Checks.assertEncodedMatches(em, m);
            properties += m.properties().size();
            for (int k = 0; k < 3; k++) {
                String absent = gen.propertyName();
                if (!m.hasProperty(absent)) {
                    assertEquals(-1, em.findProperty(PropertyName.of(absent)), absent);
                    absentChecked++;
                }
            }
        }
        assertTrue(properties > 30_000, "the generator must produce properties: " + properties);
        assertTrue(absentChecked > 10_000, "absent lookups: " + absentChecked);
    }
}
