package io.keel.protocol.frame;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

/**
 * The frame: every message between client, broker and name server. Big-endian.
 *
 * <pre>
 *  0               4       6   7   8               12
 *  +---------------+-------+---+---+---------------+---------------------------+
 *  | length        |command|flg|rsv| correlationId | body (length - 8 bytes)   |
 *  +---------------+-------+---+---+---------------+---------------------------+
 * </pre>
 *
 * <ul>
 *   <li>{@code length}: bytes after the length field (8 + body); at most the receiver's maximum
 *       frame size, which the handshake announces.</li>
 *   <li>{@code command}: a {@link io.keel.protocol.command.CommandCode}.</li>
 *   <li>{@code flg}: {@link #FLAG_RESPONSE} (answers the request with the same correlation id),
 *       {@link #FLAG_ONEWAY} (no answer expected: heartbeats, credits, server-pushed deliveries),
 *       {@link #FLAG_ERROR} (a response whose body is an {@link io.keel.protocol.command.ErrorReply}).</li>
 *   <li>{@code correlationId}: chosen by the requester, echoed in the response; 0 for one-way frames.</li>
 * </ul>
 */
public final class FrameLayout {

    public static final int LENGTH = 0;
    public static final int COMMAND = 4;
    public static final int FLAGS = 6;
    public static final int CORRELATION_ID = 8;
    /** Bytes before the body. */
    public static final int HEADER_SIZE = 12;
    /** The part of the header counted by {@code length}. */
    public static final int HEADER_AFTER_LENGTH = HEADER_SIZE - 4;

    public static final int FLAG_RESPONSE = 1;
    public static final int FLAG_ONEWAY = 2;
    public static final int FLAG_ERROR = 4;

    /** Default maximum frame: a 16 MiB message plus room for the command fields. */
    public static final int DEFAULT_MAX_FRAME_SIZE = 16 * 1024 * 1024 + 64 * 1024;

    private FrameLayout() {
    }

    /** Allocates a buffer and writes a header whose length is filled in by {@link #end}. */
    public static ByteBuf begin(ByteBufAllocator alloc, int bodySizeHint, short command, int flags, int correlationId) {
        ByteBuf b = alloc.ioBuffer(HEADER_SIZE + Math.max(bodySizeHint, 0));
        return begin(b, command, flags, correlationId);
    }

    /** Writes a header at the writer index of {@code b}; finish with {@link #end}. */
    public static ByteBuf begin(ByteBuf b, short command, int flags, int correlationId) {
        b.writeInt(0);
        b.writeShort(command);
        b.writeByte(flags);
        b.writeByte(0);
        b.writeInt(correlationId);
        return b;
    }

    /** Fills in the length of the frame that starts at {@code frameStart}. */
    public static ByteBuf end(ByteBuf b, int frameStart) {
        b.setInt(frameStart + LENGTH, b.writerIndex() - frameStart - 4);
        return b;
    }

    /** Fills in the length of a frame that starts at index 0. */
    public static ByteBuf end(ByteBuf b) {
        return end(b, 0);
    }
}
