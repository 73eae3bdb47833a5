package io.keel.jms.destination;

import io.keel.protocol.DestinationType;
import jakarta.jms.JMSException;
import jakarta.jms.TemporaryQueue;

/**
 * A temporary queue: it lives as long as the connection that created it. The owner (that connection)
 * is transient: a copy received in a message header, deserialised or looked up has none and cannot
 * {@link #delete()} it.
 */
public final class KeelTemporaryQueue extends KeelDestination implements TemporaryQueue {

    private static final long serialVersionUID = 1L;

    private final transient TemporaryOwner owner;

    /**
     * @param name the broker-assigned name
     * @param owner the creating connection's delete callback, or null for a destination it did not create
     */
    public KeelTemporaryQueue(String name, TemporaryOwner owner) {
        super(DestinationType.TEMPORARY_QUEUE, requireName(name, "temporary queue"));
        this.owner = owner;
    }

    @Override
    public String getQueueName() {
        return name();
    }

    /** Deletes it through the creating connection; JMSException on any other copy. */
    @Override
    public void delete() throws JMSException {
        deleteVia(owner, this);
    }
}
