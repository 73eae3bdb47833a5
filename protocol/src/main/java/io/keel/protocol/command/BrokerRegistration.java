package io.keel.protocol.command;

import java.util.ArrayList;
import java.util.List;

import io.keel.protocol.DestinationType;
import io.keel.protocol.frame.FrameLayout;
import io.keel.protocol.frame.Wire;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

/**
 * BROKER_REGISTER: a broker tells a name server who it is, where clients reach it, and which
 * destinations it serves with how many queue ids (every 30 s, and at start). BROKER_UNREGISTER
 * carries the broker name alone, sent on graceful shutdown. Both are answered with an empty body.
 *
 * <pre>
 *  brokerName (s) | address (s) | autoCreate (byte) | defaultQueueCount (int)
 *  | count (int) | count x ( type (byte) | name (s) | queueCount (int) )
 *  A broker that creates destinations on first use is offered for destinations nobody serves yet.
 * </pre>
 */
public record BrokerRegistration(String brokerName, String address, boolean autoCreate, int defaultQueueCount,
        List<Entry> destinations) {

    /** One destination served by the broker. */
    public record Entry(DestinationType type, String name, int queueCount) {
    }

    public ByteBuf frame(ByteBufAllocator alloc, int correlationId) {
        ByteBuf b = FrameLayout.begin(alloc, 64 + destinations.size() * 40, CommandCode.BROKER_REGISTER, 0, correlationId);
        Wire.writeString(b, brokerName);
        Wire.writeString(b, address);
        b.writeByte(autoCreate ? 1 : 0);
        b.writeInt(defaultQueueCount);
        b.writeInt(destinations.size());
        for (Entry e : destinations) {
            b.writeByte(e.type().code());
            Wire.writeString(b, e.name());
            b.writeInt(e.queueCount());
        }
        return FrameLayout.end(b);
    }

    public static BrokerRegistration decode(ByteBuf body) {
        String name = Wire.readString(body, "registration broker name");
        String address = Wire.readString(body, "registration address");
        Wire.need(body, 5, "registration auto-create");
        boolean autoCreate = body.readByte() != 0;
        int defaultQueueCount = body.readInt();
        int n = Wire.readCount(body, 9, "registration destination count");
        List<Entry> entries = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            Wire.need(body, 1, "registration destination type");
            DestinationType type = DestinationType.of(body.readByte());
            String dest = Wire.readString(body, "registration destination");
            Wire.need(body, 4, "registration queue count");
            entries.add(new Entry(type, dest, body.readInt()));
        }
        Wire.end(body, "registration");
        return new BrokerRegistration(name, address, autoCreate, defaultQueueCount, entries);
    }

    public static ByteBuf unregisterFrame(ByteBufAllocator alloc, int correlationId, String brokerName) {
        ByteBuf b = FrameLayout.begin(alloc, 32, CommandCode.BROKER_UNREGISTER, 0, correlationId);
        Wire.writeString(b, brokerName);
        return FrameLayout.end(b);
    }

    public static String decodeUnregister(ByteBuf body) {
        String name = Wire.readString(body, "unregister broker name");
        Wire.end(body, "unregister");
        return name;
    }
}
