package io.keel.tck.subscription;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import io.keel.tck.TckBase;
import jakarta.jms.Connection;
import jakarta.jms.IllegalStateException;
import jakarta.jms.InvalidDestinationException;
import jakarta.jms.JMSConsumer;
import jakarta.jms.JMSContext;
import jakarta.jms.JMSException;
import jakarta.jms.MessageConsumer;
import jakarta.jms.Session;

/** JMS 3.1 §8.3.2-§8.3.4: shared non-durable, unshared durable and shared durable subscriptions. */
class SubscriptionTest extends TckBase {

    private Connection withClientId() throws Exception {
        Connection c = connection();
        c.setClientID(unique);
        c.start();
        return c;
    }

    @Test
    @DisplayName("JMS 3.1 §8.3.3: a durable subscription keeps messages published while it has no consumer")
    void durableKeepsMessagesWhileInactive() throws Exception {
        Connection c = withClientId();
        Session s = c.createSession();
        s.createDurableConsumer(topic, "sub").close();
        sendTexts(topic, "while away");
        MessageConsumer back = s.createDurableConsumer(topic, "sub");
        assertEquals("while away", receiveText(back));
        back.close();
        s.unsubscribe("sub");
    }

    @Test
    @DisplayName("JMS 3.1 §8.3.3: a durable subscription survives its connection: a new connection with the same client id resumes it")
    void durableSurvivesConnection() throws Exception {
        Connection first = cf.createConnection();
        first.setClientID(unique);
        first.createSession().createDurableConsumer(topic, "sub");
        first.close();
        sendTexts(topic, "kept");
        Connection second = withClientId();
        Session s = second.createSession();
        MessageConsumer c = s.createDurableConsumer(topic, "sub");
        assertEquals("kept", receiveText(c));
        c.close();
        s.unsubscribe("sub");
    }

    @Test
    @DisplayName("JMS 3.1 §8.3.3: an unshared durable subscription needs a client id (IllegalStateException) and allows one active consumer")
    void unsharedDurableRules() throws Exception {
        Session anon = connection().createSession();
        assertThrows(IllegalStateException.class, () -> anon.createDurableConsumer(topic, "sub"));
        Session s = withClientId().createSession();
        MessageConsumer first = s.createDurableConsumer(topic, "sub");
        assertThrows(JMSException.class, () -> s.createDurableConsumer(topic, "sub"));
        first.close();
        s.unsubscribe("sub");
    }

    @Test
    @DisplayName("JMS 3.1 §8.3.3: changing the topic or selector of an inactive durable subscription replaces it (old messages dropped)")
    void durableChangeReplaces() throws Exception {
        Session s = withClientId().createSession();
        s.createDurableConsumer(topic, "sub").close();
        sendTexts(topic, "old");
        MessageConsumer changed = s.createDurableConsumer(topic, "sub", "colour = 'red'", false);
        assertNull(changed.receive(ABSENT), "the replaced subscription's message must be gone");
        changed.close();
        MessageConsumer otherTopic = s.createDurableConsumer(topic2, "sub");
        sendTexts(topic2, "on t2");
        assertEquals("on t2", receiveText(otherTopic));
        otherTopic.close();
        s.unsubscribe("sub");
    }

    @Test
    @DisplayName("JMS 3.1 §8.3.3 (Session.unsubscribe): unsubscribe with an active consumer fails; of an unknown name is InvalidDestinationException; afterwards messages are gone")
    void unsubscribe() throws Exception {
        Session s = withClientId().createSession();
        MessageConsumer c = s.createDurableConsumer(topic, "sub");
        assertThrows(JMSException.class, () -> s.unsubscribe("sub"));
        c.close();
        sendTexts(topic, "dropped with the subscription");
        s.unsubscribe("sub");
        assertThrows(InvalidDestinationException.class, () -> s.unsubscribe("sub"));
        assertThrows(InvalidDestinationException.class, () -> s.unsubscribe("never-" + unique));
        MessageConsumer fresh = s.createDurableConsumer(topic, "sub");
        assertNull(fresh.receive(ABSENT));
        fresh.close();
        s.unsubscribe("sub");
    }

    @Test
    @DisplayName("JMS 3.1 §8.3.3: a durable subscription with noLocal does not keep messages from connections with its client id")
    void durableNoLocal() throws Exception {
        Connection c = withClientId();
        Session s = c.createSession();
        MessageConsumer sub = s.createDurableSubscriber(topic, "sub", null, true);
        s.createProducer(topic).send(s.createTextMessage("own"));
        sendTexts(topic, "foreign");
        assertEquals("foreign", receiveText(sub));
        assertNull(sub.receive(ABSENT));
        sub.close();
        s.unsubscribe("sub");
    }

    @Test
    @DisplayName("JMS 3.1 §8.3.4: a shared durable subscription spreads messages over its consumers, each message once; no client id needed")
    void sharedDurable() throws Exception {
        Connection a = started();
        Connection b = started();
        MessageConsumer ca = a.createSession().createSharedDurableConsumer(topic, "shared");
        MessageConsumer cb = b.createSession().createSharedDurableConsumer(topic, "shared");
        String[] bodies = new String[20];
        for (int i = 0; i < 20; i++) {
            bodies[i] = "m" + i;
        }
        sendTexts(topic, bodies);
        Set<String> got = Collections.synchronizedSet(new HashSet<>());
        List<String> dup = new CopyOnWriteArrayList<>();
        for (MessageConsumer c : List.of(ca, cb)) {
            c.setMessageListener(m -> {
                try {
                    if (!got.add(text(m))) {
                        dup.add(text(m));
                    }
                } catch (Exception e) {
                    throw new RuntimeException(e);
                }
            });
        }
        await("20 distinct messages", () -> got.size() == 20, () -> got.size());
        assertTrue(dup.isEmpty(), dup.toString());
        ca.close();
        cb.close();
        sendTexts(topic, "kept while inactive");
        Session s = a.createSession();
        MessageConsumer again = s.createSharedDurableConsumer(topic, "shared");
        assertEquals("kept while inactive", receiveText(again));
        again.close();
        s.unsubscribe("shared");
    }

    @Test
    @DisplayName("JMS 3.1 §8.3.4: a shared durable subscription in use cannot be opened with another topic or selector (JMSException)")
    void sharedDurableMismatch() throws Exception {
        Session s = started().createSession();
        MessageConsumer c = s.createSharedDurableConsumer(topic, "shared");
        assertThrows(JMSException.class, () -> s.createSharedDurableConsumer(topic2, "shared"));
        assertThrows(JMSException.class, () -> s.createSharedDurableConsumer(topic, "shared", "a = 1"));
        c.close();
        s.unsubscribe("shared");
    }

    @Test
    @DisplayName("JMS 3.1 §8.3.2: a shared non-durable subscription spreads messages over its consumers and ends with its last consumer")
    void sharedNonDurable() throws Exception {
        JMSContext ctx1 = context();
        JMSContext ctx2 = context();
        JMSConsumer c1 = ctx1.createSharedConsumer(topic, "sns");
        JMSConsumer c2 = ctx2.createSharedConsumer(topic, "sns");
        sendTexts(topic, "a", "b", "c", "d");
        Set<String> got = new HashSet<>();
        for (int i = 0; i < 4; i++) {
            String t = c1.receiveBody(String.class, 200);
            if (t == null) {
                t = c2.receiveBody(String.class, TIMEOUT);
            }
            assertTrue(t != null && got.add(t), "lost or duplicated: " + t + " after " + got);
        }
        assertNull(c1.receive(ABSENT));
        assertNull(c2.receiveNoWait());
        c1.close();
        c2.close();
        sendTexts(topic, "nobody listens");
        JMSConsumer fresh = ctx1.createSharedConsumer(topic, "sns");
        assertNull(fresh.receive(ABSENT), "the subscription ended with its last consumer");
    }

    @Test
    @DisplayName("JMS 3.1 §8.3.2/§8.3.4: shared subscriptions with a client id are distinct from those without one")
    void sharedNamesScopedByClientId() throws Exception {
        Session withId = withClientId().createSession();
        Session without = started().createSession();
        MessageConsumer a = withId.createSharedConsumer(topic, "same");
        MessageConsumer b = without.createSharedConsumer(topic, "same");
        sendTexts(topic, "both");
        assertEquals("both", receiveText(a), "each subscription gets its own copy");
        assertEquals("both", receiveText(b));
    }
}
