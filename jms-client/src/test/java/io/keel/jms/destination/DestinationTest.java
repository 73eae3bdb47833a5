package io.keel.jms.destination;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.util.ArrayList;
import java.util.List;

import javax.naming.Reference;
import javax.naming.StringRefAddr;

import org.junit.jupiter.api.Test;

import io.keel.protocol.DestinationType;
import io.keel.protocol.message.DestinationRef;
import jakarta.jms.JMSException;
import jakarta.jms.Queue;
import jakarta.jms.TemporaryQueue;
import jakarta.jms.TemporaryTopic;
import jakarta.jms.Topic;

class DestinationTest {

    private static List<KeelDestination> oneOfEach() {
        return List.of(new KeelQueue("orders"), new KeelTopic("orders"), new KeelTemporaryQueue("orders", null),
                new KeelTemporaryTopic("orders", null));
    }

    @Test
    void equalityByTypeAndName() {
        assertEquals(new KeelQueue("a"), new KeelQueue("a"));
        assertEquals(new KeelQueue("a").hashCode(), new KeelQueue("a").hashCode());
        assertNotEquals(new KeelQueue("a"), new KeelQueue("b"));
        List<KeelDestination> all = oneOfEach();
        for (int i = 0; i < all.size(); i++) {
            for (int j = 0; j < all.size(); j++) {
                assertEquals(i == j, all.get(i).equals(all.get(j)), all.get(i) + " vs " + all.get(j));
            }
        }
        TemporaryOwner owner = d -> { };
        assertEquals(new KeelTemporaryQueue("t", owner), new KeelTemporaryQueue("t", null), "the owner does not count");
    }

    @Test
    void interfacesAndNames() throws JMSException {
        assertEquals("orders", new KeelQueue("orders").getQueueName());
        assertEquals("prices", new KeelTopic("prices").getTopicName());
        assertEquals("tq", new KeelTemporaryQueue("tq", null).getQueueName());
        assertEquals("tt", new KeelTemporaryTopic("tt", null).getTopicName());
        assertInstanceOf(Queue.class, new KeelTemporaryQueue("tq", null));
        assertInstanceOf(Topic.class, new KeelTemporaryTopic("tt", null));
        assertEquals(DestinationType.QUEUE, new KeelQueue("q").type());
        assertEquals("q", new KeelQueue("q").name());
    }

    @Test
    void toStringNamesKindAndName() {
        assertEquals("queue 'orders'", new KeelQueue("orders").toString());
        assertEquals("topic 'orders'", new KeelTopic("orders").toString());
        assertEquals("temporary queue 'orders'", new KeelTemporaryQueue("orders", null).toString());
        assertEquals("temporary topic 'orders'", new KeelTemporaryTopic("orders", null).toString());
    }

    @Test
    void namesMustNotBeEmpty() {
        assertThrows(IllegalArgumentException.class, () -> new KeelQueue(""));
        assertThrows(IllegalArgumentException.class, () -> new KeelQueue(null));
        assertThrows(IllegalArgumentException.class, () -> new KeelTopic(""));
        assertThrows(IllegalArgumentException.class, () -> new KeelTemporaryQueue(null, null));
    }

    @Test
    void refRoundTrip() {
        for (KeelDestination d : oneOfEach()) {
            DestinationRef ref = d.toRef();
            assertEquals(d.type(), ref.kind());
            assertEquals(d.name(), ref.name());
            KeelDestination back = KeelDestination.of(ref);
            assertEquals(d, back);
            assertSame(d.getClass(), back.getClass());
        }
        assertNull(KeelDestination.of((DestinationRef) null));
        assertInstanceOf(TemporaryQueue.class, KeelDestination.of(new DestinationRef(DestinationType.TEMPORARY_QUEUE, "x")));
        assertInstanceOf(TemporaryTopic.class, KeelDestination.of(new DestinationRef(DestinationType.TEMPORARY_TOPIC, "x")));
    }

    @Test
    void temporaryDeleteGoesThroughTheOwnerOnly() throws JMSException {
        List<KeelDestination> deleted = new ArrayList<>();
        KeelTemporaryQueue q = new KeelTemporaryQueue("tq", deleted::add);
        KeelTemporaryTopic t = new KeelTemporaryTopic("tt", deleted::add);
        q.delete();
        t.delete();
        assertEquals(List.of(q, t), deleted);

        TemporaryQueue received = (TemporaryQueue) KeelDestination.of(q.toRef());
        JMSException e = assertThrows(JMSException.class, received::delete);
        assertTrue(e.getMessage().contains("only the connection that created it may delete it"), e.getMessage());
        assertThrows(JMSException.class, ((TemporaryTopic) KeelDestination.of(t.toRef()))::delete);

        KeelTemporaryQueue failing = new KeelTemporaryQueue("f", d -> {
            throw new jakarta.jms.IllegalStateException("a consumer is active");
        });
        assertThrows(jakarta.jms.IllegalStateException.class, failing::delete);
    }

    @Test
    void referenceRoundTripThroughTheObjectFactory() throws Exception {
        KeelDestinationObjectFactory factory = new KeelDestinationObjectFactory();
        for (KeelDestination d : oneOfEach()) {
            Reference r = d.getReference();
            assertEquals(d.getClass().getName(), r.getClassName());
            assertEquals(KeelDestinationObjectFactory.class.getName(), r.getFactoryClassName());
            Object back = factory.getObjectInstance(r, null, null, null);
            assertEquals(d, back);
            assertSame(d.getClass(), back.getClass());
        }
        assertNull(factory.getObjectInstance("not a reference", null, null, null));
        Reference other = new Reference("x.Y", "x.YFactory", null);
        assertNull(factory.getObjectInstance(other, null, null, null));
        Reference bad = new Reference(KeelQueue.class.getName(), KeelDestinationObjectFactory.class.getName(), null);
        bad.add(new StringRefAddr("type", "NO_SUCH_TYPE"));
        bad.add(new StringRefAddr("name", "q"));
        assertNull(factory.getObjectInstance(bad, null, null, null));
    }

    @Test
    void javaSerializationDropsTheOwner() throws Exception {
        List<KeelDestination> deleted = new ArrayList<>();
        for (KeelDestination d : List.of(new KeelQueue("q"), new KeelTopic("t"), new KeelTemporaryQueue("tq", deleted::add),
                new KeelTemporaryTopic("tt", deleted::add))) {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
                out.writeObject(d);
            }
            Object back;
            try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
                back = in.readObject();
            }
            assertEquals(d, back);
            if (back instanceof TemporaryQueue tq) {
                assertThrows(JMSException.class, tq::delete);
            }
            if (back instanceof TemporaryTopic tt) {
                assertThrows(JMSException.class, tt::delete);
            }
        }
        assertTrue(deleted.isEmpty());
    }

    @Test
    void fromOtherDestinations() throws JMSException {
        KeelQueue q = new KeelQueue("q");
        assertSame(q, KeelDestination.from(q));
        assertNull(KeelDestination.from(null));
        Queue foreign = (Queue) java.lang.reflect.Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {Queue.class}, (p, m, a) -> "getQueueName".equals(m.getName()) ? "fq" : "x");
        assertEquals(new KeelQueue("fq"), KeelDestination.from(foreign));
        jakarta.jms.Destination neither = (jakarta.jms.Destination) java.lang.reflect.Proxy.newProxyInstance(
                getClass().getClassLoader(), new Class<?>[] {jakarta.jms.Destination.class}, (p, m, a) -> "d");
        assertThrows(jakarta.jms.InvalidDestinationException.class, () -> KeelDestination.from(neither));
    }
}
