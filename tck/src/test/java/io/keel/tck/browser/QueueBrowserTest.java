package io.keel.tck.browser;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import io.keel.tck.TckBase;
import jakarta.jms.IllegalStateException;
import jakarta.jms.JMSContext;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.QueueBrowser;
import jakarta.jms.Session;

/** JMS 3.1 §4.1.6 QueueBrowser. */
class QueueBrowserTest extends TckBase {

    private static List<String> bodies(QueueBrowser b) throws Exception {
        List<String> out = new ArrayList<>();
        for (Object o : Collections.list(b.getEnumeration())) {
            out.add(text((Message) o));
        }
        return out;
    }

    @Test
    @DisplayName("JMS 3.1 §4.1.6: a browser sees the queue's messages in order without removing them")
    void browseDoesNotConsume() throws Exception {
        sendTexts(queue, "a", "b", "c");
        Session s = connection().createSession();
        QueueBrowser b = s.createBrowser(queue);
        assertEquals(queue, b.getQueue());
        assertNull(b.getMessageSelector());
        assertEquals(List.of("a", "b", "c"), bodies(b));
        assertEquals(List.of("a", "b", "c"), bodies(b), "a second enumeration sees them again");
        MessageConsumer c = started().createSession().createConsumer(queue);
        assertEquals("a", receiveText(c));
        assertEquals(List.of("b", "c"), bodies(s.createBrowser(queue)), "consumed messages are no longer browsed");
    }

    @Test
    @DisplayName("JMS 3.1 §4.1.6: a browser with a selector sees only matching messages")
    void browseWithSelector() throws Exception {
        Session s = connection().createSession();
        var p = s.createProducer(queue);
        for (int i = 0; i < 6; i++) {
            Message m = s.createTextMessage("m" + i);
            m.setIntProperty("n", i);
            p.send(m);
        }
        QueueBrowser b = s.createBrowser(queue, "n > 3");
        assertEquals("n > 3", b.getMessageSelector());
        assertEquals(List.of("m4", "m5"), bodies(b));
    }

    @Test
    @DisplayName("JMS 3.1 §4.1.6: browsing an empty queue gives an empty enumeration; a stopped connection still browses")
    void emptyQueueAndStoppedConnection() throws Exception {
        Session s = connection().createSession(); // never started
        assertFalse(s.createBrowser(queue).getEnumeration().hasMoreElements());
        sendTexts(queue, "x");
        assertEquals(List.of("x"), bodies(s.createBrowser(queue)));
    }

    @Test
    @DisplayName("JMS 3.1 §4.1.6: browsed messages are not delivered to the browser's session as consumed (no acknowledgement effect)")
    void browsingInTransactedSession() throws Exception {
        sendTexts(queue, "t");
        Session tx = connection().createSession(Session.SESSION_TRANSACTED);
        assertEquals(List.of("t"), bodies(tx.createBrowser(queue)));
        tx.commit();
        assertEquals("t", receiveText(started().createSession().createConsumer(queue)));
    }

    @Test
    @DisplayName("JMS 3.1 §4.1.6 / §6.1.8: a closed browser's methods throw IllegalStateException; close is idempotent")
    void closedBrowser() throws Exception {
        sendTexts(queue, "a", "b");
        QueueBrowser b = connection().createSession().createBrowser(queue);
        Enumeration<?> e = b.getEnumeration();
        b.close();
        b.close();
        assertThrows(IllegalStateException.class, b::getEnumeration);
        assertThrows(IllegalStateException.class, b::getQueue);
        // An enumeration of a closed browser ends or fails; it must not hang.
        try {
            while (e.hasMoreElements()) {
                e.nextElement();
            }
        } catch (RuntimeException expected) {
            // allowed
        }
    }

    @Test
    @DisplayName("JMS 3.1 §4.1.6: JMSContext.createBrowser browses like the classic API")
    void contextBrowser() throws Exception {
        sendTexts(queue, "ctx");
        JMSContext ctx = context();
        assertEquals(List.of("ctx"), bodies(ctx.createBrowser(queue)));
        assertEquals("ctx", ctx.createConsumer(queue).receiveBody(String.class, TIMEOUT));
    }
}
