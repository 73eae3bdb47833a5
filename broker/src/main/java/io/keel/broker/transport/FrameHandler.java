package io.keel.broker.transport;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.keel.protocol.command.CommandCode;
import io.keel.protocol.command.ErrorCode;
import io.keel.protocol.command.ErrorReply;
import io.keel.protocol.command.Handshake;
import io.keel.protocol.frame.Frame;
import io.keel.protocol.frame.FrameLayout;
import io.keel.protocol.frame.ProtocolViolation;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.timeout.IdleState;
import io.netty.handler.timeout.IdleStateEvent;

/**
 * The server side of one connection, common to the broker and the name server: the handshake
 * (first frame, version check), heartbeats, idle detection, and what happens to bad input. A
 * violation of the protocol is logged with the peer and the rule broken; requests get an error reply;
 * a malformed stream closes the connection. Subclasses handle the commands of their role.
 */
public abstract class FrameHandler extends SimpleChannelInboundHandler<Frame> {

    private static final Logger LOG = LoggerFactory.getLogger(FrameHandler.class);
    private static final AtomicLong CONNECTION_IDS = new AtomicLong();

    /**
     * Lifecycle of a connection. AUTHENTICATING: the handshake arrived and its credentials are being
     * checked off the event loop; the client must wait for the answer before it sends anything else.
     */
    protected enum State { AWAITING_HANDSHAKE, AUTHENTICATING, OPEN, CLOSED }

    protected final String serverName;
    protected final int maxFrameSize;
    protected final int heartbeatMillis;
    protected Channel channel;
    protected String peer = "?";
    protected State state = State.AWAITING_HANDSHAKE;
    protected long connectionId;
    protected Handshake.Request handshake;

    protected FrameHandler(String serverName, int maxFrameSize, int heartbeatMillis) {
        super(false);
        this.serverName = serverName;
        this.maxFrameSize = maxFrameSize;
        this.heartbeatMillis = heartbeatMillis;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
        channel = ctx.channel();
        peer = String.valueOf(channel.remoteAddress());
        super.channelActive(ctx);
    }

    @Override
    protected final void channelRead0(ChannelHandlerContext ctx, Frame frame) {
        try {
            if (state == State.AWAITING_HANDSHAKE) {
                onHandshake(frame);
            } else if (state == State.CLOSED || frame.command() == CommandCode.HEARTBEAT) {
                // Closing: the rest of the input is dropped. A heartbeat's arrival reset the idle timer.
            } else if (state == State.AUTHENTICATING) {
                violation(frame, CommandCode.name(frame.command()) + " sent before the handshake was answered", true);
            } else if (frame.isResponse()) {
                violation(frame, "a client sent a response frame (" + CommandCode.name(frame.command()) + ")", true);
            } else if (frame.command() == CommandCode.CLOSE) {
                onClose(frame);
            } else {
                onCommand(frame);
            }
        } catch (ProtocolViolation v) {
            violation(frame, v.getMessage(), true);
        } catch (RuntimeException e) {
            LOG.error("{} {}: {} failed: {}", serverName, peer, CommandCode.name(frame.command()), e.toString(), e);
            reply(frame, ErrorCode.INTERNAL, CommandCode.name(frame.command()) + " failed on the broker: " + e);
        } finally {
            frame.release();
        }
    }

    private void onHandshake(Frame frame) {
        if (frame.command() != CommandCode.HANDSHAKE) {
            LOG.warn("{} {}: the first frame is {} instead of HANDSHAKE; closing", serverName, peer,
                    CommandCode.name(frame.command()));
            channel.writeAndFlush(ErrorReply.frame(channel.alloc(), frame.command(), frame.correlationId(),
                    ErrorCode.NOT_HANDSHAKEN, "the first frame of a connection must be HANDSHAKE"))
                    .addListener(ChannelFutureListener.CLOSE);
            state = State.CLOSED;
            return;
        }
        Handshake.Request h = Handshake.Request.decode(frame.body());
        if (h.version() != Handshake.VERSION) {
            LOG.warn("{} {}: handshake with protocol version {}, this server speaks {}; closing", serverName, peer,
                    h.version(), Handshake.VERSION);
            channel.writeAndFlush(ErrorReply.frame(channel.alloc(), CommandCode.HANDSHAKE, frame.correlationId(),
                    ErrorCode.UNSUPPORTED_VERSION, "protocol version " + h.version() + " is not supported; "
                            + serverName + " speaks version " + Handshake.VERSION))
                    .addListener(ChannelFutureListener.CLOSE);
            state = State.CLOSED;
            return;
        }
        state = State.AUTHENTICATING;
        int correlationId = frame.correlationId();
        CompletableFuture<ErrorReply> checked = authenticate(h);
        if (checked.isDone()) {
            finishHandshake(h, correlationId, checked.getNow(null));
            return;
        }
        checked.whenCompleteAsync((refused, failure) -> {
            try {
                if (failure != null) {
                    LOG.error("{} {}: checking the credentials failed: {}", serverName, peer, failure.toString(), failure);
                    refused = new ErrorReply(ErrorCode.INTERNAL, "checking the credentials failed on " + serverName
                            + ": " + failure);
                }
                finishHandshake(h, correlationId, refused);
            } catch (RuntimeException e) {
                LOG.error("{} {}: handshake failed: {}", serverName, peer, e.toString(), e);
                state = State.CLOSED;
                channel.close();
            }
        }, channel.eventLoop());
    }

    /** Answers a handshake whose credentials were checked: refused by them, or by {@link #admit}, or accepted. */
    private void finishHandshake(Handshake.Request h, int correlationId, ErrorReply refused) {
        if (state != State.AUTHENTICATING || !channel.isActive()) {
            state = State.CLOSED;
            return; // the client left while its password was being checked
        }
        if (refused == null) {
            refused = admit(h);
        }
        if (refused != null) {
            LOG.warn("{} {}: connection refused: {}", serverName, peer, refused.message());
            channel.writeAndFlush(ErrorReply.frame(channel.alloc(), CommandCode.HANDSHAKE, correlationId,
                    refused.code(), refused.message())).addListener(ChannelFutureListener.CLOSE);
            state = State.CLOSED;
            return;
        }
        handshake = h;
        connectionId = CONNECTION_IDS.incrementAndGet();
        state = State.OPEN;
        channel.writeAndFlush(new Handshake.Response(Handshake.VERSION, serverName, heartbeatMillis, maxFrameSize,
                connectionId).frame(channel.alloc(), correlationId));
        onOpen();
    }

    /**
     * Checks a handshake's credentials: completes (on any thread) with null to accept them, or with the
     * error that refuses the connection. Servers without authentication accept everything.
     */
    protected CompletableFuture<ErrorReply> authenticate(Handshake.Request h) {
        return CompletableFuture.completedFuture(null);
    }

    /**
     * Called on the event loop after the credentials were accepted: returns null to accept the
     * handshake (client id), or the error that refuses it.
     */
    protected ErrorReply admit(Handshake.Request h) {
        return null;
    }

    /** Called once the handshake succeeded. */
    protected void onOpen() {
    }

    /** Handles a request or one-way frame after the handshake. The frame is released afterwards. */
    protected abstract void onCommand(Frame frame);

    /**
     * CLOSE: releases what a new connection may want at once ({@link #releaseOnClose}), answers a
     * request, and closes the connection once the answer is written; later input is dropped.
     */
    private void onClose(Frame frame) {
        releaseOnClose();
        state = State.CLOSED;
        if (frame.isOneWay()) {
            channel.close();
        } else {
            channel.writeAndFlush(FrameLayout.end(FrameLayout.begin(channel.alloc(), 0, CommandCode.CLOSE,
                    FrameLayout.FLAG_RESPONSE, frame.correlationId()))).addListener(ChannelFutureListener.CLOSE);
        }
    }

    /**
     * Called on CLOSE before it is answered: releases what the connection holds that another
     * connection may claim as soon as the client's close returns. The rest is cleaned up when the
     * channel closes, as after a connection loss.
     */
    protected void releaseOnClose() {
    }

    /**
     * Answers a command this server does not take (an unknown code, a second handshake, a frame only
     * servers send) with an error (requests) or a log line (one-way frames).
     */
    protected void unknownCommand(Frame frame) {
        String name = CommandCode.name(frame.command());
        String why = frame.command() == CommandCode.HANDSHAKE ? "a second HANDSHAKE is not allowed on a connection"
                : name.startsWith("UNKNOWN") ? "command " + name + " is not known by " + serverName
                : "command " + name + " is not accepted by " + serverName;
        LOG.warn("{} {}: {}; answered with an error", serverName, peer, why);
        reply(frame, name.startsWith("UNKNOWN") ? ErrorCode.UNKNOWN_COMMAND : ErrorCode.INVALID_REQUEST, why);
    }

    /** Sends an error reply to a request (not to a one-way frame). */
    protected void reply(Frame request, ErrorCode code, String message) {
        if (!request.isOneWay() && channel.isActive()) {
            channel.writeAndFlush(ErrorReply.frame(channel.alloc(), request.command(), request.correlationId(), code, message));
        }
    }

    private void violation(Frame frame, String rule, boolean close) {
        LOG.warn("{} {}: protocol violation in {}: {}; closing the connection", serverName, peer,
                CommandCode.name(frame.command()), rule);
        if (channel.isActive()) {
            channel.writeAndFlush(ErrorReply.frame(channel.alloc(), frame.command(), frame.correlationId(),
                    ErrorCode.PROTOCOL_ERROR, rule)).addListener(ChannelFutureListener.CLOSE);
        }
        state = State.CLOSED;
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
        if (evt instanceof IdleStateEvent e) {
            if (e.state() == IdleState.READER_IDLE) {
                LOG.warn("{} {}: nothing received for {} ms (3 heartbeat intervals); closing the connection", serverName,
                        peer, heartbeatMillis * 3L);
                ctx.close();
            } else if (e.state() == IdleState.WRITER_IDLE && state == State.OPEN) {
                ctx.writeAndFlush(FrameLayout.end(FrameLayout.begin(ctx.alloc(), 0, CommandCode.HEARTBEAT,
                        FrameLayout.FLAG_ONEWAY, 0)), ctx.voidPromise());
            }
            return;
        }
        super.userEventTriggered(ctx, evt);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        Throwable c = cause instanceof io.netty.handler.codec.DecoderException && cause.getCause() != null
                ? cause.getCause() : cause;
        if (c instanceof ProtocolViolation v) {
            LOG.warn("{} {}: {}; closing the connection", serverName, peer, v.getMessage());
            if (ctx.channel().isActive()) {
                ctx.writeAndFlush(ErrorReply.frame(ctx.alloc(), (short) 0, 0, ErrorCode.PROTOCOL_ERROR, v.getMessage()))
                        .addListener(ChannelFutureListener.CLOSE);
            }
        } else if (c instanceof java.io.IOException) {
            LOG.debug("{} {}: {}", serverName, peer, c.toString());
            ctx.close();
        } else {
            LOG.warn("{} {}: {}; closing the connection", serverName, peer, c.toString(), c);
            ctx.close();
        }
        state = State.CLOSED;
    }
}
