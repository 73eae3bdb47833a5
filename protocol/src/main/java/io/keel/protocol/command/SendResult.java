package io.keel.protocol.command;

import io.keel.protocol.frame.FrameLayout;
import io.keel.protocol.frame.Wire;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

/**
 * The answer to SEND: where the message was stored. SEND_BATCH answers a count then, per entry, a
 * status: 0 and the three fields, or an error code and message.
 *
 * <pre>
 *  0           4               12              20
 *  +-----------+---------------+---------------+
 *  | queueId   | queueOffset   | storeTimestamp|
 *  +-----------+---------------+---------------+
 *  batch: count (int), then per entry: status (short; 0 = ok) + the 20 bytes above,
 *         or status = error code + message (string).
 * </pre>
 */
public record SendResult(int queueId, long queueOffset, long storeTimestamp) {

    public static final int SIZE = 20;

    public static ByteBuf frame(ByteBufAllocator alloc, int correlationId, int queueId, long queueOffset,
            long storeTimestamp) {
        ByteBuf b = FrameLayout.begin(alloc, SIZE, CommandCode.SEND, FrameLayout.FLAG_RESPONSE, correlationId);
        b.writeInt(queueId);
        b.writeLong(queueOffset);
        b.writeLong(storeTimestamp);
        return FrameLayout.end(b);
    }

    public static SendResult decode(ByteBuf body) {
        Wire.need(body, SIZE, "send result");
        SendResult r = new SendResult(body.readInt(), body.readLong(), body.readLong());
        Wire.end(body, "send result");
        return r;
    }

    /** One entry of a batch answer: a result or an error. */
    public record BatchEntry(SendResult result, ErrorReply error) {
    }

    public static void writeBatchOk(ByteBuf b, int queueId, long queueOffset, long storeTimestamp) {
        b.writeShort(0);
        b.writeInt(queueId);
        b.writeLong(queueOffset);
        b.writeLong(storeTimestamp);
    }

    public static void writeBatchError(ByteBuf b, ErrorCode code, String message) {
        b.writeShort(code.code());
        Wire.writeString(b, message);
    }

    public static java.util.List<BatchEntry> decodeBatch(ByteBuf body) {
        int n = Wire.readCount(body, 2, "send batch result count");
        java.util.List<BatchEntry> out = new java.util.ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            Wire.need(body, 2, "send batch status");
            short status = body.readShort();
            if (status == 0) {
                Wire.need(body, SIZE, "send batch result");
                out.add(new BatchEntry(new SendResult(body.readInt(), body.readLong(), body.readLong()), null));
            } else {
                out.add(new BatchEntry(null, new ErrorReply(ErrorCode.of(status), Wire.readString(body, "send batch error"))));
            }
        }
        Wire.end(body, "send batch result");
        return out;
    }
}
