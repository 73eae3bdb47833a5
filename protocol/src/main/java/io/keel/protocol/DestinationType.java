package io.keel.protocol;

import io.keel.protocol.frame.ProtocolViolation;

/** The kinds of JMS destination, with their one-byte wire code. Queues and topics are separate namespaces. */
public enum DestinationType {
    QUEUE(0), TOPIC(1), TEMPORARY_QUEUE(2), TEMPORARY_TOPIC(3);

    private final byte code;

    DestinationType(int code) {
        this.code = (byte) code;
    }

    public byte code() {
        return code;
    }

    /** Point-to-point (competing consumers) rather than publish/subscribe. */
    public boolean isQueue() {
        return this == QUEUE || this == TEMPORARY_QUEUE;
    }

    public boolean isTemporary() {
        return this == TEMPORARY_QUEUE || this == TEMPORARY_TOPIC;
    }

    public static DestinationType of(byte code) {
        return switch (code) {
            case 0 -> QUEUE;
            case 1 -> TOPIC;
            case 2 -> TEMPORARY_QUEUE;
            case 3 -> TEMPORARY_TOPIC;
            default -> throw new ProtocolViolation("destination type " + code + " is not one of 0-3");
        };
    }
}
