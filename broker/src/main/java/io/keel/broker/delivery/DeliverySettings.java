package io.keel.broker.delivery;

import java.util.List;
import java.util.Map;

/**
 * Redelivery, dead-letter and expiry settings: the broker's defaults, and per destination the values
 * an administrator set ({@code keel admin configure}, keys {@link #KEYS}).
 *
 * @param maxDeliveries         deliveries after which a message that comes back goes to the dead-letter queue
 * @param redeliveryDelayMillis how long a returned message waits before it is offered again
 * @param leaseMillis           how long a consumer may hold a message before it is returned (0 = until
 *                              the consumer or its connection closes)
 * @param deadLetterQueue       name of the dead-letter queue
 * @param expiryQueue           name of the queue expired messages are moved to, or null to drop them
 */
public record DeliverySettings(int maxDeliveries, long redeliveryDelayMillis, long leaseMillis, String deadLetterQueue,
        String expiryQueue) {

    /** The keys of the per-destination settings. */
    public static final List<String> KEYS = List.of("maxDeliveries", "redeliveryDelayMillis", "leaseMillis",
            "deadLetterQueue", "expiryQueue");

    public static DeliverySettings defaults() {
        return new DeliverySettings(10, 0, 0, "DLQ", null);
    }

    /**
     * These settings with {@code overrides} applied. Throws IllegalArgumentException naming the key and
     * the rule when a key is unknown or a value is out of range.
     */
    public DeliverySettings with(Map<String, String> overrides) {
        int max = maxDeliveries;
        long delay = redeliveryDelayMillis;
        long lease = leaseMillis;
        String dlq = deadLetterQueue;
        String expiry = expiryQueue;
        for (Map.Entry<String, String> e : overrides.entrySet()) {
            String v = e.getValue().trim();
            switch (e.getKey()) {
                case "maxDeliveries" -> max = (int) number(e.getKey(), v, 1, 1_000_000);
                case "redeliveryDelayMillis" -> delay = number(e.getKey(), v, 0, 7L * 24 * 3600 * 1000);
                case "leaseMillis" -> lease = number(e.getKey(), v, 0, Long.MAX_VALUE);
                case "deadLetterQueue" -> dlq = queueName(e.getKey(), v);
                case "expiryQueue" -> expiry = queueName(e.getKey(), v);
                default -> throw new IllegalArgumentException("unknown delivery setting '" + e.getKey()
                        + "'; the settings are " + KEYS);
            }
        }
        return new DeliverySettings(max, delay, lease, dlq, expiry);
    }

    /** The settings as key/value text, as {@code keel admin configure} prints them. */
    public Map<String, String> describe() {
        Map<String, String> m = new java.util.LinkedHashMap<>();
        m.put("maxDeliveries", Integer.toString(maxDeliveries));
        m.put("redeliveryDelayMillis", Long.toString(redeliveryDelayMillis));
        m.put("leaseMillis", Long.toString(leaseMillis));
        m.put("deadLetterQueue", deadLetterQueue);
        m.put("expiryQueue", expiryQueue == null ? "(none: expired messages are dropped)" : expiryQueue);
        return m;
    }

    private static long number(String key, String v, long min, long max) {
        long n;
        try {
            n = Long.parseLong(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("delivery setting " + key + "='" + v + "' is not a whole number");
        }
        if (n < min || n > max) {
            throw new IllegalArgumentException("delivery setting " + key + "=" + n + " is not within " + min + "-" + max);
        }
        return n;
    }

    private static String queueName(String key, String v) {
        String problem = io.keel.broker.destination.DestinationId.problem(v);
        if (problem != null) {
            throw new IllegalArgumentException("delivery setting " + key + ": " + problem);
        }
        return v;
    }
}
