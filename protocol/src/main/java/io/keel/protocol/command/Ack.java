package io.keel.protocol.command;

import io.keel.protocol.frame.FrameLayout;
import io.keel.protocol.frame.Wire;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

/**
 * ACK (request): the consumer acknowledges delivered messages, named by queue id and queue offset.
 * RELEASE has the same body: the consumer returns delivered messages for redelivery (recover,
 * rollback), and they come back with JMSRedelivered set.
 * Reused mutable object with growable arrays, so decoding allocates nothing in steady state.
 *
 * <pre>
 *  0               8           12
 *  +---------------+-----------+-------------------------------------------+
 *  | consumerId    | count     | count x ( queueId int | queueOffset long )|
 *  +---------------+-----------+-------------------------------------------+
 *  response: empty body
 * </pre>
 */
public final class Ack {

    private static final int ENTRY = 12;

    public long consumerId;
    public int count;
    public int[] queueIds = new int[16];
    public long[] queueOffsets = new long[16];

    public Ack clear(long consumerId) {
        this.consumerId = consumerId;
        this.count = 0;
        return this;
    }

    public Ack add(int queueId, long queueOffset) {
        if (count == queueIds.length) {
            queueIds = java.util.Arrays.copyOf(queueIds, count * 2);
            queueOffsets = java.util.Arrays.copyOf(queueOffsets, count * 2);
        }
        queueIds[count] = queueId;
        queueOffsets[count] = queueOffset;
        count++;
        return this;
    }

    public ByteBuf frame(ByteBufAllocator alloc, int correlationId) {
        return frame(alloc, correlationId, CommandCode.ACK);
    }

    /** An ACK or RELEASE request frame. */
    public ByteBuf frame(ByteBufAllocator alloc, int correlationId, short command) {
        return frame(alloc, correlationId, command, 0);
    }

    /**
     * A one-way ACK: not answered; the broker settles the messages at once and records it with its next
     * force (for acknowledgements nobody waits for, such as a JMS session's automatic ones).
     */
    public ByteBuf onewayFrame(ByteBufAllocator alloc) {
        return frame(alloc, 0, CommandCode.ACK, FrameLayout.FLAG_ONEWAY);
    }

    private ByteBuf frame(ByteBufAllocator alloc, int correlationId, short command, int flags) {
        ByteBuf b = FrameLayout.begin(alloc, 12 + count * ENTRY, command, flags, correlationId);
        b.writeLong(consumerId);
        b.writeInt(count);
        for (int i = 0; i < count; i++) {
            b.writeInt(queueIds[i]);
            b.writeLong(queueOffsets[i]);
        }
        return FrameLayout.end(b);
    }

    public Ack decode(ByteBuf body) {
        Wire.need(body, 8, "ack");
        clear(body.readLong());
        int n = Wire.readCount(body, ENTRY, "ack count");
        for (int i = 0; i < n; i++) {
            add(body.readInt(), body.readLong());
        }
        Wire.end(body, "ack");
        return this;
    }
}
