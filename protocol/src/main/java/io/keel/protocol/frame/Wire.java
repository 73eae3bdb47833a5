package io.keel.protocol.frame;

import java.nio.charset.StandardCharsets;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;

/**
 * Field encodings shared by every command body: strings are an int byte length (-1 for null) then
 * UTF-8; byte arrays likewise. Every length is checked against the bytes left before anything is
 * allocated, so a forged length is a {@link ProtocolViolation}, never an allocation.
 */
public final class Wire {

    private Wire() {
    }

    public static void writeString(ByteBuf b, String s) {
        if (s == null) {
            b.writeInt(-1);
            return;
        }
        int lengthAt = b.writerIndex();
        b.writeInt(0);
        int written = ByteBufUtil.writeUtf8(b, s);
        b.setInt(lengthAt, written);
    }

    public static String readString(ByteBuf b, String field) {
        int length = readLength(b, field);
        if (length < 0) {
            return null;
        }
        String s = b.toString(b.readerIndex(), length, StandardCharsets.UTF_8);
        b.skipBytes(length);
        return s;
    }

    public static void writeBytes(ByteBuf b, byte[] bytes) {
        if (bytes == null) {
            b.writeInt(-1);
            return;
        }
        b.writeInt(bytes.length);
        b.writeBytes(bytes);
    }

    public static byte[] readBytes(ByteBuf b, String field) {
        int length = readLength(b, field);
        if (length < 0) {
            return null;
        }
        byte[] out = new byte[length];
        b.readBytes(out);
        return out;
    }

    /** Reads a length field: -1 (null) or within the bytes left. */
    public static int readLength(ByteBuf b, String field) {
        need(b, 4, field);
        int length = b.readInt();
        if (length < -1 || length > b.readableBytes()) {
            throw new ProtocolViolation(field + ": length " + length + " does not fit the " + b.readableBytes()
                    + " bytes left in the frame");
        }
        return length;
    }

    /** Reads a count of items each at least {@code minItemSize} bytes long. */
    public static int readCount(ByteBuf b, int minItemSize, String field) {
        need(b, 4, field);
        int count = b.readInt();
        if (count < 0 || (long) count * minItemSize > b.readableBytes()) {
            throw new ProtocolViolation(field + ": count " + count + " does not fit the " + b.readableBytes()
                    + " bytes left in the frame");
        }
        return count;
    }

    /** Fails unless {@code n} more bytes can be read. */
    public static void need(ByteBuf b, int n, String field) {
        if (b.readableBytes() < n) {
            throw new ProtocolViolation(field + ": needs " + n + " bytes, the frame has " + b.readableBytes() + " left");
        }
    }

    /** Fails if bytes are left after a body was read completely. */
    public static void end(ByteBuf b, String command) {
        if (b.isReadable()) {
            throw new ProtocolViolation(command + ": " + b.readableBytes() + " unexpected bytes after the body");
        }
    }
}
