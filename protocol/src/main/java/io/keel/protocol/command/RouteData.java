package io.keel.protocol.command;

import java.util.ArrayList;
import java.util.List;

import io.keel.protocol.DestinationType;
import io.keel.protocol.frame.FrameLayout;
import io.keel.protocol.frame.Wire;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

/**
 * ROUTE_QUERY asks a name server which brokers serve a destination; the answer lists each broker
 * with its address and the queue ids it holds for the destination.
 *
 * <pre>
 *  query:    type (byte) | destination (s)
 *  response: count (int) | count x ( brokerName (s) | address "host:port" (s) | queueCount (int) )
 *            queue ids of a broker are 0 .. queueCount-1
 * </pre>
 */
public record RouteData(List<BrokerRoute> brokers) {

    /** One broker serving the destination. */
    public record BrokerRoute(String brokerName, String address, int queueCount) {
    }

    public static ByteBuf queryFrame(ByteBufAllocator alloc, int correlationId, DestinationType type, String destination) {
        ByteBuf b = FrameLayout.begin(alloc, 8 + destination.length() * 3, CommandCode.ROUTE_QUERY, 0, correlationId);
        b.writeByte(type.code());
        Wire.writeString(b, destination);
        return FrameLayout.end(b);
    }

    /** The destination of a query. */
    public record Query(DestinationType type, String destination) {
    }

    public static Query decodeQuery(ByteBuf body) {
        Wire.need(body, 1, "route query");
        DestinationType type = DestinationType.of(body.readByte());
        String destination = Wire.readString(body, "route query destination");
        Wire.end(body, "route query");
        return new Query(type, destination);
    }

    public ByteBuf responseFrame(ByteBufAllocator alloc, int correlationId) {
        ByteBuf b = FrameLayout.begin(alloc, 4 + brokers.size() * 64, CommandCode.ROUTE_QUERY, FrameLayout.FLAG_RESPONSE,
                correlationId);
        b.writeInt(brokers.size());
        for (BrokerRoute r : brokers) {
            Wire.writeString(b, r.brokerName());
            Wire.writeString(b, r.address());
            b.writeInt(r.queueCount());
        }
        return FrameLayout.end(b);
    }

    public static RouteData decode(ByteBuf body) {
        int n = Wire.readCount(body, 12, "route count");
        List<BrokerRoute> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            String name = Wire.readString(body, "route broker name");
            String address = Wire.readString(body, "route broker address");
            Wire.need(body, 4, "route queue count");
            out.add(new BrokerRoute(name, address, body.readInt()));
        }
        Wire.end(body, "route data");
        return new RouteData(out);
    }
}
