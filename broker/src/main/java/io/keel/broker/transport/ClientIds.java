package io.keel.broker.transport;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.ConcurrentHashMap;

import io.netty.channel.Channel;

/**
 * The client ids in use on this broker: JMS requires a client id to be unique (a second connection
 * with the same one gets InvalidClientIDException). A client id is released when its connection closes.
 */
public final class ClientIds {

    private final ConcurrentHashMap<String, Channel> owners = new ConcurrentHashMap<>();

    /** Claims {@code clientId} for {@code channel}; false if another open connection holds it. */
    public boolean claim(String clientId, Channel channel) {
        Channel previous = owners.putIfAbsent(clientId, channel);
        if (previous == null || previous == channel) {
            if (previous == null) {
                channel.closeFuture().addListener(f -> owners.remove(clientId, channel));
            }
            return true;
        }
        return false;
    }

    /** Releases {@code clientId} if {@code channel} holds it (its connection is closing). */
    public void release(String clientId, Channel channel) {
        owners.remove(clientId, channel);
    }

    public int size() {
        return owners.size();
    }

    /**
     * The origin stamped on the messages a connection publishes (the ConsumeQueue tag code), for
     * noLocal: a 63-bit hash of its client id with the top bit set, or its connection id without one.
     * Two connections with the same client id cannot exist at once, and the hash is stable across
     * reconnects, which is what noLocal of a durable subscription needs.
     */
    public static long origin(String clientId, long connectionId) {
        if (clientId == null) {
            return connectionId & Long.MAX_VALUE;
        }
        long h = 0xcbf29ce484222325L;
        for (byte b : clientId.getBytes(StandardCharsets.UTF_8)) {
            h ^= b & 0xFF;
            h *= 0x100000001b3L;
        }
        return h | Long.MIN_VALUE;
    }
}
