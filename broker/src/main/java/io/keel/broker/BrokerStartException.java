package io.keel.broker;

/** The broker could not start; the message says why in terms an operator can act on. */
public final class BrokerStartException extends RuntimeException {
    public BrokerStartException(String message, Throwable cause) {
        super(message, cause);
    }
}
