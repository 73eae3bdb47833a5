package io.keel.jms.destination;

import java.io.Serializable;
import java.util.Objects;

import javax.naming.NamingException;
import javax.naming.Reference;
import javax.naming.Referenceable;
import javax.naming.StringRefAddr;

import io.keel.protocol.DestinationType;
import io.keel.protocol.message.DestinationRef;
import jakarta.jms.Destination;
import jakarta.jms.InvalidDestinationException;
import jakarta.jms.JMSException;
import jakarta.jms.Queue;
import jakarta.jms.TemporaryQueue;
import jakarta.jms.TemporaryTopic;
import jakarta.jms.Topic;

/**
 * A Keel destination: a kind ({@link DestinationType}) and a physical name, nothing else. Queues and
 * topics are separate namespaces on the broker, so equality is by kind and name (a temporary queue's
 * owning connection does not take part: a copy of it received in JMSReplyTo equals the original).
 *
 * <p>Serializable and {@link Referenceable} so that administered destinations can be bound in any JNDI
 * tree; the reference holds the kind ({@value #ADDR_TYPE}) and the name ({@value #ADDR_NAME}) and is
 * turned back by {@link KeelDestinationObjectFactory}.
 */
public abstract class KeelDestination implements Destination, Serializable, Referenceable {

    private static final long serialVersionUID = 1L;

    /** Reference address holding the {@link DestinationType} name. */
    public static final String ADDR_TYPE = "type";
    /** Reference address holding the physical name. */
    public static final String ADDR_NAME = "name";

    private final DestinationType type;
    private final String name;

    KeelDestination(DestinationType type, String name) {
        this.type = Objects.requireNonNull(type, "type");
        this.name = name;
    }

    /**
     * The destination a message header names. Temporary destinations made this way have no owner, so
     * their {@code delete()} fails: only the connection that created one may delete it.
     */
    public static KeelDestination of(DestinationRef ref) {
        return ref == null ? null : of(ref.kind(), ref.name());
    }

    /** The destination of a kind and name (a temporary one without owner, see {@link #of(DestinationRef)}). */
    public static KeelDestination of(DestinationType type, String name) {
        return switch (type) {
            case QUEUE -> new KeelQueue(name);
            case TOPIC -> new KeelTopic(name);
            case TEMPORARY_QUEUE -> new KeelTemporaryQueue(name, null);
            case TEMPORARY_TOPIC -> new KeelTemporaryTopic(name, null);
        };
    }

    /**
     * Converts any {@link Destination} to a Keel one, for message headers that accept another provider's
     * destination: a Keel destination is returned as is, another provider's (non-temporary) queue or
     * topic becomes the Keel queue or topic of the same name, null stays null. A foreign temporary
     * destination cannot exist on a Keel broker: InvalidDestinationException.
     */
    public static KeelDestination from(Destination d) throws JMSException {
        if (d == null || d instanceof KeelDestination) {
            return (KeelDestination) d;
        }
        if (d instanceof TemporaryQueue || d instanceof TemporaryTopic) {
            throw new InvalidDestinationException(d + " is another provider's temporary destination ("
                    + d.getClass().getName() + "); it does not exist on a Keel broker");
        }
        if (d instanceof Queue q) {
            return new KeelQueue(q.getQueueName());
        }
        if (d instanceof Topic t) {
            return new KeelTopic(t.getTopicName());
        }
        throw new InvalidDestinationException(d + " is neither a Queue nor a Topic (" + d.getClass().getName() + ")");
    }

    /** The kind: queue, topic, temporary queue or temporary topic. */
    public DestinationType type() {
        return type;
    }

    /** The physical name (for a temporary destination, the name the broker assigned). */
    public String name() {
        return name;
    }

    /** The form a message header carries on the wire. */
    public DestinationRef toRef() {
        return new DestinationRef(type, name);
    }

    @Override
    public Reference getReference() throws NamingException {
        Reference r = new Reference(getClass().getName(), KeelDestinationObjectFactory.class.getName(), null);
        r.add(new StringRefAddr(ADDR_TYPE, type.name()));
        r.add(new StringRefAddr(ADDR_NAME, name));
        return r;
    }

    @Override
    public final boolean equals(Object o) {
        return o instanceof KeelDestination d && d.type == type && d.name.equals(name);
    }

    @Override
    public final int hashCode() {
        return type.hashCode() * 31 + name.hashCode();
    }

    /** "queue 'orders'", "temporary topic 'tmp-1'": for logs and exception messages. */
    @Override
    public String toString() {
        String kind = switch (type) {
            case QUEUE -> "queue";
            case TOPIC -> "topic";
            case TEMPORARY_QUEUE -> "temporary queue";
            case TEMPORARY_TOPIC -> "temporary topic";
        };
        return kind + " '" + name + "'";
    }

    /** A queue or topic name: not null, not empty. IllegalArgumentException otherwise. */
    static String requireName(String name, String what) {
        if (name == null || name.isEmpty()) {
            throw new IllegalArgumentException("a " + what + " name must not be " + (name == null ? "null" : "empty"));
        }
        return name;
    }

    /** {@code delete()} of a temporary destination: through its owner, refused without one. */
    static void deleteVia(TemporaryOwner owner, KeelDestination d) throws JMSException {
        if (owner == null) {
            throw new JMSException(d + " was not created through this object's connection (it came from a message"
                    + " header, JNDI or deserialisation): only the connection that created it may delete it");
        }
        owner.delete(d);
    }
}
