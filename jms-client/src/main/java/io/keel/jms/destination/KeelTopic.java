package io.keel.jms.destination;

import io.keel.protocol.DestinationType;
import jakarta.jms.Topic;

/** A topic, by physical name. Created by {@code Session.createTopic}, JNDI or {@code new KeelTopic(name)}. */
public final class KeelTopic extends KeelDestination implements Topic {

    private static final long serialVersionUID = 1L;

    /** IllegalArgumentException if {@code name} is null or empty. */
    public KeelTopic(String name) {
        super(DestinationType.TOPIC, requireName(name, "topic"));
    }

    @Override
    public String getTopicName() {
        return name();
    }
}
