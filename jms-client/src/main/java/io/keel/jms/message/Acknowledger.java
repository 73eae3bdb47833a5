package io.keel.jms.message;

import jakarta.jms.JMSException;

/**
 * What {@code Message.acknowledge()} does for a received message: set by the consumer when its session
 * is in CLIENT_ACKNOWLEDGE mode (it acknowledges every message the session consumed so far). Messages
 * without one (created by the application, or received in another mode) acknowledge nothing, as the
 * specification requires.
 */
@FunctionalInterface
public interface Acknowledger {

    /** Acknowledges; throws IllegalStateException if the session is closed, as the API specifies. */
    void acknowledge() throws JMSException;
}
