package io.keel.protocol.selector;

/**
 * Supplies JMSXDeliveryCount for one delivery: the count is not in the stored message (the broker
 * knows it per delivery: 1 on the first, +1 on each redelivery). Asked only when the selector
 * references JMSXDeliveryCount (see {@link Selector#usesDeliveryCount()}), at most once per identifier
 * occurrence per evaluation. The value is an int, as the specification types JMSXDeliveryCount.
 */
@FunctionalInterface
public interface DeliveryCountProvider {

    int deliveryCount();
}
