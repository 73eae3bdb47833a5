package io.keel.protocol.frame;

import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;

/**
 * Turns the many flushes of a connection into few {@code writev} calls: flushes made while a read is
 * being handled wait until the read is complete; flushes made outside a read (send answers completed
 * by a force, deliveries pushed after a dispatch) wait for one task on the connection's event loop,
 * which runs after what the loop is doing now; every {@code flushAfter}-th pending flush goes out at
 * once. Before a close, a disconnect, an exception, or when the channel stops being writable, pending
 * flushes go out first.
 *
 * <p>What Netty's {@code FlushConsolidationHandler(flushAfter, true)} does, without its allocation:
 * it schedules each deferred flush with {@code EventLoop.submit}, a new future per flush outside a
 * read (about one per answered send at 16 synchronous producers, measured with JFR). Here the task
 * is one {@link Runnable} per connection handed to {@code execute}, at most once in the queue; a
 * flush that goes out before it runs leaves it nothing to do (where Netty cancels its future).
 * Every method runs on the connection's event loop.
 */
public final class FlushCoalescer extends ChannelDuplexHandler {

    private final int flushAfter;
    private ChannelHandlerContext ctx;
    /** Flushes held back since the last one passed on. */
    private int pending;
    private boolean readInProgress;
    /** Whether {@link #flushTask} is in the event loop's queue. */
    private boolean taskQueued;

    private final Runnable flushTask = () -> {
        taskQueued = false;
        if (pending > 0 && !readInProgress) {
            flushNow(ctx);
        }
    };

    /** @param flushAfter pending flushes after which one goes out at once, even during a read */
    public FlushCoalescer(int flushAfter) {
        if (flushAfter <= 0) {
            throw new IllegalArgumentException("flushAfter " + flushAfter + " is not positive");
        }
        this.flushAfter = flushAfter;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public void flush(ChannelHandlerContext ctx) {
        if (++pending == flushAfter) {
            flushNow(ctx);
        } else if (!readInProgress && !taskQueued) {
            taskQueued = true;
            ctx.channel().eventLoop().execute(flushTask);
        }
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        readInProgress = true;
        ctx.fireChannelRead(msg);
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        endReadAndFlush(ctx);
        ctx.fireChannelReadComplete();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        endReadAndFlush(ctx);
        ctx.fireExceptionCaught(cause);
    }

    @Override
    public void disconnect(ChannelHandlerContext ctx, ChannelPromise promise) {
        endReadAndFlush(ctx);
        ctx.disconnect(promise);
    }

    @Override
    public void close(ChannelHandlerContext ctx, ChannelPromise promise) {
        endReadAndFlush(ctx);
        ctx.close(promise);
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        if (!ctx.channel().isWritable() && pending > 0) {
            flushNow(ctx); // the outbound buffer is over its high-water mark: let it drain
        }
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        if (pending > 0) {
            flushNow(ctx);
        }
    }

    private void endReadAndFlush(ChannelHandlerContext ctx) {
        readInProgress = false;
        if (pending > 0) {
            flushNow(ctx);
        }
    }

    private void flushNow(ChannelHandlerContext ctx) {
        pending = 0;
        ctx.flush();
    }
}
