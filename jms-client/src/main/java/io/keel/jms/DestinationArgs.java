package io.keel.jms;

import io.keel.jms.destination.KeelDestination;
import jakarta.jms.Destination;
import jakarta.jms.InvalidDestinationException;
import jakarta.jms.JMSException;
import jakarta.jms.Topic;

/** The checks every destination and subscription-name argument of the API goes through. */
final class DestinationArgs {

    private DestinationArgs() {
    }

    static KeelDestination keel(Destination d, boolean nullAllowed) throws JMSException {
        if (d == null) {
            if (nullAllowed) {
                return null;
            }
            throw new InvalidDestinationException("the destination is null");
        }
        if (!(d instanceof KeelDestination k)) {
            throw new InvalidDestinationException(d + " is not a Keel destination (" + d.getClass().getName() + ")");
        }
        return k;
    }

    static KeelDestination topic(Topic t) throws JMSException {
        KeelDestination d = keel(t, false);
        if (d.type().isQueue()) {
            throw new InvalidDestinationException(d + " is not a topic");
        }
        return d;
    }

    static String name(String subscription) {
        if (subscription == null || subscription.isEmpty()) {
            throw new jakarta.jms.JMSRuntimeException("a subscription name must not be null or empty");
        }
        return subscription;
    }
}
