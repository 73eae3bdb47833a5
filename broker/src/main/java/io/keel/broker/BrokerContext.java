package io.keel.broker;

import io.keel.broker.config.BrokerConfig;
import io.keel.broker.consume.ConsumerHub;
import io.keel.broker.destination.DestinationRegistry;
import io.keel.store.MessageStore;

/** What every connection of a broker shares. */
public record BrokerContext(BrokerConfig config, MessageStore store, DestinationRegistry destinations,
        ConsumerHub consumers, long startedAtMillis) {
}
