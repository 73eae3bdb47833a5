package io.keel.jms.destination;

import io.keel.protocol.DestinationType;
import jakarta.jms.JMSException;
import jakarta.jms.TemporaryTopic;

/**
 * A temporary topic: it lives as long as the connection that created it. The owner (that connection)
 * is transient: a copy received in a message header, deserialised or looked up has none and cannot
 * {@link #delete()} it.
 */
public final class KeelTemporaryTopic extends KeelDestination implements TemporaryTopic {

    private static final long serialVersionUID = 1L;

    private final transient TemporaryOwner owner;

    /**
     * @param name the broker-assigned name
     * @param owner the creating connection's delete callback, or null for a destination it did not create
     */
    public KeelTemporaryTopic(String name, TemporaryOwner owner) {
        super(DestinationType.TEMPORARY_TOPIC, requireName(name, "temporary topic"));
        this.owner = owner;
    }

    @Override
    public String getTopicName() {
        return name();
    }

    /** Deletes it through the creating connection; JMSException on any other copy. */
    @Override
    public void delete() throws JMSException {
        deleteVia(owner, this);
    }
}
