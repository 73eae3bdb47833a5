package io.keel.jms.message;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Collections;
import java.util.List;

import org.junit.jupiter.api.Test;

import jakarta.jms.JMSException;
import jakarta.jms.MessageFormatException;

/** Property names (selector identifier rules), JMSX properties, delivery count and property names. */
class PropertyRulesTest {

    @Test
    void nullAndEmptyNamesAreIllegalArguments() {
        KeelMessage m = new KeelMessage();
        assertThrows(IllegalArgumentException.class, () -> m.setStringProperty(null, "v"));
        assertThrows(IllegalArgumentException.class, () -> m.setStringProperty("", "v"));
        assertThrows(IllegalArgumentException.class, () -> m.setIntProperty(null, 1));
        assertThrows(IllegalArgumentException.class, () -> m.setObjectProperty("", 1));
        assertThrows(IllegalArgumentException.class, () -> m.setBooleanProperty("", true));
        assertThrows(IllegalArgumentException.class, () -> m.setByteProperty("", (byte) 1));
        assertThrows(IllegalArgumentException.class, () -> m.setShortProperty("", (short) 1));
        assertThrows(IllegalArgumentException.class, () -> m.setLongProperty("", 1));
        assertThrows(IllegalArgumentException.class, () -> m.setFloatProperty("", 1));
        assertThrows(IllegalArgumentException.class, () -> m.setDoubleProperty("", 1));
        assertThrows(IllegalArgumentException.class, () -> m.setObjectProperty(null, new Object()),
                "the name is checked before the value");
    }

    @Test
    void namesMustBeIdentifiers() {
        KeelMessage m = new KeelMessage();
        for (String bad : new String[] {"1abc", "a-b", "a b", "a.b", "with:colon", "é-x", " lead", "tail "}) {
            assertThrows(IllegalArgumentException.class, () -> m.setIntProperty(bad, 1), bad);
        }
        for (String good : new String[] {"a", "_x", "$y", "abc123", "Ünïcødé", "isX", "NULLS", "ORDER", "JMS_Vendor",
                "JMSXGroupID", "in_", "es"}) {
            assertDoesNotThrow(() -> m.setStringProperty(good, "1"), good);
        }
    }

    @Test
    void reservedWordsInAnyCaseAreRefused() {
        KeelMessage m = new KeelMessage();
        for (String word : List.of("NULL", "TRUE", "FALSE", "NOT", "AND", "OR", "BETWEEN", "LIKE", "IN", "IS", "ESCAPE")) {
            for (String form : List.of(word, word.toLowerCase(), word.charAt(0) + word.substring(1).toLowerCase())) {
                IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                        () -> m.setBooleanProperty(form, true), form);
                assertTrue(e.getMessage().contains("reserved"), e.getMessage());
            }
        }
    }

    @Test
    void onlyGroupJmsxPropertiesMayBeSetWithTheirTypes() throws JMSException {
        KeelMessage m = new KeelMessage();
        m.setStringProperty("JMSXGroupID", "g");
        m.setIntProperty("JMSXGroupSeq", 3);
        m.setObjectProperty("JMSXGroupSeq", 4);
        assertEquals(4, m.getIntProperty("JMSXGroupSeq"));
        assertThrows(MessageFormatException.class, () -> m.setIntProperty("JMSXGroupID", 1));
        assertThrows(MessageFormatException.class, () -> m.setStringProperty("JMSXGroupSeq", "1"));
        assertThrows(MessageFormatException.class, () -> m.setLongProperty("JMSXGroupSeq", 1L));
        for (String providerSet : List.of("JMSXDeliveryCount", "JMSXUserID", "JMSXAppID", "JMSXProducerTXID",
                "JMSXConsumerTXID", "JMSXRcvTimestamp", "JMSXState", "JMSXWhatever")) {
            assertThrows(IllegalArgumentException.class, () -> m.setIntProperty(providerSet, 1), providerSet);
        }
    }

    @Test
    void deliveryCountAndRedelivered() throws JMSException {
        KeelMessage m = new KeelMessage();
        assertFalse(m.propertyExists("JMSXDeliveryCount"));
        assertFalse(m.getJMSRedelivered());
        m.setStringProperty("app", "x");

        m.markDelivered(1);
        assertFalse(m.getJMSRedelivered());
        assertEquals(1, m.getIntProperty("JMSXDeliveryCount"));
        assertEquals(1L, m.getLongProperty("JMSXDeliveryCount"));
        assertEquals("1", m.getStringProperty("JMSXDeliveryCount"));
        assertEquals(Integer.valueOf(1), m.getObjectProperty("JMSXDeliveryCount"));
        assertTrue(m.propertyExists("JMSXDeliveryCount"));
        assertEquals(List.of("app", "JMSXDeliveryCount"), Collections.list(m.getPropertyNames()));

        m.markDelivered(3);
        assertTrue(m.getJMSRedelivered());
        assertEquals(3, m.getIntProperty("JMSXDeliveryCount"));

        m.setJMSRedelivered(false);
        assertFalse(m.getJMSRedelivered());

        m.clearProperties();
        assertFalse(m.propertyExists("JMSXDeliveryCount"));
        assertFalse(m.getPropertyNames().hasMoreElements());
    }

    @Test
    void propertyNamesInOrderAndNotHeaders() throws JMSException {
        KeelMessage m = new KeelMessage();
        m.setJMSType("t");
        m.setJMSCorrelationID("c");
        m.setIntProperty("b", 1);
        m.setIntProperty("a", 2);
        m.setStringProperty("JMSXGroupID", "g");
        assertEquals(List.of("b", "a", "JMSXGroupID"), Collections.list(m.getPropertyNames()));
    }

    @Test
    void clearPropertiesKeepsTheBody() throws JMSException {
        KeelTextMessage m = new KeelTextMessage();
        m.setText("body");
        m.setIntProperty("p", 1);
        m.clearProperties();
        assertEquals("body", m.getText());
        assertFalse(m.propertyExists("p"));
    }

    @Test
    void acknowledgeDelegatesOrDoesNothing() throws JMSException {
        KeelMessage m = new KeelMessage();
        m.acknowledge();
        int[] calls = new int[1];
        m.setAcknowledger(() -> calls[0]++);
        m.acknowledge();
        m.acknowledge();
        assertEquals(2, calls[0]);
        m.setAcknowledger(() -> {
            throw new jakarta.jms.IllegalStateException("session closed");
        });
        assertThrows(jakarta.jms.IllegalStateException.class, m::acknowledge);
    }
}
