package io.keel.broker.delivery;

import io.keel.broker.destination.DestinationId;

/**
 * What a subscription is: its id, kind, destination, name (null for a queue), the client id that
 * owns it (unshared durable subscriptions), its selector and noLocal flag. Persisted in a
 * {@link StateRecord#SUBSCRIPTION} record.
 */
public record SubscriptionSpec(long id, Kind kind, DestinationId destination, String name, String clientId,
        String selector, boolean noLocal, long[] startOffsets) {

    /** Where each store queue starts for a new topic subscription (-1: at the destination's floor). */
    public long startOffset(int storeQueueId) {
        return startOffsets == null || storeQueueId >= startOffsets.length ? -1 : startOffsets[storeQueueId];
    }

    /** The kinds of subscription. */
    public enum Kind {
        /** The single subscription of a JMS queue, shared by its competing consumers. */
        QUEUE,
        /** A durable topic subscription of one client id. */
        DURABLE,
        /** A shared durable topic subscription. */
        SHARED_DURABLE,
        /** A non-durable topic subscription of one consumer. */
        NON_DURABLE,
        /** A shared non-durable topic subscription. */
        SHARED_NON_DURABLE;

        public boolean durable() {
            return this == QUEUE || this == DURABLE || this == SHARED_DURABLE;
        }

        public boolean shared() {
            return this == SHARED_DURABLE || this == SHARED_NON_DURABLE;
        }
    }
}
