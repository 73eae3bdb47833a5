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

    @Test
    void thePageCachePositionIsTrustedOnlyWithinTheSameBoot() throws Exception {
        Checkpoint c = new Checkpoint(9_000, 1_000, 5, 42, 8_000, 0x1234_5678_9ABCL);
        c.write(dir.resolve("checkpoint"));
        Checkpoint read = Checkpoint.read(dir.resolve("checkpoint"));
        assertEquals(c, read);
        assertEquals(8_000, read.dispatchedOffsetFor(0x1234_5678_9ABCL), "same boot: the page cache survived");
        assertEquals(1_000, read.dispatchedOffsetFor(0x1234_5678_9ABDL), "another boot: only what was forced");
        assertEquals(1_000, read.dispatchedOffsetFor(BootId.UNKNOWN));
        Checkpoint unknownBoot = new Checkpoint(9_000, 1_000, 5, 42, 8_000, BootId.UNKNOWN);
        assertEquals(1_000, unknownBoot.dispatchedOffsetFor(BootId.UNKNOWN), "an unknown boot is never the same");
    }

    @Test
    void aVersionOneCheckpointIsStillRead() throws Exception {
        ByteBuffer v1 = ByteBuffer.allocate(44);
        v1.putInt(Checkpoint.MAGIC).putInt(1).putLong(7_000).putLong(6_000).putInt(12).putInt(0).putLong(99);
        java.util.zip.CRC32C crc = new java.util.zip.CRC32C();
        crc.update(v1.array(), 0, 40);
        v1.putInt((int) crc.getValue()).flip();
        Checkpoint c = Checkpoint.decode(v1, dir);
        assertEquals(new Checkpoint(7_000, 6_000, 12, 99), c);
        assertEquals(6_000, c.dispatchedOffsetFor(BootId.current()), "version 1 knows no page-cache position");
        v1.put(20, (byte) 1);
        assertThrows(Checkpoint.CorruptException.class, () -> Checkpoint.decode(v1, dir));
    }

    @Test
    void theBootIdIsReadFromTheNamedFile() throws Exception {
        Path file = dir.resolve("boot_id");
        Files.writeString(file, "0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0\n");
        String before = System.getProperty("keel.store.bootIdFile");
        System.setProperty("keel.store.bootIdFile", file.toString());
        try {
            long id = BootId.current();
            assertEquals(0x0f1e2d3c4b5a6978L ^ 0x8796a5b4c3d2e1f0L, id);
            Files.writeString(file, "not a uuid");
            assertEquals(BootId.UNKNOWN, BootId.current());
            System.setProperty("keel.store.bootIdFile", dir.resolve("absent").toString());
            assertEquals(BootId.UNKNOWN, BootId.current());
        } finally {
            if (before == null) {
                System.clearProperty("keel.store.bootIdFile");
            } else {
                System.setProperty("keel.store.bootIdFile", before);
            }
        }
    }
}
