package io.keel.protocol.command;

import java.nio.ByteBuffer;

import io.keel.protocol.DestinationType;
import io.keel.protocol.frame.FrameLayout;
import io.keel.protocol.frame.Wire;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

/**
 * Queue browsing. CREATE_BROWSER opens a browser over a snapshot of the queue (messages stored when
 * it opens and not yet consumed, in the order a consumer would get them), filtered by a selector;
 * BROWSE_NEXT pages through it; CLOSE_CONSUMER closes it.
 *
 * <pre>
 *  CREATE_BROWSER: browserId (long) | type (byte) | destination (s) | selector (s)     answer: empty
 *  BROWSE_NEXT:    browserId (long) | max (int)
 *  answer:         count (int) | count x ( storeQueueId int | offset long | deliveryCount int
 *                  | length int | message bytes ) | done (byte: 1 = the snapshot is exhausted)
 * </pre>
 */
public final class Browse {

    private Browse() {
    }

    /** The request that opens a browser. */
    public record Open(long browserId, DestinationType type, String destination, String selector) {

        public ByteBuf frame(ByteBufAllocator alloc, int correlationId) {
            ByteBuf b = FrameLayout.begin(alloc, 64, CommandCode.CREATE_BROWSER, 0, correlationId);
            b.writeLong(browserId);
            b.writeByte(type.code());
            Wire.writeString(b, destination);
            Wire.writeString(b, selector);
            return FrameLayout.end(b);
        }

        public static Open decode(ByteBuf body) {
            Wire.need(body, 9, "create browser");
            long id = body.readLong();
            DestinationType type = DestinationType.of(body.readByte());
            String destination = Wire.readString(body, "create browser destination");
            String selector = Wire.readString(body, "create browser selector");
            Wire.end(body, "create browser");
            return new Open(id, type, destination, selector);
        }
    }

    public static ByteBuf nextFrame(ByteBufAllocator alloc, int correlationId, long browserId, int max) {
        ByteBuf b = FrameLayout.begin(alloc, 12, CommandCode.BROWSE_NEXT, 0, correlationId);
        b.writeLong(browserId);
        b.writeInt(max);
        return FrameLayout.end(b);
    }

    /** Starts an answer to BROWSE_NEXT; add messages, then {@link #endPage}. */
    public static ByteBuf beginPage(ByteBufAllocator alloc, int correlationId) {
        ByteBuf b = FrameLayout.begin(alloc, 4096, CommandCode.BROWSE_NEXT, FrameLayout.FLAG_RESPONSE, correlationId);
        b.writeInt(0);
        return b;
    }

    public static void addMessage(ByteBuf page, int storeQueueId, long offset, int deliveryCount, ByteBuffer message) {
        page.setInt(FrameLayout.HEADER_SIZE, page.getInt(FrameLayout.HEADER_SIZE) + 1);
        page.writeInt(storeQueueId);
        page.writeLong(offset);
        page.writeInt(deliveryCount);
        page.writeInt(message.remaining());
        page.writeBytes(message.duplicate());
    }

    public static ByteBuf endPage(ByteBuf page, boolean done) {
        page.writeByte(done ? 1 : 0);
        return FrameLayout.end(page);
    }

    /** One browsed message. */
    public record Entry(int storeQueueId, long offset, int deliveryCount, byte[] message) {
    }

    /** A decoded page. */
    public record Page(java.util.List<Entry> entries, boolean done) {
    }

    public static Page decodePage(ByteBuf body) {
        int n = Wire.readCount(body, 20, "browse page count");
        java.util.List<Entry> entries = new java.util.ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            Wire.need(body, 16, "browse entry");
            int sq = body.readInt();
            long offset = body.readLong();
            int count = body.readInt();
            byte[] message = Wire.readBytes(body, "browse message");
            entries.add(new Entry(sq, offset, count, message));
        }
        Wire.need(body, 1, "browse done");
        boolean done = body.readByte() != 0;
        Wire.end(body, "browse page");
        return new Page(entries, done);
    }
}
