package io.keel.protocol.frame;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.timeout.IdleStateEvent;

/** Writer-idle events once per silent interval, and writes that keep their void promise (no allocation). */
class WriterIdleEventsTest {

    private final List<Object> events = new ArrayList<>();
    private final List<ChannelPromise> promisesSeen = new ArrayList<>();

    private EmbeddedChannel channel() {
        EmbeddedChannel ch = new EmbeddedChannel(new ChannelOutboundHandlerAdapter() {
            @Override
            public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
                promisesSeen.add(promise); // nearer the socket than the handler under test
                ctx.write(msg, promise);
            }
        }, new WriterIdleEvents(100), new ChannelInboundHandlerAdapter() {
            @Override
            public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
                events.add(evt);
            }
        });
        ch.freezeTime();
        return ch;
    }

    private static void pass(EmbeddedChannel ch, long millis) {
        ch.advanceTimeBy(millis, TimeUnit.MILLISECONDS);
        ch.runScheduledPendingTasks();
    }

    @Test
    void aSilentIntervalFiresOneEventAndAWriteDefersTheNext() {
        EmbeddedChannel ch = channel();
        pass(ch, 99);
        assertEquals(List.of(), events, "not before the interval is over");
        pass(ch, 1);
        assertEquals(List.of(IdleStateEvent.WRITER_IDLE_STATE_EVENT), events);
        ch.writeAndFlush("frame");
        pass(ch, 100);
        assertEquals(1, events.size(), "the interval had a write");
        pass(ch, 100);
        assertEquals(2, events.size(), "the next interval was silent");
        ch.close();
        pass(ch, 1000);
        assertEquals(2, events.size(), "nothing after close");
    }

    @Test
    void writesKeepTheirVoidPromise() {
        EmbeddedChannel ch = channel();
        ch.writeAndFlush("frame", ch.voidPromise());
        assertEquals(1, promisesSeen.size());
        assertSame(ch.voidPromise(), promisesSeen.get(0), "the promise went on unchanged");
        assertTrue(promisesSeen.get(0).isVoid());
        ch.finishAndReleaseAll();
    }

    @Test
    void aNonPositiveIntervalIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new WriterIdleEvents(0));
        assertTrue(e.getMessage().contains("0 ms"), e.getMessage());
    }
}
