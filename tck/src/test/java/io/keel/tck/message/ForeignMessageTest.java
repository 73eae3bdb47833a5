package io.keel.tck.message;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.lang.reflect.Proxy;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import io.keel.tck.TckBase;
import jakarta.jms.Message;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;

/** JMS 3.1 §3.12: a provider must be able to send a message implemented by another provider. */
class ForeignMessageTest extends TckBase {

    /**
     * A TextMessage of "another provider": a dynamic proxy keeping headers, properties and text in a
     * map, so no Keel class is involved. Setters store, getters read, anything else does nothing.
     */
    private static TextMessage foreignText(String text) {
        Map<String, Object> state = new HashMap<>();
        Map<String, Object> props = new HashMap<>();
        state.put("Text", text);
        return (TextMessage) Proxy.newProxyInstance(ForeignMessageTest.class.getClassLoader(),
                new Class<?>[] {TextMessage.class}, (proxy, method, args) -> {
                    String name = method.getName();
                    if (name.equals("getPropertyNames")) {
                        return Collections.enumeration(props.keySet());
                    }
                    if (name.equals("propertyExists")) {
                        return props.containsKey((String) args[0]);
                    }
                    if (name.endsWith("Property") && name.startsWith("set")) {
                        props.put((String) args[0], args[1]);
                        return null;
                    }
                    if (name.endsWith("Property") && name.startsWith("get")) {
                        return props.get((String) args[0]);
                    }
                    if (name.startsWith("set") && args != null && args.length == 1) {
                        state.put(name.substring(3), args[0]);
                        return null;
                    }
                    if (name.startsWith("get")) {
                        Object v = state.get(name.substring(3));
                        Class<?> r = method.getReturnType();
                        if (v == null && r.isPrimitive()) {
                            return r == boolean.class ? Boolean.FALSE : r == long.class ? 0L : 0;
                        }
                        return v;
                    }
                    if (name.equals("toString")) {
                        return "ForeignTextMessage" + state;
                    }
                    if (name.equals("hashCode")) {
                        return System.identityHashCode(proxy);
                    }
                    if (name.equals("equals")) {
                        return proxy == args[0];
                    }
                    return null;
                });
    }

    @Test
    @DisplayName("JMS 3.1 §3.12: a foreign TextMessage is sent (copied) with its text and properties; send sets its headers")
    void sendForeignMessage() throws Exception {
        Session s = connection().createSession();
        TextMessage foreign = foreignText("from elsewhere");
        foreign.setStringProperty("origin", "other-provider");
        foreign.setJMSType("Foreign");
        s.createProducer(queue).send(foreign);
        assertNotNull(foreign.getJMSMessageID(), "send sets JMSMessageID on the foreign message (§3.4.11)");
        assertEquals(queue, foreign.getJMSDestination());
        Message got = started().createSession().createConsumer(queue).receive(TIMEOUT);
        assertEquals("from elsewhere", text(got));
        assertEquals("other-provider", got.getStringProperty("origin"));
        assertEquals("Foreign", got.getJMSType());
    }
}
