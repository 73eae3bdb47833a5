package io.keel.protocol.command;

import io.keel.protocol.frame.FrameLayout;
import io.keel.protocol.frame.ProtocolViolation;
import io.keel.protocol.frame.Wire;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

/**
 * The first frame of every connection, and its answer. A broker closes a connection whose first
 * frame is anything else, or whose version it does not speak (after an error reply).
 *
 * <pre>
 * request:  0       4       6                                                    ...
 *           +-------+-------+--------------+-----------+-----------+------------+
 *           | magic |version| clientId (s) | user (s)  | password  | heartbeat  |
 *           +-------+-------+--------------+-----------+-----------+ ms (int)   |
 *                                                                  +------------+
 * response: +-------+---------------+-----------+--------------+--------------+
 *           |version| brokerName (s)| heartbeat | maxFrameSize | connectionId |
 *           | short |               | ms (int)  | (int)        | (long)       |
 *           +-------+---------------+-----------+--------------+--------------+
 * </pre>
 * (s) = string as in {@link Wire}; null client id, user and password are allowed.
 */
public final class Handshake {

    public static final int MAGIC = 0x4B45454C;
    public static final short VERSION = 1;

    public record Request(short version, String clientId, String user, String password, int heartbeatMillis) {

        public ByteBuf frame(ByteBufAllocator alloc, int correlationId) {
            ByteBuf b = FrameLayout.begin(alloc, 128, CommandCode.HANDSHAKE, 0, correlationId);
            b.writeInt(MAGIC);
            b.writeShort(version);
            Wire.writeString(b, clientId);
            Wire.writeString(b, user);
            Wire.writeString(b, password);
            b.writeInt(heartbeatMillis);
            return FrameLayout.end(b);
        }

        public static Request decode(ByteBuf body) {
            Wire.need(body, 6, "handshake");
            int magic = body.readInt();
            if (magic != MAGIC) {
                throw new ProtocolViolation("handshake: magic 0x" + Integer.toHexString(magic)
                        + " is not Keel's 0x" + Integer.toHexString(MAGIC));
            }
            short version = body.readShort();
            String clientId = Wire.readString(body, "handshake client id");
            String user = Wire.readString(body, "handshake user");
            String password = Wire.readString(body, "handshake password");
            Wire.need(body, 4, "handshake heartbeat");
            int heartbeat = body.readInt();
            Wire.end(body, "handshake");
            return new Request(version, clientId, user, password, heartbeat);
        }
    }

    public record Response(short version, String brokerName, int heartbeatMillis, int maxFrameSize, long connectionId) {

        public ByteBuf frame(ByteBufAllocator alloc, int correlationId) {
            ByteBuf b = FrameLayout.begin(alloc, 64, CommandCode.HANDSHAKE, FrameLayout.FLAG_RESPONSE, correlationId);
            b.writeShort(version);
            Wire.writeString(b, brokerName);
            b.writeInt(heartbeatMillis);
            b.writeInt(maxFrameSize);
            b.writeLong(connectionId);
            return FrameLayout.end(b);
        }

        public static Response decode(ByteBuf body) {
            Wire.need(body, 2, "handshake response");
            short version = body.readShort();
            String broker = Wire.readString(body, "handshake broker name");
            Wire.need(body, 16, "handshake response");
            Response r = new Response(version, broker, body.readInt(), body.readInt(), body.readLong());
            Wire.end(body, "handshake response");
            return r;
        }
    }

    private Handshake() {
    }
}
