package io.keel.tck.selector;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import io.keel.tck.TckBase;
import jakarta.jms.DeliveryMode;
import jakarta.jms.InvalidSelectorException;
import jakarta.jms.InvalidSelectorRuntimeException;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.QueueBrowser;
import jakarta.jms.Session;

/**
 * JMS 3.1 §3.8 message selection. One fixture of five messages (m0..m4) is sent once per test; each
 * selector is checked by the set of messages a browser with it sees (evaluated by the broker, as for
 * a consumer), and consumers are checked separately.
 */
class SelectorTest extends TckBase {

    private Session session;

    private void fixture() throws Exception {
        session = started().createSession();
        MessageProducer p = session.createProducer(queue);
        for (int i = 0; i < 5; i++) {
            Message m = session.createTextMessage("m" + i);
            m.setIntProperty("n", i);
            m.setDoubleProperty("price", i * 1.5);
            m.setStringProperty("colour", new String[] {"red", "green", "blue", "red_x", "Red"}[i]);
            m.setBooleanProperty("even", i % 2 == 0);
            m.setLongProperty("big", 10_000_000_000L + i);
            if (i != 4) {
                m.setStringProperty("maybe", i < 2 ? "set" : null);
            }
            m.setJMSType(i == 1 ? "special" : "plain");
            m.setJMSCorrelationID("corr-" + i);
            p.send(m, i == 3 ? DeliveryMode.NON_PERSISTENT : DeliveryMode.PERSISTENT, i == 2 ? 8 : 4, 0);
        }
    }

    /** The bodies a browser with this selector sees, sorted (m2's higher priority may reorder it, §6.2.9.1). */
    private String matches(String selector) throws Exception {
        List<String> got = new ArrayList<>();
        try (QueueBrowser b = session.createBrowser(queue, selector)) {
            for (Object o : Collections.list(b.getEnumeration())) {
                got.add(text((Message) o));
            }
        }
        Collections.sort(got);
        return String.join(",", got);
    }

    @Test
    @DisplayName("JMS 3.1 §3.8.1.1: comparison, arithmetic and boolean operators on typed properties")
    void comparisonsAndArithmetic() throws Exception {
        fixture();
        assertEquals("m2", matches("n = 2"));
        assertEquals("m0,m1,m3,m4", matches("n <> 2"));
        assertEquals("m3,m4", matches("n >= 3"));
        assertEquals("m0,m1", matches("n < 2"));
        assertEquals("m2,m3,m4", matches("price > 2.0"), "exact and approximate numerics compare");
        assertEquals("m2", matches("n * 2 + 1 = 5"));
        assertEquals("m4", matches("-n = -4"));
        assertEquals("m1", matches("n / 2.0 = 0.5"));
        assertEquals("m0,m2,m4", matches("even"));
        assertEquals("m0,m2,m4", matches("even = TRUE"));
        assertEquals("m1,m3", matches("NOT even"));
        assertEquals("m0,m4", matches("even AND (n = 0 OR n = 4)"));
        assertEquals("m2", matches("n = 1 + 1 AND colour = 'blue'"));
        assertEquals("m3", matches("big = 10000000003"));
        assertEquals("m0,m1,m2,m3,m4", matches("n >= 0 or n < 0"), "keywords are case insensitive");
        assertEquals("m1,m2,m3,m4", matches("1.5e0 <= price"), "approximate literal with exponent");
    }

    @Test
    @DisplayName("JMS 3.1 §3.8.1.1: BETWEEN, IN, LIKE with wildcards and ESCAPE; string comparison is case sensitive")
    void betweenInLike() throws Exception {
        fixture();
        assertEquals("m1,m2,m3", matches("n BETWEEN 1 AND 3"));
        assertEquals("m0,m4", matches("n NOT BETWEEN 1 AND 3"));
        assertEquals("m0,m2", matches("colour IN ('red', 'blue')"));
        assertEquals("m1,m3,m4", matches("colour NOT IN ('red', 'blue')"));
        assertEquals("m0,m3", matches("colour LIKE 'red%'"));
        assertEquals("m0", matches("colour LIKE 're_'"));
        assertEquals("m3", matches("colour LIKE 'red\\_%' ESCAPE '\\'"));
        assertEquals("m1,m2,m4", matches("colour NOT LIKE 'red%'"));
        assertEquals("m4", matches("colour = 'Red'"));
        assertEquals("m1", matches("colour = 'green' OR colour = 'it''s'"), "doubled quote is a quote");
    }

    @Test
    @DisplayName("JMS 3.1 §3.8.1.2: IS NULL / IS NOT NULL, and unknown (null) comparisons never select")
    void nullValues() throws Exception {
        fixture();
        assertEquals("m2,m3,m4", matches("maybe IS NULL"));
        assertEquals("m0,m1", matches("maybe IS NOT NULL"));
        assertEquals("", matches("missing = 1"));
        assertEquals("", matches("NOT (missing = 1)"), "NOT unknown is unknown");
        assertEquals("m0,m1,m2,m3,m4", matches("missing = 1 OR n >= 0"), "unknown OR true is true");
        assertEquals("", matches("missing = 1 AND n >= 0"));
        assertEquals("", matches("missing IN ('a')"));
        assertEquals("", matches("missing NOT IN ('a')"));
        assertEquals("", matches("missing LIKE 'a%'"));
        assertEquals("", matches("colour = 1"), "comparing a string with a number is false (§3.8.1.3)");
    }

    @Test
    @DisplayName("JMS 3.1 §3.8.1.1: header fields JMSDeliveryMode, JMSPriority, JMSType, JMSCorrelationID, JMSMessageID, JMSTimestamp in selectors")
    void headerFields() throws Exception {
        fixture();
        assertEquals("m3", matches("JMSDeliveryMode = 'NON_PERSISTENT'"));
        assertEquals("m0,m1,m2,m4", matches("JMSDeliveryMode = 'PERSISTENT'"));
        assertEquals("m2", matches("JMSPriority > 4"));
        assertEquals("m1", matches("JMSType = 'special'"));
        assertEquals("m4", matches("JMSCorrelationID = 'corr-4'"));
        assertEquals("m0,m1,m2,m3,m4", matches("JMSMessageID LIKE 'ID:%'"));
        assertEquals("m0,m1,m2,m3,m4", matches("JMSTimestamp > 0"));
        assertEquals("", matches("JMSXGroupID IS NOT NULL"), "JMSX names may be used though absent (§3.5.9)");
    }

    @Test
    @DisplayName("JMS 3.1 §3.8.1: a consumer gets only matching messages; the others stay on the queue for other consumers")
    void consumerSelectsNonMatchingStay() throws Exception {
        fixture();
        MessageConsumer odd = session.createConsumer(queue, "NOT even");
        assertEquals("m1", receiveText(odd));
        assertEquals("m3", receiveText(odd));
        assertNull(odd.receive(ABSENT));
        odd.close();
        MessageConsumer all = session.createConsumer(queue, "");
        List<String> rest = new ArrayList<>(List.of(receiveText(all), receiveText(all), receiveText(all)));
        Collections.sort(rest);
        assertEquals(List.of("m0", "m2", "m4"), rest, "an empty selector selects everything");
    }

    @Test
    @DisplayName("JMS 3.1 §3.8.1: selectors apply to topic subscribers too")
    void topicSelector() throws Exception {
        Session s = started().createSession();
        MessageConsumer sub = s.createConsumer(topic, "colour = 'red'");
        MessageProducer p = s.createProducer(topic);
        for (String c : new String[] {"blue", "red", "green", "red"}) {
            Message m = s.createTextMessage(c);
            m.setStringProperty("colour", c);
            p.send(m);
        }
        assertEquals("red", receiveText(sub));
        assertEquals("red", receiveText(sub));
        assertNull(sub.receive(ABSENT));
    }

    @Test
    @DisplayName("JMS 3.1 §3.8.1.1 / §10.3: invalid selector syntax must be InvalidSelectorException (InvalidSelectorRuntimeException in JMSContext)")
    void invalidSelectors() throws Exception {
        Session s = connection().createSession();
        for (String bad : List.of("n ==", "colour LIKE", "n BETWEEN 1", "(n = 1", "n = 'unterminated",
                "n IN ()", "1abc = 1", "NULL = 1", "n = 1 AND", "colour LIKE 'x' ESCAPE 'ab'")) {
            assertThrows(InvalidSelectorException.class, () -> s.createConsumer(queue, bad), bad);
        }
        assertThrows(InvalidSelectorException.class, () -> s.createBrowser(queue, "n ="));
        assertThrows(InvalidSelectorException.class, () -> s.createConsumer(topic, "= 1", false));
        assertThrows(InvalidSelectorRuntimeException.class, () -> context().createConsumer(queue, "x ="));
    }
}
