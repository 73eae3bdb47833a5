package io.keel.protocol.command;

import java.util.ArrayList;
import java.util.List;

import io.keel.protocol.DestinationType;
import io.keel.protocol.frame.FrameLayout;
import io.keel.protocol.frame.Wire;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

/**
 * SUBSCRIBE: a consumer of one destination (one queue id, or every queue id with -1), starting at
 * the earliest stored message, at the end, or at an explicit offset, with an initial credit.
 *
 * <pre>
 *  0               8    9                   +0        +4    +5            +13          +17
 *  +---------------+----+-------------------+---------+-----+-------------+------------+-------------+
 *  | consumerId    |type| destination (s)   | queueId |start| startOffset | creditMsgs | creditBytes |
 *  +---------------+----+-------------------+---------+-----+-------------+------------+-------------+
 *  response: count (int), then per queue id: queueId (int) + first offset delivered (long)
 * </pre>
 */
public record Subscribe(long consumerId, DestinationType type, String destination, int queueId, byte start,
        long startOffset, int creditMessages, long creditBytes) {

    public static final byte START_EARLIEST = 0;
    public static final byte START_LATEST = 1;
    public static final byte START_AT_OFFSET = 2;

    public ByteBuf frame(ByteBufAllocator alloc, int correlationId) {
        ByteBuf b = FrameLayout.begin(alloc, 64 + destination.length() * 3, CommandCode.SUBSCRIBE, 0, correlationId);
        b.writeLong(consumerId);
        b.writeByte(type.code());
        Wire.writeString(b, destination);
        b.writeInt(queueId);
        b.writeByte(start);
        b.writeLong(startOffset);
        b.writeInt(creditMessages);
        b.writeLong(creditBytes);
        return FrameLayout.end(b);
    }

    public static Subscribe decode(ByteBuf body) {
        Wire.need(body, 9, "subscribe");
        long consumerId = body.readLong();
        DestinationType type = DestinationType.of(body.readByte());
        String destination = Wire.readString(body, "subscribe destination");
        Wire.need(body, 25, "subscribe fields");
        Subscribe s = new Subscribe(consumerId, type, destination, body.readInt(), body.readByte(), body.readLong(),
                body.readInt(), body.readLong());
        Wire.end(body, "subscribe");
        return s;
    }

    /** Where the consumer starts on one queue id. */
    public record Position(int queueId, long offset) {
    }

    public static ByteBuf responseFrame(ByteBufAllocator alloc, int correlationId, List<Position> positions) {
        ByteBuf b = FrameLayout.begin(alloc, 4 + positions.size() * 12, CommandCode.SUBSCRIBE, FrameLayout.FLAG_RESPONSE,
                correlationId);
        b.writeInt(positions.size());
        for (Position p : positions) {
            b.writeInt(p.queueId());
            b.writeLong(p.offset());
        }
        return FrameLayout.end(b);
    }

    public static List<Position> decodeResponse(ByteBuf body) {
        int n = Wire.readCount(body, 12, "subscribe response");
        List<Position> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.add(new Position(body.readInt(), body.readLong()));
        }
        Wire.end(body, "subscribe response");
        return out;
    }
}
