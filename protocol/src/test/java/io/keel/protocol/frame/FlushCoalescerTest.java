package io.keel.protocol.frame;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;

/**
 * Writes and flushes go through {@code pipeline()} and every write comes before the flushes:
 * EmbeddedChannel runs its pending tasks on its own {@code flush} and on every write reaching the
 * socket, which would hide when the coalescer's task runs.
 */
class FlushCoalescerTest {

    /** Counts the flushes that pass the coalescer on their way to the socket. */
    static final class FlushCounter extends ChannelOutboundHandlerAdapter {
        int flushes;

        @Override
        public void flush(ChannelHandlerContext ctx) {
            flushes++;
            ctx.flush();
        }
    }

    /** Answers every inbound message with the same message, written and flushed at once. */
    static final class Echo extends ChannelInboundHandlerAdapter {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ctx.writeAndFlush(msg);
        }
    }

    @Test
    void flushesOutsideAReadGoOutTogetherInOneTaskOfTheEventLoop() {
        FlushCounter counter = new FlushCounter();
        EmbeddedChannel ch = new EmbeddedChannel(counter, new FlushCoalescer(256));
        ch.pipeline().write("a");
        ch.pipeline().write("b");
        ch.pipeline().write("c");
        ch.pipeline().flush();
        ch.pipeline().flush();
        ch.pipeline().flush();
        assertNull(ch.readOutbound(), "held until the event loop runs the flush task");
        assertEquals(0, counter.flushes);
        ch.runPendingTasks();
        assertEquals(1, counter.flushes);
        assertEquals("a", ch.readOutbound());
        assertEquals("b", ch.readOutbound());
        assertEquals("c", ch.readOutbound());
        ch.runPendingTasks();
        assertEquals(1, counter.flushes, "the task was queued once");
        ch.pipeline().writeAndFlush("d");
        ch.runPendingTasks();
        assertEquals(2, counter.flushes, "a later flush queues the task again");
        assertEquals("d", ch.readOutbound());
        ch.finishAndReleaseAll();
    }

    @Test
    void flushesDuringAReadWaitForTheEndOfTheRead() {
        FlushCounter counter = new FlushCounter();
        EmbeddedChannel ch = new EmbeddedChannel(counter, new FlushCoalescer(256), new Echo());
        ch.writeInbound("1", "2", "3"); // three reads, then one read-complete
        assertEquals(1, counter.flushes, "three answers, one flush at the end of the read");
        assertEquals("1", ch.readOutbound());
        assertEquals("2", ch.readOutbound());
        assertEquals("3", ch.readOutbound());
        ch.runPendingTasks();
        assertEquals(1, counter.flushes, "nothing left for a task");
        ch.finishAndReleaseAll();
    }

    @Test
    void everyNthPendingFlushGoesOutAtOnce() {
        FlushCounter counter = new FlushCounter();
        EmbeddedChannel ch = new EmbeddedChannel(counter, new FlushCoalescer(2));
        ch.pipeline().write("a");
        ch.pipeline().write("b");
        ch.pipeline().flush();
        assertEquals(0, counter.flushes);
        ch.pipeline().flush();
        assertEquals(1, counter.flushes, "the second pending flush passes at once");
        assertEquals("a", ch.readOutbound());
        assertEquals("b", ch.readOutbound());
        ch.runPendingTasks();
        assertEquals(1, counter.flushes, "the queued task finds nothing pending");
        ch.finishAndReleaseAll();
    }

    @Test
    void aCloseSendsWhatIsPendingFirst() {
        FlushCounter counter = new FlushCounter();
        EmbeddedChannel ch = new EmbeddedChannel(counter, new FlushCoalescer(256));
        ch.pipeline().writeAndFlush("last words");
        ch.close();
        assertEquals(1, counter.flushes);
        assertEquals("last words", ch.readOutbound());
        ch.finishAndReleaseAll();
    }

    @Test
    void anExceptionSendsWhatIsPendingAndPassesOn() {
        FlushCounter counter = new FlushCounter();
        EmbeddedChannel ch = new EmbeddedChannel(counter, new FlushCoalescer(256));
        ch.pipeline().writeAndFlush("before the failure");
        ch.pipeline().fireExceptionCaught(new IllegalStateException("boom"));
        assertEquals(1, counter.flushes);
        assertEquals("before the failure", ch.readOutbound());
        IllegalStateException e = assertThrows(IllegalStateException.class, ch::checkException);
        assertEquals("boom", e.getMessage());
        ch.finishAndReleaseAll();
    }

    @Test
    void aNonPositiveThresholdIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new FlushCoalescer(0));
        assertEquals("flushAfter 0 is not positive", e.getMessage());
    }
}
