package io.keel.jms.destination;

import io.keel.protocol.DestinationType;
import jakarta.jms.Queue;

/** A queue, by physical name. Created by {@code Session.createQueue}, JNDI or {@code new KeelQueue(name)}. */
public final class KeelQueue extends KeelDestination implements Queue {

    private static final long serialVersionUID = 1L;

    /** IllegalArgumentException if {@code name} is null or empty. */
    public KeelQueue(String name) {
        super(DestinationType.QUEUE, requireName(name, "queue"));
    }

    @Override
    public String getQueueName() {
        return name();
    }
}
