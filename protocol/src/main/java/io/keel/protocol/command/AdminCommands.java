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
 *                         | enqueued (long) | inFlight (long) | deadLettered (long) | expired (long)
 *  ADMIN_SUBSCRIPTIONS request: empty  response: count (int) | count x SubscriptionInfo
 *  SubscriptionInfo:      type (byte) | destination (s) | kind (s) | name (s) | clientId (s) | selector (s)
 *                         | depth (long) | inFlight (long) | consumers (int) | deadLettered (long) | expired (long)
 *  ADMIN_STATS  request:  empty     response: count (int) | count x ( key (s) | value (s) )
 *  ADMIN_CONFIGURE request: type (byte) | name (s) | count (int) | count x ( key (s) | value (s) )
 *               (an empty value resets a key to the broker default; count 0 only shows)
 *               response: the destination's effective settings, as ADMIN_STATS
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

    /** ADMIN_CONFIGURE: delivery settings to change on a destination (none: only show them). */
    public record Configure(DestinationType type, String name, Map<String, String> changes) {

        public ByteBuf frame(ByteBufAllocator alloc, int correlationId) {
            ByteBuf b = FrameLayout.begin(alloc, 16 + name.length() * 3 + changes.size() * 64, CommandCode.ADMIN_CONFIGURE,
                    0, correlationId);
            b.writeByte(type.code());
            Wire.writeString(b, name);
            b.writeInt(changes.size());
            changes.forEach((k, v) -> {
                Wire.writeString(b, k);
                Wire.writeString(b, v);
            });
            return FrameLayout.end(b);
        }

        public static Configure decode(ByteBuf body) {
            Wire.need(body, 1, "admin configure type");
            DestinationType type = DestinationType.of(body.readByte());
            String name = Wire.readString(body, "admin configure name");
            int n = Wire.readCount(body, 8, "admin configure count");
            Map<String, String> changes = new LinkedHashMap<>();
            for (int i = 0; i < n; i++) {
                String key = Wire.readString(body, "admin configure key");
                String value = Wire.readString(body, "admin configure value");
                if (key == null) {
                    throw new io.keel.protocol.frame.ProtocolViolation("admin configure: a setting has no name");
                }
                changes.put(key, value == null ? "" : value);
            }
            Wire.end(body, "admin configure");
            return new Configure(type, name, changes);
        }
    }

    /** The answer to ADMIN_CONFIGURE: the effective settings (same layout as ADMIN_STATS). */
    public static ByteBuf configureResponse(ByteBufAllocator alloc, int correlationId, Map<String, String> settings) {
        return mapResponse(alloc, CommandCode.ADMIN_CONFIGURE, correlationId, settings);
    }

    /** One line of ADMIN_LIST. */
    public record DestinationInfo(DestinationType type, String name, int queueCount, long depth, int consumers,
            long enqueued, long inFlight, long deadLettered, long expired) {
    }

    /** One line of ADMIN_SUBSCRIPTIONS: a consumption point (a queue, or a topic subscription of any kind). */
    public record SubscriptionInfo(DestinationType type, String destination, String kind, String name, String clientId,
            String selector, long depth, long inFlight, int consumers, long deadLettered, long expired) {
    }

    public static ByteBuf subscriptionsResponse(ByteBufAllocator alloc, int correlationId, List<SubscriptionInfo> list) {
        ByteBuf b = FrameLayout.begin(alloc, 4 + list.size() * 96, CommandCode.ADMIN_SUBSCRIPTIONS,
                FrameLayout.FLAG_RESPONSE, correlationId);
        b.writeInt(list.size());
        for (SubscriptionInfo s : list) {
            b.writeByte(s.type().code());
            Wire.writeString(b, s.destination());
            Wire.writeString(b, s.kind());
            Wire.writeString(b, s.name());
            Wire.writeString(b, s.clientId());
            Wire.writeString(b, s.selector());
            b.writeLong(s.depth());
            b.writeLong(s.inFlight());
            b.writeInt(s.consumers());
            b.writeLong(s.deadLettered());
            b.writeLong(s.expired());
        }
        return FrameLayout.end(b);
    }

    public static List<SubscriptionInfo> decodeSubscriptions(ByteBuf body) {
        int n = Wire.readCount(body, 57, "admin subscriptions count");
        List<SubscriptionInfo> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            Wire.need(body, 1, "admin subscription type");
            DestinationType type = DestinationType.of(body.readByte());
            String destination = Wire.readString(body, "admin subscription destination");
            String kind = Wire.readString(body, "admin subscription kind");
            String name = Wire.readString(body, "admin subscription name");
            String clientId = Wire.readString(body, "admin subscription client id");
            String selector = Wire.readString(body, "admin subscription selector");
            Wire.need(body, 36, "admin subscription fields");
            out.add(new SubscriptionInfo(type, destination, kind, name, clientId, selector, body.readLong(),
                    body.readLong(), body.readInt(), body.readLong(), body.readLong()));
        }
        Wire.end(body, "admin subscriptions");
        return out;
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
            b.writeLong(d.deadLettered());
            b.writeLong(d.expired());
        }
        return FrameLayout.end(b);
    }

    public static List<DestinationInfo> decodeList(ByteBuf body) {
        int n = Wire.readCount(body, 53, "admin list count");
        List<DestinationInfo> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            Wire.need(body, 1, "admin list type");
            DestinationType type = DestinationType.of(body.readByte());
            String name = Wire.readString(body, "admin list name");
            Wire.need(body, 48, "admin list fields");
            out.add(new DestinationInfo(type, name, body.readInt(), body.readLong(), body.readInt(), body.readLong(),
                    body.readLong(), body.readLong(), body.readLong()));
        }
        Wire.end(body, "admin list");
        return out;
    }

    public static ByteBuf statsResponse(ByteBufAllocator alloc, int correlationId, Map<String, String> stats) {
        return mapResponse(alloc, CommandCode.ADMIN_STATS, correlationId, stats);
    }

    private static ByteBuf mapResponse(ByteBufAllocator alloc, short command, int correlationId, Map<String, String> stats) {
        ByteBuf b = FrameLayout.begin(alloc, 4 + stats.size() * 48, command, FrameLayout.FLAG_RESPONSE, correlationId);
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
