package io.keel.broker.delivery;

/**
 * A message handed to one consumer and not yet settled: who holds it, how many times it has been
 * delivered (this delivery included), and when the lease runs out (0 = never).
 */
public record Lease(long consumerId, int deliveryCount, long expiresAtMillis) {
}
