package io.keel.store.recovery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckpointTest {

    @TempDir
    Path dir;

    @Test
    void roundTripsThroughTheFile() throws Exception {
        Checkpoint c = new Checkpoint(123_456_789L, 123_000_000L, 10_000, 1_700_000_000_000L);
        c.write(dir.resolve("checkpoint"));
        assertEquals(Checkpoint.SIZE, Files.size(dir.resolve("checkpoint")));
        assertEquals(c, Checkpoint.read(dir.resolve("checkpoint")));
        assertNull(Checkpoint.read(dir.resolve("missing")));
    }

    @Test
    void anyDamageIsDetected() {
        ByteBuffer good = new Checkpoint(1, 2, 3, 4).encode();
        for (int i = 0; i < Checkpoint.SIZE; i++) {
            ByteBuffer b = ByteBuffer.allocate(Checkpoint.SIZE).put(good.duplicate()).flip();
            b.put(i, (byte) (b.get(i) ^ 1));
            assertThrows(Checkpoint.CorruptException.class, () -> Checkpoint.decode(b, dir), "byte " + i);
        }
        assertThrows(Checkpoint.CorruptException.class, () -> Checkpoint.decode(ByteBuffer.allocate(3), dir));
    }
}
