package io.keel.store;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Identifies one queue of the store: a destination name and a queue id. A destination may have
 * several queue ids (priority bands, producers spread over queues); each has its own ConsumeQueue.
 *
 * <p>Callers keep and reuse their QueueKey instances: the UTF-8 bytes and hash are computed once, so
 * the append path looks a queue up without allocating.
 */
public final class QueueKey {

    /** Longest destination name, in UTF-8 bytes (it also names a directory on disk). */
    public static final int MAX_DESTINATION_BYTES = 200;

    private final String destination;
    private final int queueId;
    private final byte[] destinationUtf8;
    private final int hash;

    public QueueKey(String destination, int queueId) {
        if (destination == null || destination.isEmpty()) {
            throw new IllegalArgumentException("queue key: the destination name must not be empty");
        }
        if (queueId < 0) {
            throw new IllegalArgumentException("queue key '" + destination + "': queue id " + queueId + " is negative");
        }
        this.destination = destination;
        this.queueId = queueId;
        this.destinationUtf8 = destination.getBytes(StandardCharsets.UTF_8);
        if (destinationUtf8.length > MAX_DESTINATION_BYTES) {
            throw new IllegalArgumentException("queue key '" + destination + "': the destination name is "
                    + destinationUtf8.length + " UTF-8 bytes, more than the maximum of " + MAX_DESTINATION_BYTES);
        }
        this.hash = hashOf(destinationUtf8, 0, destinationUtf8.length, queueId);
    }

    /** The hash of a destination's UTF-8 bytes and a queue id, equal to {@link #hashCode()} of its key. */
    public static int hashOf(byte[] utf8, int from, int length, int queueId) {
        int h = 1;
        for (int i = from; i < from + length; i++) {
            h = 31 * h + utf8[i];
        }
        return h * 31 + queueId;
    }

    public String destination() {
        return destination;
    }

    public int queueId() {
        return queueId;
    }

    /**
     * The UTF-8 encoding of the destination name, shared with the store's writer and dispatcher so
     * they copy it without allocating. Callers must not modify it.
     */
    public byte[] destinationUtf8() {
        return destinationUtf8;
    }

    /** Length of the UTF-8 destination name. */
    public int destinationLength() {
        return destinationUtf8.length;
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        return o instanceof QueueKey k && k.hash == hash && k.queueId == queueId
                && Arrays.equals(k.destinationUtf8, destinationUtf8);
    }

    @Override
    public int hashCode() {
        return hash;
    }

    @Override
    public String toString() {
        return destination + "#" + queueId;
    }
}
