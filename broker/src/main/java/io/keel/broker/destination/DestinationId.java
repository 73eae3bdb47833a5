package io.keel.broker.destination;

import java.nio.charset.StandardCharsets;

import io.keel.protocol.DestinationType;
import io.keel.store.QueueKey;

/** A destination's identity: queues and topics are separate namespaces. */
public record DestinationId(DestinationType type, String name) {

    /** Longest destination name in UTF-8 bytes: the store's limit less the two-byte type prefix. */
    public static final int MAX_NAME_BYTES = QueueKey.MAX_DESTINATION_BYTES - 2;

    /** Checks the name; returns null when valid, else the rule broken. */
    public static String problem(String name) {
        if (name == null || name.isEmpty()) {
            return "a destination name must not be empty";
        }
        int bytes = name.getBytes(StandardCharsets.UTF_8).length;
        if (bytes > MAX_NAME_BYTES) {
            return "destination name '" + name.substring(0, 32) + "...' is " + bytes
                    + " UTF-8 bytes, more than the maximum of " + MAX_NAME_BYTES;
        }
        for (int i = 0; i < name.length(); i++) {
            if (Character.isISOControl(name.charAt(i))) {
                return "destination name '" + name + "' contains a control character at index " + i;
            }
        }
        return null;
    }

    /** The destination string the store files this destination under ("Q:orders", "T:prices", ...). */
    public String storeName() {
        char prefix = switch (type) {
            case QUEUE -> 'Q';
            case TOPIC -> 'T';
            case TEMPORARY_QUEUE -> 'q';
            case TEMPORARY_TOPIC -> 't';
        };
        return prefix + ":" + name;
    }

    @Override
    public String toString() {
        return type.name().toLowerCase(java.util.Locale.ROOT).replace('_', ' ') + " '" + name + "'";
    }
}
