package io.keel.protocol.frame;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.DecoderException;

class FrameDecoderTest {

    private static ByteBuf frame(int bodySize, int id) {
        ByteBuf b = FrameLayout.begin(Unpooled.buffer(), (short) 0x10, 0, id);
        b.writeZero(bodySize);
        return FrameLayout.end(b);
    }

    @Test
    void framesSplitAnywhereAreReassembled() {
        ByteBuf all = Unpooled.buffer();
        for (int i = 0; i < 20; i++) {
            all.writeBytes(frame(i * 37, i));
        }
        EmbeddedChannel ch = new EmbeddedChannel(new FrameDecoder(1 << 20));
        while (all.isReadable()) {
            ch.writeInbound(all.readRetainedSlice(Math.min(all.readableBytes(), 13)));
        }
        for (int i = 0; i < 20; i++) {
            Frame f = ch.readInbound();
            assertEquals(i, f.correlationId());
            assertEquals(i * 37, f.body().readableBytes());
            f.release();
        }
        assertNull(ch.readInbound());
        all.release();
        ch.finishAndReleaseAll();
    }

    @Test
    void aFrameAboveTheMaximumFailsAsSoonAsItsLengthIsRead() {
        EmbeddedChannel ch = new EmbeddedChannel(new FrameDecoder(1024));
        ByteBuf header = Unpooled.buffer().writeInt(1_000_000_000).writeShort(0x10).writeShort(0).writeInt(1);
        DecoderException e = assertThrows(DecoderException.class, () -> ch.writeInbound(header));
        assertTrue(e.getCause() instanceof ProtocolViolation);
        assertTrue(e.getCause().getMessage().contains("exceeds the maximum frame size of 1024"), e.getCause().getMessage());
        // Whatever follows is discarded, not buffered.
        ch.writeInbound(Unpooled.wrappedBuffer(new byte[4096]));
        assertNull(ch.readInbound());
        ch.finishAndReleaseAll();
    }

    @Test
    void aLengthShorterThanTheHeaderIsAViolation() {
        EmbeddedChannel ch = new EmbeddedChannel(new FrameDecoder(1024));
        DecoderException e = assertThrows(DecoderException.class,
                () -> ch.writeInbound(Unpooled.buffer().writeInt(3).writeInt(0)));
        assertTrue(e.getCause().getMessage().contains("shorter than"), e.getCause().getMessage());
        ch.finishAndReleaseAll();
    }

    @Test
    void exactlyTheMaximumIsAccepted() {
        EmbeddedChannel ch = new EmbeddedChannel(new FrameDecoder(1024));
        ch.writeInbound(frame(1024 - FrameLayout.HEADER_AFTER_LENGTH, 1));
        Frame f = ch.readInbound();
        assertEquals(1016, f.body().readableBytes());
        f.release();
        ch.finishAndReleaseAll();
    }
}
