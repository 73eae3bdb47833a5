package io.keel.protocol.frame;

import java.util.concurrent.TimeUnit;

import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.concurrent.ScheduledFuture;

/**
 * Fires {@link IdleStateEvent#WRITER_IDLE_STATE_EVENT} (the handlers after it answer with a
 * HEARTBEAT) when the connection wrote nothing during a whole interval, checked once per interval.
 *
 * <p>Why not Netty's {@code IdleStateHandler} with a writer-idle time: to learn when a write
 * completes it replaces every write's void promise with a real promise and a listener, an allocation
 * per frame on the hot paths (send answers, deliveries, the client's sends and acks). Here the write
 * path only counts; a timer per connection compares the count with the one it saw last. Reader
 * idleness stays with {@code IdleStateHandler} configured for reads only, which costs nothing per
 * write. A heartbeat goes out at most two intervals after the last write, inside the peer's
 * three-interval read timeout.
 */
public final class WriterIdleEvents extends ChannelDuplexHandler {

    private final long intervalMillis;
    /** Writes so far, and at the previous check. Event loop only. */
    private long writes;
    private long writesAtLastCheck;
    private ScheduledFuture<?> timer;

    public WriterIdleEvents(long intervalMillis) {
        if (intervalMillis <= 0) {
            throw new IllegalArgumentException("heartbeat interval " + intervalMillis + " ms is not positive");
        }
        this.intervalMillis = intervalMillis;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        if (ctx.channel().isActive() && ctx.channel().isRegistered()) {
            start(ctx);
        }
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
        start(ctx);
        super.channelActive(ctx);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        stop();
        super.channelInactive(ctx);
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        stop();
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        writes++;
        ctx.write(msg, promise);
    }

    private void start(ChannelHandlerContext ctx) {
        if (timer == null) {
            timer = ctx.executor().scheduleAtFixedRate(() -> check(ctx), intervalMillis, intervalMillis,
                    TimeUnit.MILLISECONDS);
        }
    }

    private void check(ChannelHandlerContext ctx) {
        if (writes == writesAtLastCheck && ctx.channel().isActive()) {
            ctx.fireUserEventTriggered(IdleStateEvent.WRITER_IDLE_STATE_EVENT);
        }
        writesAtLastCheck = writes;
    }

    private void stop() {
        if (timer != null) {
            timer.cancel(false);
            timer = null;
        }
    }
}
