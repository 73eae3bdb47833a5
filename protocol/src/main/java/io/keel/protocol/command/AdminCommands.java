package io.keel.protocol.command;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.keel.protocol.DestinationType;
import io.keel.protocol.frame.FrameLayout;
import io.keel.protocol.frame.Wire;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

/**
 * The administration commands of {@code keel admin}.
 *
 * <pre>
 *  ADMIN_CREATE request:  type (byte) | name (s) | queueCount (int)        response: empty
 *  ADMIN_DELETE request:  type (byte) | name (s)                           response: empty
 *  ADMIN_PURGE  request:  type (byte) | name (s)                           response: purged (long)
 *  ADMIN_LIST   request:  empty     response: count (int) | count x DestinationInfo
 *  DestinationInfo:       type (byte) | name (s) | queueCount (int) | depth (long) | consumers (int)
 *                         | enqueued (long) | inFlight (long)
 *  ADMIN_STATS  request:  empty     response: count (int) | count x ( key (s) | value (s) )
 * </pre>
 */
public final class AdminCommands {

    private AdminCommands() {
    }

    /** A destination named in a create, delete or purge request. */
    public record Target(DestinationType type, String name, int queueCount) {

        public ByteBuf frame(ByteBufAllocator alloc, short command, int correlationId) {
            ByteBuf b = FrameLayout.begin(alloc, 16 + name.length() * 3, command, 0, correlationId);
            b.writeByte(type.code());
            Wire.writeString(b, name);
            if (command == CommandCode.ADMIN_CREATE) {
                b.writeInt(queueCount);
            }
            return FrameLayout.end(b);
        }

        public static Target decode(ByteBuf body, short command) {
            Wire.need(body, 1, "admin destination type");
            DestinationType type = DestinationType.of(body.readByte());
            String name = Wire.readString(body, "admin destination name");
            int queues = 0;
            if (command == CommandCode.ADMIN_CREATE) {
                Wire.need(body, 4, "admin queue count");
                queues = body.readInt();
            }
            Wire.end(body, CommandCode.name(command));
            return new Target(type, name, queues);
        }
    }

    /** One line of ADMIN_LIST. */
    public record DestinationInfo(DestinationType type, String name, int queueCount, long depth, int consumers,
            long enqueued, long inFlight) {
    }

    public static ByteBuf listResponse(ByteBufAllocator alloc, int correlationId, List<DestinationInfo> list) {
        ByteBuf b = FrameLayout.begin(alloc, 4 + list.size() * 48, CommandCode.ADMIN_LIST, FrameLayout.FLAG_RESPONSE,
                correlationId);
        b.writeInt(list.size());
        for (DestinationInfo d : list) {
            b.writeByte(d.type().code());
            Wire.writeString(b, d.name());
            b.writeInt(d.queueCount());
            b.writeLong(d.depth());
            b.writeInt(d.consumers());
            b.writeLong(d.enqueued());
            b.writeLong(d.inFlight());
        }
        return FrameLayout.end(b);
    }

    public static List<DestinationInfo> decodeList(ByteBuf body) {
        int n = Wire.readCount(body, 37, "admin list count");
        List<DestinationInfo> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            Wire.need(body, 1, "admin list type");
            DestinationType type = DestinationType.of(body.readByte());
            String name = Wire.readString(body, "admin list name");
            Wire.need(body, 32, "admin list fields");
            out.add(new DestinationInfo(type, name, body.readInt(), body.readLong(), body.readInt(), body.readLong(),
                    body.readLong()));
        }
        Wire.end(body, "admin list");
        return out;
    }

    public static ByteBuf statsResponse(ByteBufAllocator alloc, int correlationId, Map<String, String> stats) {
        ByteBuf b = FrameLayout.begin(alloc, 4 + stats.size() * 48, CommandCode.ADMIN_STATS, FrameLayout.FLAG_RESPONSE,
                correlationId);
        b.writeInt(stats.size());
        stats.forEach((k, v) -> {
            Wire.writeString(b, k);
            Wire.writeString(b, v);
        });
        return FrameLayout.end(b);
    }

    public static Map<String, String> decodeStats(ByteBuf body) {
        int n = Wire.readCount(body, 8, "admin stats count");
        Map<String, String> out = new LinkedHashMap<>();
        for (int i = 0; i < n; i++) {
            out.put(Wire.readString(body, "admin stats key"), Wire.readString(body, "admin stats value"));
        }
        Wire.end(body, "admin stats");
        return out;
    }

    public static ByteBuf purgeResponse(ByteBufAllocator alloc, int correlationId, long purged) {
        ByteBuf b = FrameLayout.begin(alloc, 8, CommandCode.ADMIN_PURGE, FrameLayout.FLAG_RESPONSE, correlationId);
        b.writeLong(purged);
        return FrameLayout.end(b);
    }

    /** An empty request (LIST, STATS) or empty response. */
    public static ByteBuf empty(ByteBufAllocator alloc, short command, int flags, int correlationId) {
        return FrameLayout.end(FrameLayout.begin(alloc, 0, command, flags, correlationId));
    }
}
