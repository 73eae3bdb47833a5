package io.keel.jms.message;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.keel.jms.destination.KeelQueue;
import io.keel.jms.destination.KeelTopic;
import io.keel.protocol.message.MessageCodec;
import jakarta.jms.BytesMessage;
import jakarta.jms.DeliveryMode;
import jakarta.jms.Destination;
import jakarta.jms.InvalidDestinationException;
import jakarta.jms.JMSException;
import jakarta.jms.MapMessage;
import jakarta.jms.Message;
import jakarta.jms.MessageEOFException;
import jakarta.jms.ObjectMessage;
import jakarta.jms.Queue;
import jakarta.jms.StreamMessage;
import jakarta.jms.TemporaryQueue;
import jakarta.jms.TextMessage;
import jakarta.jms.Topic;

/** KeelMessage.copyOf with messages of "another provider" (java.lang.reflect.Proxy fakes). */
class ForeignCopyTest {

    /** A minimal foreign message: headers by getter name, properties, and a body per type. */
    static final class Fake implements InvocationHandler {
        final Map<String, Object> headers = new HashMap<>();
        final Map<String, Object> properties = new LinkedHashMap<>();
        Object body;
        int position;
        int resets;

        static <T extends Message> T of(Class<T> type, Fake fake) {
            return type.cast(Proxy.newProxyInstance(ForeignCopyTest.class.getClassLoader(), new Class<?>[] {type}, fake));
        }

        @Override
        public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
            String name = method.getName();
            if (name.startsWith("getJMS")) {
                if (name.equals("getJMSCorrelationIDAsBytes") && !headers.containsKey(name)) {
                    throw new UnsupportedOperationException("no byte[] correlation ids here");
                }
                return headers.get(name);
            }
            switch (name) {
                case "toString":
                    return "FakeMessage";
                case "hashCode":
                    return System.identityHashCode(proxy);
                case "equals":
                    return proxy == args[0];
                case "setJMSDestination", "setJMSMessageID", "setJMSDeliveryMode":
                    headers.put("get" + name.substring(3), args[0]);
                    return null;
                case "getPropertyNames":
                    return Collections.enumeration(new ArrayList<>(properties.keySet()));
                case "getObjectProperty":
                    return properties.get(args[0]);
                case "getText":
                    return body;
                case "reset":
                    position = 0;
                    resets++;
                    return null;
                case "getBodyLength":
                    return (long) ((byte[]) body).length;
                case "readBytes": {
                    byte[] all = (byte[]) body;
                    byte[] buf = (byte[]) args[0];
                    int max = args.length > 1 ? (Integer) args[1] : buf.length;
                    if (position == all.length) {
                        return -1;
                    }
                    int n = Math.min(max, all.length - position);
                    System.arraycopy(all, position, buf, 0, n);
                    position += n;
                    return n;
                }
                case "getMapNames":
                    return Collections.enumeration(((Map<?, ?>) body).keySet());
                case "getObject":
                    return args == null ? body : ((Map<?, ?>) body).get(args[0]);
                case "readObject": {
                    List<?> values = (List<?>) body;
                    if (position == values.size()) {
                        throw new MessageEOFException("end");
                    }
                    return values.get(position++);
                }
                default:
                    throw new UnsupportedOperationException(name);
            }
        }
    }

    static Destination foreignQueue(String name) {
        return (Destination) Proxy.newProxyInstance(ForeignCopyTest.class.getClassLoader(), new Class<?>[] {Queue.class},
                (p, m, a) -> switch (m.getName()) {
                    case "getQueueName" -> name;
                    case "toString" -> "foreign queue " + name;
                    default -> throw new UnsupportedOperationException(m.getName());
                });
    }

    static Fake withHeaders() {
        Fake f = new Fake();
        f.headers.put("getJMSMessageID", "ID:other-1");
        f.headers.put("getJMSTimestamp", 111L);
        f.headers.put("getJMSCorrelationID", "c-1");
        f.headers.put("getJMSReplyTo", foreignQueue("replies"));
        f.headers.put("getJMSDestination", new KeelTopic("t"));
        f.headers.put("getJMSDeliveryMode", DeliveryMode.NON_PERSISTENT);
        f.headers.put("getJMSRedelivered", true);
        f.headers.put("getJMSType", "kind");
        f.headers.put("getJMSExpiration", 222L);
        f.headers.put("getJMSPriority", 8);
        f.headers.put("getJMSDeliveryTime", 333L);
        f.properties.put("s", "v");
        f.properties.put("i", 5);
        f.properties.put("JMSXGroupID", "g");
        f.properties.put("JMSXDeliveryCount", 4);
        f.properties.put("JMSXUserID", "someone");
        return f;
    }

    static void checkHeaders(KeelMessage k) throws JMSException {
        assertEquals("ID:other-1", k.getJMSMessageID());
        assertEquals(111L, k.getJMSTimestamp());
        assertEquals("c-1", k.getJMSCorrelationID());
        assertEquals(new KeelQueue("replies"), KeelMessage.fromData(k.toData()).getJMSReplyTo());
        assertEquals(new KeelTopic("t"), k.getJMSDestination());
        assertEquals(DeliveryMode.NON_PERSISTENT, k.getJMSDeliveryMode());
        assertFalse(k.getJMSRedelivered(), "redelivery is not the sender's to copy");
        assertEquals("kind", k.getJMSType());
        assertEquals(222L, k.getJMSExpiration());
        assertEquals(8, k.getJMSPriority());
        assertEquals(333L, k.getJMSDeliveryTime());
        assertEquals(List.of("s", "i", "JMSXGroupID"), Collections.list(k.getPropertyNames()));
        assertEquals("v", k.getStringProperty("s"));
        assertEquals(5, k.getIntProperty("i"));
        // and it encodes
        KeelMessage.fromData(MessageCodec.decode(MessageCodec.encode(k.toData())));
    }

    @Test
    void plain() throws JMSException {
        KeelMessage k = KeelMessage.copyOf(Fake.of(Message.class, withHeaders()));
        assertEquals(KeelMessage.class, k.getClass());
        checkHeaders(k);
    }

    @Test
    void text() throws JMSException {
        Fake f = withHeaders();
        f.body = "hello";
        KeelMessage k = KeelMessage.copyOf(Fake.of(TextMessage.class, f));
        checkHeaders(k);
        assertEquals("hello", ((TextMessage) k).getText());
        k.setIntProperty("writable", 1);
        ((KeelTextMessage) k).setText("writable too");
    }

    @Test
    void bytes() throws JMSException {
        Fake f = withHeaders();
        byte[] body = new byte[200_000];
        Arrays.fill(body, (byte) 7);
        body[199_999] = 9;
        f.body = body;
        KeelMessage k = KeelMessage.copyOf(Fake.of(BytesMessage.class, f));
        checkHeaders(k);
        assertArrayEquals(body, k.toData().bytes());
        assertEquals(2, f.resets, "reset before reading and after");
        assertEquals(0, f.position);
        KeelBytesMessage r = (KeelBytesMessage) KeelMessage.fromData(k.toData());
        assertEquals(200_000, r.getBodyLength());
    }

    @Test
    void map() throws JMSException {
        Fake f = withHeaders();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("c", 'x');
        body.put("b", new byte[] {1});
        body.put("n", null);
        f.body = body;
        KeelMapMessage k = (KeelMapMessage) KeelMessage.copyOf(Fake.of(MapMessage.class, f));
        checkHeaders(k);
        assertEquals('x', k.getChar("c"));
        assertArrayEquals(new byte[] {1}, k.getBytes("b"));
        assertTrue(k.itemExists("n"));
    }

    @Test
    void stream() throws JMSException {
        Fake f = withHeaders();
        f.body = Arrays.asList(1, "two", null, new byte[] {3});
        KeelStreamMessage k = (KeelStreamMessage) KeelMessage.copyOf(Fake.of(StreamMessage.class, f));
        checkHeaders(k);
        k.reset();
        assertEquals(1, k.readInt());
        assertEquals("two", k.readString());
        assertNull(k.readObject());
        assertArrayEquals(new byte[] {3}, (byte[]) k.readObject());
        assertEquals(2, f.resets);
    }

    @Test
    void object() throws JMSException {
        Fake f = withHeaders();
        f.body = new ArrayList<>(List.of("a"));
        KeelObjectMessage k = (KeelObjectMessage) KeelMessage.copyOf(Fake.of(ObjectMessage.class, f));
        checkHeaders(k);
        assertEquals(List.of("a"), k.getObject());
    }

    @Test
    void correlationIdAsBytesWhenThereIsNoString() throws JMSException {
        Fake f = withHeaders();
        f.headers.put("getJMSCorrelationID", null);
        f.headers.put("getJMSCorrelationIDAsBytes", new byte[] {4, 5});
        KeelMessage k = KeelMessage.copyOf(Fake.of(Message.class, f));
        assertArrayEquals(new byte[] {4, 5}, k.getJMSCorrelationIDAsBytes());
    }

    @Test
    void destinationsOfAnotherProvider() throws JMSException {
        KeelMessage m = new KeelMessage();
        Destination q = foreignQueue("elsewhere");
        m.setJMSReplyTo(q);
        assertTrue(m.getJMSReplyTo() == q, "the object set is returned");
        assertEquals(new KeelQueue("elsewhere"), KeelMessage.fromData(m.toData()).getJMSReplyTo());
        Destination topic = (Destination) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {Topic.class},
                (p, method, a) -> "getTopicName".equals(method.getName()) ? "news" : null);
        m.setJMSDestination(topic);
        assertEquals(new KeelTopic("news"), KeelMessage.fromData(m.toData()).getJMSDestination());
        Destination tmp = (Destination) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {TemporaryQueue.class}, (p, method, a) -> "toString".equals(method.getName()) ? "tmp" : "x");
        assertThrows(InvalidDestinationException.class, () -> m.setJMSReplyTo(tmp));
        KeelMessage copy = KeelMessage.copyOf(m);
        assertInstanceOf(KeelMessage.class, copy);
    }
}
