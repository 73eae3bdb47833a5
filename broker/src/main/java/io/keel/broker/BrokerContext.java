package io.keel.broker;

import io.keel.broker.auth.Authenticator;
import io.keel.broker.config.BrokerConfig;
import io.keel.broker.consume.ConsumerHub;
import io.keel.broker.delivery.DeliveryEngine;
import io.keel.broker.destination.DestinationRegistry;
import io.keel.broker.transport.ClientIds;
import io.keel.store.MessageStore;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.util.concurrent.GlobalEventExecutor;

/** What every connection of a broker shares. */
public record BrokerContext(BrokerConfig config, MessageStore store, DestinationRegistry destinations,
        ConsumerHub consumers, DeliveryEngine delivery, Authenticator authenticator, ChannelGroup connections,
        ClientIds clientIds, long startedAtMillis) {

    public BrokerContext(BrokerConfig config, MessageStore store, DestinationRegistry destinations, ConsumerHub consumers,
            DeliveryEngine delivery, Authenticator authenticator) {
        this(config, store, destinations, consumers, delivery, authenticator,
                new DefaultChannelGroup("keel-clients", GlobalEventExecutor.INSTANCE), new ClientIds(),
                System.currentTimeMillis());
    }

    /** A context whose authenticator follows the configuration (tests that build a broker piece by piece). */
    public BrokerContext(BrokerConfig config, MessageStore store, DestinationRegistry destinations, ConsumerHub consumers,
            DeliveryEngine delivery) {
        this(config, store, destinations, consumers, delivery, Authenticator.of(config));
    }

    /** Bytes waiting in the outbound buffers of every client connection (bounded by the high-water marks). */
    public long pendingOutboundBytes() {
        long total = 0;
        for (io.netty.channel.Channel c : connections) {
            io.netty.channel.ChannelOutboundBuffer b = c.unsafe().outboundBuffer();
            if (b != null) {
                total = Math.max(total, b.totalPendingWriteBytes());
            }
        }
        return total;
    }
}
