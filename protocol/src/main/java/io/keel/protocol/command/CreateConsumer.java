package io.keel.protocol.command;

import io.keel.protocol.DestinationType;
import io.keel.protocol.frame.FrameLayout;
import io.keel.protocol.frame.ProtocolViolation;
import io.keel.protocol.frame.Wire;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

/**
 * CREATE_CONSUMER: a JMS consumer of a queue or of a topic subscription. The broker leases messages
 * to it within its credit and pushes them as DELIVER frames (delivery count included); the consumer
 * settles them with ACK or returns them with RELEASE (same body as ACK). Answered with an empty body.
 *
 * <pre>
 *  0               8    9                 +0    +1                   +0              +0    +1         +5
 *  +---------------+----+-----------------+-----+--------------------+---------------+-----+----------+-----------+
 *  | consumerId    |type| destination (s) |kind | subscription (s)   | selector (s)  |noLoc| creditMsg| creditBytes|
 *  +---------------+----+-----------------+-----+--------------------+---------------+-----+----------+-----------+
 *  kind: 0 queue, 1 durable, 2 shared durable, 3 non-durable, 4 shared non-durable (topics)
 * </pre>
 */
public record CreateConsumer(long consumerId, DestinationType type, String destination, byte kind, String subscription,
        String selector, boolean noLocal, int creditMessages, long creditBytes) {

    public static final byte KIND_QUEUE = 0;
    public static final byte KIND_DURABLE = 1;
    public static final byte KIND_SHARED_DURABLE = 2;
    public static final byte KIND_NON_DURABLE = 3;
    public static final byte KIND_SHARED_NON_DURABLE = 4;

    public ByteBuf frame(ByteBufAllocator alloc, int correlationId) {
        ByteBuf b = FrameLayout.begin(alloc, 64 + destination.length() * 3, CommandCode.CREATE_CONSUMER, 0, correlationId);
        b.writeLong(consumerId);
        b.writeByte(type.code());
        Wire.writeString(b, destination);
        b.writeByte(kind);
        Wire.writeString(b, subscription);
        Wire.writeString(b, selector);
        b.writeByte(noLocal ? 1 : 0);
        b.writeInt(creditMessages);
        b.writeLong(creditBytes);
        return FrameLayout.end(b);
    }

    public static CreateConsumer decode(ByteBuf body) {
        Wire.need(body, 9, "create consumer");
        long id = body.readLong();
        DestinationType type = DestinationType.of(body.readByte());
        String destination = Wire.readString(body, "create consumer destination");
        Wire.need(body, 1, "create consumer kind");
        byte kind = body.readByte();
        if (kind < KIND_QUEUE || kind > KIND_SHARED_NON_DURABLE) {
            throw new ProtocolViolation("create consumer: subscription kind " + kind + " is not one of 0-4");
        }
        String subscription = Wire.readString(body, "create consumer subscription");
        String selector = Wire.readString(body, "create consumer selector");
        Wire.need(body, 13, "create consumer fields");
        CreateConsumer c = new CreateConsumer(id, type, destination, kind, subscription, selector, body.readByte() != 0,
                body.readInt(), body.readLong());
        Wire.end(body, "create consumer");
        return c;
    }
}
