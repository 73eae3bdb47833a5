package io.keel.tck.properties;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import io.keel.tck.TckBase;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageFormatException;
import jakarta.jms.MessageNotWriteableException;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;

/** JMS 3.1 §3.5 message properties and their conversions, §3.10 read-only received properties. */
class PropertiesTest extends TckBase {

    private Session session() throws Exception {
        return connection().createSession();
    }

    @Test
    @DisplayName("JMS 3.1 §3.5.2/§3.5.3: every property type survives send and receive")
    void typedValuesRoundTrip() throws Exception {
        Session s = session();
        Message m = s.createMessage();
        m.setBooleanProperty("pBoolean", true);
        m.setByteProperty("pByte", (byte) -7);
        m.setShortProperty("pShort", (short) 1234);
        m.setIntProperty("pInt", 123456);
        m.setLongProperty("pLong", 1L << 40);
        m.setFloatProperty("pFloat", 1.5f);
        m.setDoubleProperty("pDouble", -2.25);
        m.setStringProperty("pString", "käse");
        m.setObjectProperty("pObject", Integer.valueOf(9));
        s.createProducer(queue).send(m);
        Message got = started().createSession().createConsumer(queue).receive(TIMEOUT);
        assertTrue(got.getBooleanProperty("pBoolean"));
        assertEquals((byte) -7, got.getByteProperty("pByte"));
        assertEquals((short) 1234, got.getShortProperty("pShort"));
        assertEquals(123456, got.getIntProperty("pInt"));
        assertEquals(1L << 40, got.getLongProperty("pLong"));
        assertEquals(1.5f, got.getFloatProperty("pFloat"));
        assertEquals(-2.25, got.getDoubleProperty("pDouble"));
        assertEquals("käse", got.getStringProperty("pString"));
        assertEquals(Integer.valueOf(9), got.getObjectProperty("pObject"));
        assertEquals(Byte.class, got.getObjectProperty("pByte").getClass(), "the type is kept");
        assertEquals(Float.class, got.getObjectProperty("pFloat").getClass());
    }

    @Test
    @DisplayName("JMS 3.1 §3.5.4 table 3-2: the allowed widening and String conversions work")
    void allowedConversions() throws Exception {
        Message m = session().createMessage();
        m.setByteProperty("b", (byte) 5);
        assertEquals(5, m.getShortProperty("b"));
        assertEquals(5, m.getIntProperty("b"));
        assertEquals(5L, m.getLongProperty("b"));
        assertEquals("5", m.getStringProperty("b"));
        m.setShortProperty("s", (short) 6);
        assertEquals(6, m.getIntProperty("s"));
        assertEquals(6L, m.getLongProperty("s"));
        m.setIntProperty("i", 7);
        assertEquals(7L, m.getLongProperty("i"));
        assertEquals("7", m.getStringProperty("i"));
        m.setFloatProperty("f", 2.5f);
        assertEquals(2.5, m.getDoubleProperty("f"));
        assertEquals("2.5", m.getStringProperty("f"));
        m.setBooleanProperty("z", true);
        assertEquals("true", m.getStringProperty("z"));
        m.setStringProperty("str", "12");
        assertEquals(12, m.getByteProperty("str"));
        assertEquals(12, m.getShortProperty("str"));
        assertEquals(12, m.getIntProperty("str"));
        assertEquals(12L, m.getLongProperty("str"));
        assertEquals(12f, m.getFloatProperty("str"));
        assertEquals(12d, m.getDoubleProperty("str"));
        m.setStringProperty("bool", "TRUE");
        assertTrue(m.getBooleanProperty("bool"));
        assertEquals(7L, m.getObjectProperty("i") instanceof Integer i ? i.longValue() : -1);
    }

    @Test
    @DisplayName("JMS 3.1 §3.5.4 table 3-2: unmarked conversions must be MessageFormatException")
    void forbiddenConversions() throws Exception {
        Message m = session().createMessage();
        m.setBooleanProperty("z", true);
        m.setIntProperty("i", 1);
        m.setLongProperty("l", 1);
        m.setDoubleProperty("d", 1);
        m.setFloatProperty("f", 1);
        m.setShortProperty("s", (short) 1);
        assertThrows(MessageFormatException.class, () -> m.getIntProperty("z"));
        assertThrows(MessageFormatException.class, () -> m.getBooleanProperty("i"));
        assertThrows(MessageFormatException.class, () -> m.getShortProperty("i"), "int does not narrow to short");
        assertThrows(MessageFormatException.class, () -> m.getByteProperty("s"));
        assertThrows(MessageFormatException.class, () -> m.getIntProperty("l"));
        assertThrows(MessageFormatException.class, () -> m.getFloatProperty("d"));
        assertThrows(MessageFormatException.class, () -> m.getLongProperty("f"));
        assertThrows(MessageFormatException.class, () -> m.getDoubleProperty("l"), "integers do not convert to double");
    }

    @Test
    @DisplayName("JMS 3.1 §3.5.4: a String that valueOf rejects must be NumberFormatException; a null read as a primitive behaves like valueOf(null)")
    void numberFormat() throws Exception {
        Message m = session().createMessage();
        m.setStringProperty("bad", "twelve");
        assertThrows(NumberFormatException.class, () -> m.getIntProperty("bad"));
        assertThrows(NumberFormatException.class, () -> m.getDoubleProperty("bad"));
        assertFalse(m.getBooleanProperty("bad"), "Boolean.valueOf is false for anything but 'true'");
        // §3.5.8: absent = null; Integer.valueOf(null) throws NumberFormatException, Boolean.valueOf(null) is false.
        assertThrows(NumberFormatException.class, () -> m.getIntProperty("absent"));
        assertThrows(NumberFormatException.class, () -> m.getLongProperty("absent"));
        assertThrows(NumberFormatException.class, () -> m.getByteProperty("absent"));
        assertFalse(m.getBooleanProperty("absent"));
        // Float.valueOf((String) null) throws NullPointerException, which the javadoc lets providers report either way.
        assertThrows(RuntimeException.class, () -> m.getFloatProperty("absent"));
    }

    @Test
    @DisplayName("JMS 3.1 §3.5.5: setObjectProperty accepts only the objectified primitives and String (else MessageFormatException)")
    void objectProperties() throws Exception {
        Message m = session().createMessage();
        for (Object ok : List.of(Boolean.TRUE, (byte) 1, (short) 2, 3, 4L, 5f, 6d, "seven")) {
            m.setObjectProperty("p", ok);
            assertEquals(ok, m.getObjectProperty("p"));
        }
        assertThrows(MessageFormatException.class, () -> m.setObjectProperty("p", new Object()));
        assertThrows(MessageFormatException.class, () -> m.setObjectProperty("p", List.of()));
        assertThrows(MessageFormatException.class, () -> m.setObjectProperty("p", new byte[1]));
        assertThrows(MessageFormatException.class, () -> m.setObjectProperty("p", 'c'));
        assertNull(m.getObjectProperty("never-set"));
    }

    @Test
    @DisplayName("JMS 3.1 §3.5.1: property names follow identifier rules; reserved words and null/empty names are refused")
    void propertyNames() throws Exception {
        Message m = session().createMessage();
        m.setStringProperty("valid_Name$1", "ok");
        for (String bad : List.of("1abc", "has space", "has-dash", "NULL", "TRUE", "FALSE", "NOT", "AND", "OR",
                "BETWEEN", "LIKE", "IN", "IS", "ESCAPE")) {
            assertThrows(Exception.class, () -> m.setStringProperty(bad, "x"), "name '" + bad + "' must be refused");
        }
        // Message javadoc: IllegalArgumentException for a null or empty name.
        assertThrows(IllegalArgumentException.class, () -> m.setStringProperty(null, "x"));
        assertThrows(IllegalArgumentException.class, () -> m.setStringProperty("", "x"));
    }

    @Test
    @DisplayName("JMS 3.1 §3.5.6: getPropertyNames enumerates the properties but not the header fields")
    void propertyIteration() throws Exception {
        Session s = session();
        Message m = s.createMessage();
        m.setStringProperty("alpha", "a");
        m.setIntProperty("beta", 2);
        m.setJMSType("T");
        m.setJMSCorrelationID("c");
        s.createProducer(queue).send(m);
        Message got = started().createSession().createConsumer(queue).receive(TIMEOUT);
        Set<String> names = new HashSet<>();
        for (Object n : Collections.list(got.getPropertyNames())) {
            names.add((String) n);
        }
        assertTrue(names.containsAll(Set.of("alpha", "beta")), names.toString());
        assertTrue(names.stream().noneMatch(n -> n.startsWith("JMS") && !n.startsWith("JMSX") && !n.startsWith("JMS_")),
                "header fields are not properties: " + names);
        assertTrue(got.propertyExists("alpha"));
        assertFalse(got.propertyExists("gamma"));
    }

    @Test
    @DisplayName("JMS 3.1 §3.10/§3.5.7: received properties are read-only until clearProperties, which keeps the body")
    void readOnlyAndClear() throws Exception {
        Session s = session();
        TextMessage m = s.createTextMessage("body stays");
        m.setStringProperty("a", "1");
        s.createProducer(queue).send(m);
        TextMessage got = (TextMessage) started().createSession().createConsumer(queue).receive(TIMEOUT);
        assertThrows(MessageNotWriteableException.class, () -> got.setStringProperty("a", "2"));
        assertThrows(MessageNotWriteableException.class, () -> got.setObjectProperty("b", 1));
        got.clearProperties();
        assertFalse(got.propertyExists("a"));
        assertNull(got.getStringProperty("a"));
        got.setStringProperty("a", "3");
        assertEquals("3", got.getStringProperty("a"));
        assertEquals("body stays", got.getText());
    }

    @Test
    @DisplayName("JMS 3.1 §3.5.9: JMSXGroupID/JMSXGroupSeq are set by the client and delivered; JMSX names are case-exact")
    void groupProperties() throws Exception {
        Session s = session();
        Message m = s.createMessage();
        m.setStringProperty("JMSXGroupID", "g1");
        m.setIntProperty("JMSXGroupSeq", 1);
        s.createProducer(queue).send(m);
        Message got = started().createSession().createConsumer(queue).receive(TIMEOUT);
        assertEquals("g1", got.getStringProperty("JMSXGroupID"));
        assertEquals(1, got.getIntProperty("JMSXGroupSeq"));
    }

    @Test
    @DisplayName("JMS 3.1 §3.5.11: JMSXDeliveryCount is 1 on first delivery and grows by one with each redelivery")
    void deliveryCount() throws Exception {
        sendTexts(queue, "counted");
        Session s = started().createSession(false, Session.CLIENT_ACKNOWLEDGE);
        MessageConsumer c = s.createConsumer(queue);
        for (int expected = 1; expected <= 3; expected++) {
            Message m = c.receive(TIMEOUT);
            assertEquals(expected, m.getIntProperty("JMSXDeliveryCount"));
            assertEquals(expected > 1, m.getJMSRedelivered());
            assertTrue(m.propertyExists("JMSXDeliveryCount"));
            s.recover();
        }
    }
}
