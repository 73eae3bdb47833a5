package io.keel.protocol.message;

import java.util.Objects;

import io.keel.protocol.DestinationType;

/**
 * A destination as named in a message header (JMSDestination, JMSReplyTo): its kind and its name.
 * The kind reuses the protocol-wide {@link DestinationType}; the message codec gives it its own wire
 * codes (see {@link MessageLayout}), so the message format does not change if that enum does.
 *
 * @param kind queue, topic, temporary queue or temporary topic
 * @param name the provider-level name (for temporary destinations, the broker-assigned name)
 */
public record DestinationRef(DestinationType kind, String name) {

    public DestinationRef {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(name, "name");
    }

    public static DestinationRef queue(String name) {
        return new DestinationRef(DestinationType.QUEUE, name);
    }

    public static DestinationRef topic(String name) {
        return new DestinationRef(DestinationType.TOPIC, name);
    }

    /** Wire code of a kind: 1-4 ({@link MessageLayout#DEST_NONE} = 0 means "no destination"). */
    static byte code(DestinationType kind) {
        return switch (kind) {
            case QUEUE -> 1;
            case TOPIC -> 2;
            case TEMPORARY_QUEUE -> 3;
            case TEMPORARY_TOPIC -> 4;
        };
    }

    /** The kind for a wire code 1-4, or {@code null} for any other code. */
    static DestinationType kindOf(int code) {
        return switch (code) {
            case 1 -> DestinationType.QUEUE;
            case 2 -> DestinationType.TOPIC;
            case 3 -> DestinationType.TEMPORARY_QUEUE;
            case 4 -> DestinationType.TEMPORARY_TOPIC;
            default -> null;
        };
    }
}
