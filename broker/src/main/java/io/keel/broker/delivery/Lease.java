package io.keel.broker.delivery;

/**
 * A message handed out and not yet settled: who holds it (a consumer's or a transaction's
 * broker-wide holder id, or {@link QueueCursor#HELD_BY_BROKER}), how many times it has been delivered
 * (this delivery included), and when the lease runs out (0 = never).
 */
public record Lease(long holder, int deliveryCount, long expiresAtMillis) {
}
