package io.keel.protocol.command;

/** The command codes of the frame header, and their names for log lines. */
public final class CommandCode {

    public static final short HANDSHAKE = 0x0001;
    public static final short HEARTBEAT = 0x0002;
    /**
     * The client closes its connection (request, empty body, empty answer; or one-way). The server
     * first releases what a new connection may claim at once (the connection's client id), then
     * answers, then closes the connection; the client closes its side once answered. Without it the
     * server noticed a close only when it read the end of the stream, and a client that reconnected at
     * once with the same client id could be refused.
     */
    public static final short CLOSE = 0x0003;

    public static final short SEND = 0x0010;
    public static final short SEND_BATCH = 0x0011;

    public static final short SUBSCRIBE = 0x0020;
    public static final short CREDIT = 0x0021;
    public static final short DELIVER = 0x0022;
    public static final short ACK = 0x0023;
    public static final short CLOSE_CONSUMER = 0x0024;
    public static final short CREATE_CONSUMER = 0x0025;
    public static final short RELEASE = 0x0026;
    /** Deletes a durable subscription; body: the subscription name (string). Answered with an empty body. */
    public static final short UNSUBSCRIBE = 0x0027;
    /** Sets the connection's client id after the handshake; body: the client id (string). */
    public static final short SET_CLIENT_ID = 0x0028;
    /** Creates a temporary queue or topic of the connection; body: type (byte). Answer: its name (string). */
    public static final short CREATE_TEMPORARY = 0x0029;
    /** Deletes a temporary destination of the connection; body: type (byte), name (string). */
    public static final short DELETE_TEMPORARY = 0x002A;
    public static final short CREATE_BROWSER = 0x002B;
    public static final short BROWSE_NEXT = 0x002C;
    /**
     * Hands delivered messages to a local transaction: they are settled when it commits and returned
     * (redelivered) when it rolls back. Body: see {@link TxnCommand}. Answered with an empty body.
     */
    public static final short TXN_ACK = 0x002D;
    /** Commits a local transaction: its sends become visible and its acks apply, atomically. */
    public static final short TXN_COMMIT = 0x002E;
    /** Rolls a local transaction back: its sends are discarded and its acked messages redelivered. */
    public static final short TXN_ROLLBACK = 0x002F;
    /**
     * Recover (or rollback) of one consumer, atomic on the broker: the listed deliveries (those the
     * application saw) go back counted, every other delivery the consumer still holds (prefetched,
     * never seen) goes back uncounted, and the consumer's delivery epoch (the correlation id of its
     * DELIVER frames) goes up by one, so the client can drop deliveries already on their way. Body as
     * {@link Ack}.
     */
    public static final short RECOVER = 0x0033;

    public static final short ROUTE_QUERY = 0x0030;
    public static final short BROKER_REGISTER = 0x0031;
    public static final short BROKER_UNREGISTER = 0x0032;

    public static final short ADMIN_CREATE = 0x0040;
    public static final short ADMIN_DELETE = 0x0041;
    public static final short ADMIN_LIST = 0x0042;
    public static final short ADMIN_STATS = 0x0043;
    public static final short ADMIN_PURGE = 0x0044;
    /** Lists every subscription (queues and topic subscriptions) with depth, in-flight and dead-letter counts. */
    public static final short ADMIN_SUBSCRIPTIONS = 0x0045;
    /** Sets or shows a destination's delivery settings; see {@link AdminCommands.Configure}. */
    public static final short ADMIN_CONFIGURE = 0x0046;

    private CommandCode() {
    }

    public static String name(short code) {
        return switch (code) {
            case HANDSHAKE -> "HANDSHAKE";
            case HEARTBEAT -> "HEARTBEAT";
            case CLOSE -> "CLOSE";
            case SEND -> "SEND";
            case SEND_BATCH -> "SEND_BATCH";
            case SUBSCRIBE -> "SUBSCRIBE";
            case CREDIT -> "CREDIT";
            case DELIVER -> "DELIVER";
            case ACK -> "ACK";
            case CLOSE_CONSUMER -> "CLOSE_CONSUMER";
            case CREATE_CONSUMER -> "CREATE_CONSUMER";
            case RELEASE -> "RELEASE";
            case UNSUBSCRIBE -> "UNSUBSCRIBE";
            case SET_CLIENT_ID -> "SET_CLIENT_ID";
            case CREATE_TEMPORARY -> "CREATE_TEMPORARY";
            case DELETE_TEMPORARY -> "DELETE_TEMPORARY";
            case CREATE_BROWSER -> "CREATE_BROWSER";
            case BROWSE_NEXT -> "BROWSE_NEXT";
            case TXN_ACK -> "TXN_ACK";
            case TXN_COMMIT -> "TXN_COMMIT";
            case TXN_ROLLBACK -> "TXN_ROLLBACK";
            case RECOVER -> "RECOVER";
            case ROUTE_QUERY -> "ROUTE_QUERY";
            case BROKER_REGISTER -> "BROKER_REGISTER";
            case BROKER_UNREGISTER -> "BROKER_UNREGISTER";
            case ADMIN_CREATE -> "ADMIN_CREATE";
            case ADMIN_DELETE -> "ADMIN_DELETE";
            case ADMIN_LIST -> "ADMIN_LIST";
            case ADMIN_STATS -> "ADMIN_STATS";
            case ADMIN_PURGE -> "ADMIN_PURGE";
            case ADMIN_SUBSCRIPTIONS -> "ADMIN_SUBSCRIPTIONS";
            case ADMIN_CONFIGURE -> "ADMIN_CONFIGURE";
            default -> "UNKNOWN(0x" + Integer.toHexString(code & 0xFFFF) + ")";
        };
    }
}
