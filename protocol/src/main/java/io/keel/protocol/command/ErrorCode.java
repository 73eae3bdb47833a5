package io.keel.protocol.command;

/**
 * Error codes of {@link ErrorReply}; the client maps each to the matching JMS exception.
 */
public enum ErrorCode {
    /** The request broke the protocol (malformed body, wrong state). */
    PROTOCOL_ERROR(1),
    /** The handshake asked for a protocol version the broker does not speak. */
    UNSUPPORTED_VERSION(2),
    /** Bad or missing credentials (JMSSecurityException). */
    AUTHENTICATION_FAILED(3),
    /** A command code the receiver does not know. */
    UNKNOWN_COMMAND(4),
    /** A destination that does not exist or cannot be created (InvalidDestinationException). */
    INVALID_DESTINATION(5),
    /** A message above the broker's maximum size (ResourceAllocationException). */
    MESSAGE_TOO_LARGE(6),
    /** The store is full (ResourceAllocationException). */
    STORE_FULL(7),
    /** A command before the handshake completed. */
    NOT_HANDSHAKEN(8),
    /** The broker failed; the message says why. */
    INTERNAL(9),
    /** The broker could not confirm durability in time (the outcome is unknown). */
    TIMEOUT(10),
    /** A well-formed request that breaks a rule (unknown consumer, duplicate id, ...). */
    INVALID_REQUEST(11),
    /** The client id is already in use (InvalidClientIDException). */
    CLIENT_ID_IN_USE(12),
    /** The destination already exists. */
    ALREADY_EXISTS(13),
    /** The broker is shutting down; retry elsewhere. */
    SHUTTING_DOWN(14),
    /** A message selector that does not parse (InvalidSelectorException). */
    INVALID_SELECTOR(15),
    /** The transaction could not commit and was rolled back (TransactionRolledBackException). */
    TRANSACTION_ROLLED_BACK(16);

    private final short code;

    ErrorCode(int code) {
        this.code = (short) code;
    }

    public short code() {
        return code;
    }

    /** The error of a code, or {@link #INTERNAL} for a code this version does not know. */
    public static ErrorCode of(short code) {
        for (ErrorCode e : values()) {
            if (e.code == code) {
                return e;
            }
        }
        return INTERNAL;
    }
}
