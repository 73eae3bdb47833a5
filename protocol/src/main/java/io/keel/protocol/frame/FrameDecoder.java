package io.keel.protocol.frame;

import java.util.List;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;

/**
 * Cuts the byte stream into {@link Frame}s. A length below the header size or above the maximum is a
 * {@link ProtocolViolation} raised as soon as the length is read, before anything is buffered, so a
 * peer can never make the receiver allocate more than one maximum frame.
 */
public final class FrameDecoder extends ByteToMessageDecoder {

    private final int maxFrameSize;
    private boolean failed;

    public FrameDecoder(int maxFrameSize) {
        this.maxFrameSize = maxFrameSize;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        if (failed) {
            in.skipBytes(in.readableBytes());
            return;
        }
        while (in.readableBytes() >= 4) {
            int start = in.readerIndex();
            int length = in.getInt(start);
            if (length < FrameLayout.HEADER_AFTER_LENGTH || length > maxFrameSize) {
                failed = true;
                in.skipBytes(in.readableBytes());
                throw new ProtocolViolation(length < FrameLayout.HEADER_AFTER_LENGTH
                        ? "frame length " + length + " is shorter than the " + FrameLayout.HEADER_AFTER_LENGTH + "-byte header"
                        : "frame of " + length + " bytes exceeds the maximum frame size of " + maxFrameSize + " bytes");
            }
            if (in.readableBytes() < 4 + length) {
                return;
            }
            short command = in.getShort(start + FrameLayout.COMMAND);
            int flags = in.getUnsignedByte(start + FrameLayout.FLAGS);
            int correlationId = in.getInt(start + FrameLayout.CORRELATION_ID);
            ByteBuf body = in.retainedSlice(start + FrameLayout.HEADER_SIZE, length - FrameLayout.HEADER_AFTER_LENGTH);
            in.skipBytes(4 + length);
            out.add(new Frame(command, flags, correlationId, body));
        }
    }
}
