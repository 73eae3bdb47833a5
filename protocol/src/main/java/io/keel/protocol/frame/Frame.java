package io.keel.protocol.frame;

import io.netty.buffer.ByteBuf;
import io.netty.util.ReferenceCounted;

/**
 * One decoded frame (see {@link FrameLayout}). The body is a retained slice of the received bytes:
 * whoever handles the frame releases it.
 */
public final class Frame {

    private final short command;
    private final int flags;
    private final int correlationId;
    private final ByteBuf body;

    public Frame(short command, int flags, int correlationId, ByteBuf body) {
        this.command = command;
        this.flags = flags;
        this.correlationId = correlationId;
        this.body = body;
    }

    public short command() {
        return command;
    }

    public int flags() {
        return flags;
    }

    public int correlationId() {
        return correlationId;
    }

    public ByteBuf body() {
        return body;
    }

    public boolean isResponse() {
        return (flags & FrameLayout.FLAG_RESPONSE) != 0;
    }

    public boolean isOneWay() {
        return (flags & FrameLayout.FLAG_ONEWAY) != 0;
    }

    public boolean isError() {
        return (flags & FrameLayout.FLAG_ERROR) != 0;
    }

    public void release() {
        ReferenceCounted b = body;
        if (b.refCnt() > 0) {
            b.release();
        }
    }

    @Override
    public String toString() {
        return "frame " + io.keel.protocol.command.CommandCode.name(command) + " flags=" + flags + " id="
                + correlationId + " body=" + body.readableBytes() + "B";
    }
}
