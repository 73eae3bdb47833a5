package io.keel.protocol.command;

import java.nio.ByteBuffer;

import io.keel.protocol.frame.FrameLayout;
import io.keel.protocol.frame.Wire;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

/**
 * DELIVER, pushed by the broker (one-way): one stored message for a consumer, within its credit.
 *
 * <pre>
 *  0               8           12              20            24              32        36
 *  +---------------+-----------+---------------+-------------+---------------+---------+-------------+
 *  | consumerId    | queueId   | queueOffset   |deliveryCount| storeTimestamp| msgLen  | message     |
 *  +---------------+-----------+---------------+-------------+---------------+---------+-------------+
 * </pre>
 *
 * The message bytes are the ones the producer sent, copied once from the store into the frame.
 * The redelivered flag is {@code deliveryCount > 1}. The frame's correlation id is the consumer's
 * delivery epoch (see {@link CommandCode#RECOVER}).
 */
public final class Deliver {

    public static final int FIXED = 36;

    public long consumerId;
    public int queueId;
    public long queueOffset;
    public int deliveryCount;
    public long storeTimestamp;
    /** The message bytes: a slice of the frame body. */
    public ByteBuf message;

    /** Builds the frame straight from the store's bytes (one copy of the payload), in delivery epoch 0. */
    public static ByteBuf frame(ByteBufAllocator alloc, long consumerId, int queueId, long queueOffset,
            int deliveryCount, long storeTimestamp, ByteBuffer message) {
        return frame(alloc, consumerId, queueId, queueOffset, deliveryCount, storeTimestamp, message, 0);
    }

    /**
     * As above, in the consumer's delivery {@code epoch}, carried as the frame's correlation id (a
     * one-way push answers nothing): {@link CommandCode#RECOVER} starts a new epoch.
     */
    public static ByteBuf frame(ByteBufAllocator alloc, long consumerId, int queueId, long queueOffset,
            int deliveryCount, long storeTimestamp, ByteBuffer message, int epoch) {
        int length = message.remaining();
        ByteBuf b = FrameLayout.begin(alloc, FIXED + length, CommandCode.DELIVER, FrameLayout.FLAG_ONEWAY, epoch);
        b.writeLong(consumerId);
        b.writeInt(queueId);
        b.writeLong(queueOffset);
        b.writeInt(deliveryCount);
        b.writeLong(storeTimestamp);
        b.writeInt(length);
        int at = message.position();
        b.writeBytes(message); // the one copy of the payload; then the caller's buffer is as it was
        message.position(at);
        return FrameLayout.end(b);
    }

    public Deliver decode(ByteBuf body) {
        Wire.need(body, FIXED, "deliver");
        consumerId = body.readLong();
        queueId = body.readInt();
        queueOffset = body.readLong();
        deliveryCount = body.readInt();
        storeTimestamp = body.readLong();
        int length = Wire.readLength(body, "deliver message");
        message = body.readSlice(Math.max(length, 0));
        Wire.end(body, "deliver");
        return this;
    }
}
