package io.keel.protocol.command;

import io.keel.protocol.frame.FrameLayout;
import io.keel.protocol.frame.Wire;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

/**
 * The body of a response flagged {@link FrameLayout#FLAG_ERROR}.
 *
 * <pre>
 *  0       2
 *  +-------+------------------------------+
 *  | code  | message (string)             |
 *  +-------+------------------------------+
 * </pre>
 */
public record ErrorReply(ErrorCode code, String message) {

    /** A whole error response frame answering {@code correlationId} of {@code command}. */
    public static ByteBuf frame(ByteBufAllocator alloc, short command, int correlationId, ErrorCode code, String message) {
        ByteBuf b = FrameLayout.begin(alloc, 64 + message.length(), command,
                FrameLayout.FLAG_RESPONSE | FrameLayout.FLAG_ERROR, correlationId);
        b.writeShort(code.code());
        Wire.writeString(b, message);
        return FrameLayout.end(b);
    }

    public static ErrorReply decode(ByteBuf body) {
        Wire.need(body, 2, "error reply");
        ErrorCode code = ErrorCode.of(body.readShort());
        return new ErrorReply(code, Wire.readString(body, "error message"));
    }
}
