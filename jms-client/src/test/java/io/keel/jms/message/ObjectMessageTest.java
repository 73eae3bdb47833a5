package io.keel.jms.message;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.Serializable;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.keel.protocol.message.MessageCodec;
import jakarta.jms.JMSException;
import jakarta.jms.MessageFormatException;

/** ObjectMessage: serialisation copies, and the TrustedPackages allow-list. */
class ObjectMessageTest {

    /** Counts deserialisations, to prove an untrusted class is never deserialised. */
    static final AtomicInteger READS = new AtomicInteger();

    /** A class outside the default trusted packages. */
    record Untrusted(int value) implements Serializable {
        private static final long serialVersionUID = 1L;
    }

    /** Also outside them, with a readObject that would run if it were deserialised. */
    static final class Gadget implements Serializable {
        private static final long serialVersionUID = 1L;

        private void readObject(ObjectInputStream in) throws IOException, ClassNotFoundException {
            in.defaultReadObject();
            READS.incrementAndGet();
        }
    }

    /** Serializable, with a field that is not. */
    static final class Broken implements Serializable {
        private static final long serialVersionUID = 1L;
        @SuppressWarnings("unused")
        private final Object field = new Object();
    }

    @BeforeEach
    void resetCounter() {
        READS.set(0);
    }

    private static KeelObjectMessage received(Serializable o, TrustedPackages trusted) throws JMSException {
        KeelObjectMessage sent = new KeelObjectMessage();
        sent.setObject(o);
        KeelObjectMessage m = (KeelObjectMessage) KeelMessage.fromData(MessageCodec.decode(MessageCodec.encode(sent.toData())));
        m.setTrustedPackages(trusted);
        return m;
    }

    @Test
    void trustedClassesRoundTrip() throws JMSException {
        HashMap<String, Object> map = new HashMap<>();
        map.put("list", new ArrayList<>(List.of(1, 2L, "three")));
        map.put("decimal", new BigDecimal("1.50"));
        map.put("when", Instant.ofEpochSecond(5));
        map.put("ints", new int[] {1, 2});
        map.put("uri", java.net.URI.create("keel://x"));
        KeelObjectMessage m = received(map, null);
        @SuppressWarnings("unchecked")
        Map<String, Object> back = (Map<String, Object>) m.getObject();
        assertEquals(map.get("list"), back.get("list"));
        assertEquals(map.get("decimal"), back.get("decimal"));
        assertEquals(map.get("when"), back.get("when"));
        assertEquals(map.get("uri"), back.get("uri"));
        assertArrayEquals((int[]) map.get("ints"), (int[]) back.get("ints"));
        assertEquals("s", received("s", null).getObject());
        assertArrayEquals(new long[][] {{1}}, (long[][]) received(new long[][] {{1}}, TrustedPackages.DEFAULT).getObject());
    }

    @Test
    void untrustedClassIsRefusedWithItsNameAndTheOption() throws JMSException {
        KeelObjectMessage m = received(new Gadget(), null);
        JMSException e = assertThrows(JMSException.class, m::getObject);
        assertTrue(e instanceof MessageFormatException);
        assertTrue(e.getMessage().contains(Gadget.class.getName()), e.getMessage());
        assertTrue(e.getMessage().contains("trustedPackages"), e.getMessage());
        assertEquals(0, READS.get(), "never deserialised");
    }

    @Test
    void untrustedClassInsideATrustedOneIsRefused() throws JMSException {
        KeelObjectMessage m = received(new ArrayList<>(List.of(new Untrusted(1))), TrustedPackages.DEFAULT);
        JMSException e = assertThrows(JMSException.class, m::getObject);
        assertTrue(e.getMessage().contains(Untrusted.class.getName()), e.getMessage());

        KeelObjectMessage array = received(new Gadget[] {new Gadget()}, TrustedPackages.DEFAULT);
        e = assertThrows(JMSException.class, array::getObject);
        assertTrue(e.getMessage().contains(Gadget.class.getName()), e.getMessage());
        assertEquals(0, READS.get());
    }

    @Test
    void trustingThePackageOrEverything() throws JMSException {
        TrustedPackages mine = new TrustedPackages(List.of("java.lang", "io.keel.jms.message"));
        assertEquals(new Untrusted(7), received(new Untrusted(7), mine).getObject());
        assertEquals(new Untrusted(8), received(new Untrusted(8), TrustedPackages.parse("*")).getObject());
        assertEquals(new Untrusted(9), received(new Untrusted(9), TrustedPackages.ALL).getObject());
        received(new Gadget(), TrustedPackages.parse("io.keel.jms.message.*")).getObject();
        assertEquals(1, READS.get());
    }

    @Test
    void sentMessagesUseTheDefaultToo() throws JMSException {
        KeelObjectMessage m = new KeelObjectMessage();
        m.setObject(new Untrusted(1));
        assertThrows(MessageFormatException.class, m::getObject);
        m.setTrustedPackages(new TrustedPackages(List.of("io.keel")));
        assertEquals(new Untrusted(1), m.getObject());
        m.setTrustedPackages(null);
        assertThrows(MessageFormatException.class, m::getObject);
    }

    @Test
    void prefixRules() {
        TrustedPackages t = TrustedPackages.DEFAULT;
        assertTrue(t.isTrusted(String.class));
        assertTrue(t.isTrusted(java.util.concurrent.ConcurrentHashMap.class), "sub-packages");
        assertTrue(t.isTrusted(int[].class));
        assertTrue(t.isTrusted(byte[][].class));
        assertTrue(t.isTrusted(String[].class));
        assertFalse(t.isTrusted(Untrusted[].class));
        assertFalse(t.isTrusted("java.utilities.Thing"));
        assertFalse(t.isTrusted("javax.naming.Reference"));
        TrustedPackages mine = TrustedPackages.parse(" com.acme.* , org.example., ,com.single.Klass");
        assertEquals(List.of("com.acme", "org.example", "com.single.Klass"), mine.prefixes());
        assertTrue(mine.isTrusted("com.acme.Order"));
        assertTrue(mine.isTrusted("org.example.deep.Thing"));
        assertTrue(mine.isTrusted("com.single.Klass"));
        assertFalse(mine.isTrusted("com.single.Klass$Inner"));
        assertFalse(mine.isTrusted("com.acmex.Order"));
        assertFalse(mine.isTrusted("java.lang.String"), "only what is listed");
        assertFalse(mine.trustsAll());
        assertTrue(TrustedPackages.parse("*").trustsAll());
    }

    @Test
    void setObjectCopies() throws JMSException {
        ArrayList<String> list = new ArrayList<>(List.of("a"));
        KeelObjectMessage m = new KeelObjectMessage();
        m.setObject(list);
        list.add("b");
        assertEquals(List.of("a"), m.getObject());
        @SuppressWarnings("unchecked")
        List<String> got = (List<String>) m.getObject();
        got.add("c");
        assertEquals(List.of("a"), m.getObject(), "each getObject is a new copy");
    }

    @Test
    void nullAndUnserialisable() throws JMSException {
        KeelObjectMessage m = new KeelObjectMessage();
        assertNull(m.getObject());
        m.setObject("x");
        m.setObject(null);
        assertNull(m.getObject());
        assertThrows(MessageFormatException.class, () -> m.setObject(new Broken()));
        assertNull(m.getObject(), "a failed setObject leaves the body");
    }

    @Test
    void garbageIsAFormatError() {
        KeelObjectMessage m = (KeelObjectMessage) KeelMessage.fromData(
                new io.keel.protocol.message.MessageData().setObjectBytes(new byte[] {1, 2, 3}));
        MessageFormatException e = assertThrows(MessageFormatException.class, m::getObject);
        assertTrue(e.getMessage().contains("cannot be deserialised"), e.getMessage());
    }
}
