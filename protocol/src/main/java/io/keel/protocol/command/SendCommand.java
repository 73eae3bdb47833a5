package io.keel.protocol.command;

import io.keel.protocol.DestinationType;
import io.keel.protocol.frame.FrameLayout;
import io.keel.protocol.frame.ProtocolViolation;
import io.keel.protocol.frame.Wire;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

/**
 * SEND: one message to a destination (SEND_BATCH repeats the entry after a count). The message bytes
 * are the encoded JMS message; the broker appends them to its store as they are.
 *
 * <pre>
 *  entry:
 *  0    1                   +0          +4          +12         +20   +21           +29        +37
 *  +----+-------------------+-----------+-----------+-----------+-----+-------------+----------+---------+-------------+
 *  |type| destination (s)   | queueId   | producerId| sequence  |flags| deliveryTime| txnId    | msgLen  | message     |
 *  |byte|                   | int, -1 = | long      | long      |byte | long        | long     | int     | msgLen bytes|
 *  +----+-------------------+ any       +-----------+-----------+-----+-------------+----------+---------+-------------+
 *  batch body: count (int), then count entries.
 * </pre>
 *
 * Flags: bit 0 {@link #FLAG_PERSISTENT} (the answer waits for the store's durability); bit 1
 * {@link #FLAG_IDEMPOTENT} (the producer may send this producer id and sequence again after a
 * failover: the broker stores it once and answers a repeat as a success); bits 4-7 the
 * JMS priority 0-9 (see {@link #priority()}). {@code txnId}: the connection's local transaction the
 * send belongs to (0 = none): such a message is stored prepared, invisible until the transaction
 * commits (see {@link TxnCommand}). A mutable object,
 * reused per connection, so decoding allocates only the destination name (and not even that when it
 * repeats, see {@link #sameDestination}).
 */
public final class SendCommand {

    public static final int FLAG_PERSISTENT = 1;
    /**
     * The producer id is unique and its sequence grows with every send, so the broker drops a send
     * whose sequence is not above the last one it stored for that producer (a resend after failover).
     */
    public static final int FLAG_IDEMPOTENT = 2;
    /** Fixed bytes of an entry besides the destination string and the message. */
    private static final int FIXED = 1 + 4 + 4 + 8 + 8 + 1 + 8 + 8 + 4;

    public DestinationType destinationType;
    public String destination;
    public int queueId = -1;
    public long producerId;
    public long sequence;
    public int flags;
    public long deliveryTime;
    /** The local transaction of this send, chosen by the client per connection; 0 = not transacted. */
    public long transactionId;
    /** The encoded message: a slice of the frame body (not retained separately). */
    public ByteBuf message;
    /**
     * Where {@link #decodeEntryInPlace} found the message: {@code messageLength} bytes of the frame
     * body at {@code messageIndex}.
     */
    public int messageIndex;
    public int messageLength;

    private byte[] lastDestinationUtf8;

    public boolean persistent() {
        return (flags & FLAG_PERSISTENT) != 0;
    }

    public boolean idempotent() {
        return (flags & FLAG_IDEMPOTENT) != 0 && producerId != 0;
    }

    /** The message priority carried in bits 4-7 of the flags (0-9). */
    public int priority() {
        return (flags >>> 4) & 0xF;
    }

    /** Sets the priority bits of the flags. */
    public SendCommand priority(int priority) {
        if (priority < 0 || priority > 9) {
            throw new IllegalArgumentException("priority " + priority + " is not within 0-9");
        }
        flags = (flags & 0x0F) | (priority << 4);
        return this;
    }

    /** Appends this entry to {@code b}; the message's readable bytes are copied and left unread. */
    public void encodeEntry(ByteBuf b) {
        b.writeByte(destinationType.code());
        Wire.writeString(b, destination);
        b.writeInt(queueId);
        b.writeLong(producerId);
        b.writeLong(sequence);
        b.writeByte(flags);
        b.writeLong(deliveryTime);
        b.writeLong(transactionId);
        b.writeInt(message.readableBytes());
        b.writeBytes(message, message.readerIndex(), message.readableBytes());
    }

    /** A whole SEND request frame. */
    public ByteBuf frame(ByteBufAllocator alloc, int correlationId) {
        ByteBuf b = FrameLayout.begin(alloc, FIXED + destination.length() * 3 + message.readableBytes(),
                CommandCode.SEND, 0, correlationId);
        encodeEntry(b);
        return FrameLayout.end(b);
    }

    /**
     * Reads one entry from {@code body}. The destination string is decoded only if it differs from
     * the previous entry's; the message becomes a slice of {@code body}.
     */
    public SendCommand decodeEntry(ByteBuf body) {
        int length = decodeFields(body);
        message = body.readSlice(length);
        return this;
    }

    /**
     * Reads one entry from {@code body} as {@link #decodeEntry} does, but leaves the message where it
     * is: {@link #messageIndex} and {@link #messageLength} say where, and {@link #message} is null.
     * The broker reads every SEND this way: a slice of a pooled frame body is an object per message.
     */
    public SendCommand decodeEntryInPlace(ByteBuf body) {
        int length = decodeFields(body);
        message = null;
        messageIndex = body.readerIndex();
        messageLength = length;
        body.skipBytes(length);
        return this;
    }

    /** Reads an entry up to its message; returns the message's length (present in {@code body}). */
    private int decodeFields(ByteBuf body) {
        Wire.need(body, 1, "send destination type");
        destinationType = DestinationType.of(body.readByte());
        int length = Wire.readLength(body, "send destination");
        if (length <= 0) {
            throw new ProtocolViolation("send: the destination name is empty");
        }
        if (!sameDestination(body, length)) {
            destination = body.toString(body.readerIndex(), length, java.nio.charset.StandardCharsets.UTF_8);
            lastDestinationUtf8 = new byte[length];
            body.getBytes(body.readerIndex(), lastDestinationUtf8);
        }
        body.skipBytes(length);
        Wire.need(body, FIXED - 1 - 4, "send fields");
        queueId = body.readInt();
        producerId = body.readLong();
        sequence = body.readLong();
        flags = body.readUnsignedByte();
        if (priority() > 9) {
            throw new ProtocolViolation("send: priority " + priority() + " is not within 0-9");
        }
        deliveryTime = body.readLong();
        transactionId = body.readLong();
        int messageBytes = Wire.readLength(body, "send message");
        if (messageBytes < 0) {
            throw new ProtocolViolation("send: the message is missing");
        }
        return messageBytes;
    }

    /** Whether the next {@code length} bytes of {@code body} are the previous destination's name. */
    private boolean sameDestination(ByteBuf body, int length) {
        byte[] last = lastDestinationUtf8;
        if (last == null || last.length != length) {
            return false;
        }
        int at = body.readerIndex();
        for (int i = 0; i < length; i++) {
            if (body.getByte(at + i) != last[i]) {
                return false;
            }
        }
        return true;
    }

    public static int readBatchCount(ByteBuf body) {
        return Wire.readCount(body, FIXED, "send batch count");
    }
}
