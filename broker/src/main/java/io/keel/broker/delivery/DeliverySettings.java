package io.keel.broker.delivery;

/**
 * Redelivery and dead-letter settings (per broker for now; per destination later).
 *
 * @param maxDeliveries       deliveries after which a message that comes back goes to the dead-letter queue
 * @param redeliveryDelayMillis how long a returned message waits before it is offered again
 * @param leaseMillis         how long a consumer may hold a message before it is returned (0 = until
 *                            the consumer or its connection closes)
 * @param deadLetterQueue     name of the dead-letter queue
 */
public record DeliverySettings(int maxDeliveries, long redeliveryDelayMillis, long leaseMillis, String deadLetterQueue) {

    public static DeliverySettings defaults() {
        return new DeliverySettings(10, 0, 0, "DLQ");
    }
}
