package io.keel.protocol.client;

/** The connection closed before the answer to a request arrived; its outcome is unknown. */
public final class ConnectionLost extends RuntimeException {
    public ConnectionLost(String message) {
        super(message);
    }

    public ConnectionLost(String message, Throwable cause) {
        super(message, cause);
    }
}
