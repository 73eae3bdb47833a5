package io.keel.jms.destination;

import jakarta.jms.JMSException;

/**
 * The connection that created a temporary destination, as seen by that destination: {@code delete()}
 * asks it to delete the destination on the broker (the connection checks that no consumer is active and
 * sends the request). A temporary destination that arrived in a message header, or was deserialised or
 * looked up, has no owner, so it cannot be deleted from there — only the creating connection may.
 */
@FunctionalInterface
public interface TemporaryOwner {

    /** Deletes {@code destination} on the broker; throws as {@code TemporaryQueue.delete()} specifies. */
    void delete(KeelDestination destination) throws JMSException;
}
