package io.keel.protocol.command;

import io.keel.protocol.frame.FrameLayout;
import io.keel.protocol.frame.Wire;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

/**
 * CREDIT (one-way): the consumer grants more messages and bytes; the broker pushes while both are
 * positive. Also used by CLOSE_CONSUMER (request), whose body is the consumer id, optionally followed
 * by one flags byte: bit 0 {@link #CLOSE_UNSEEN} says every message the consumer still holds was never
 * handed to the application (it acknowledged or settled everything it did hand over), so the broker
 * takes them back without counting a delivery; without it they come back counted (JMSRedelivered).
 *
 * <pre>
 *  0               8           12              20
 *  +---------------+-----------+---------------+
 *  | consumerId    | messages  | bytes         |
 *  +---------------+-----------+---------------+
 * </pre>
 */
public record Credit(long consumerId, int messages, long bytes) {

    public static final int SIZE = 20;
    /** CLOSE_CONSUMER flag: what the consumer still holds is unseen (prefetched only). */
    public static final int CLOSE_UNSEEN = 1;

    /** A decoded CLOSE_CONSUMER. */
    public record Close(long consumerId, boolean unseen) {
    }

    public ByteBuf frame(ByteBufAllocator alloc) {
        ByteBuf b = FrameLayout.begin(alloc, SIZE, CommandCode.CREDIT, FrameLayout.FLAG_ONEWAY, 0);
        b.writeLong(consumerId);
        b.writeInt(messages);
        b.writeLong(bytes);
        return FrameLayout.end(b);
    }

    public static Credit decode(ByteBuf body) {
        Wire.need(body, SIZE, "credit");
        Credit c = new Credit(body.readLong(), body.readInt(), body.readLong());
        Wire.end(body, "credit");
        return c;
    }

    public static ByteBuf closeConsumerFrame(ByteBufAllocator alloc, int correlationId, long consumerId) {
        ByteBuf b = FrameLayout.begin(alloc, 8, CommandCode.CLOSE_CONSUMER, 0, correlationId);
        b.writeLong(consumerId);
        return FrameLayout.end(b);
    }

    /** CLOSE_CONSUMER with the flags byte. */
    public static ByteBuf closeConsumerFrame(ByteBufAllocator alloc, int correlationId, long consumerId, int flags) {
        ByteBuf b = FrameLayout.begin(alloc, 9, CommandCode.CLOSE_CONSUMER, 0, correlationId);
        b.writeLong(consumerId);
        b.writeByte(flags);
        return FrameLayout.end(b);
    }

    public static long decodeCloseConsumer(ByteBuf body) {
        return decodeClose(body).consumerId();
    }

    public static Close decodeClose(ByteBuf body) {
        Wire.need(body, 8, "close consumer");
        long id = body.readLong();
        int flags = body.isReadable() ? body.readByte() : 0;
        Wire.end(body, "close consumer");
        return new Close(id, (flags & CLOSE_UNSEEN) != 0);
    }
}
