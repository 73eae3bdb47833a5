package io.keel.tck.producer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import io.keel.tck.TckBase;
import jakarta.jms.CompletionListener;
import jakarta.jms.IllegalStateException;
import jakarta.jms.IllegalStateRuntimeException;
import jakarta.jms.JMSContext;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;

/** JMS 3.1 §7.3 asynchronous send with a CompletionListener. */
class AsyncSendTest extends TckBase {

    /** Records callbacks; runs an optional action inside onCompletion. */
    private static final class Recorder implements CompletionListener {
        final List<Object> events = new CopyOnWriteArrayList<>();
        final AtomicInteger concurrent = new AtomicInteger();
        final AtomicInteger maxConcurrent = new AtomicInteger();
        volatile Runnable inCallback = () -> { };

        @Override
        public void onCompletion(Message message) {
            maxConcurrent.accumulateAndGet(concurrent.incrementAndGet(), Math::max);
            try {
                inCallback.run();
                events.add(message);
            } finally {
                concurrent.decrementAndGet();
            }
        }

        @Override
        public void onException(Message message, Exception exception) {
            events.add(exception);
        }
    }

    @Test
    @DisplayName("JMS 3.1 §7.3 / §7.3.6: onCompletion is called once with the sent message, whose headers are set; the message arrives")
    void completionCalled() throws Exception {
        Session s = connection().createSession();
        Recorder r = new Recorder();
        Message m = s.createTextMessage("async");
        s.createProducer(queue).send(m, r);
        await("onCompletion", () -> r.events.size() == 1);
        assertSame(m, r.events.get(0));
        assertNotNull(m.getJMSMessageID());
        assertTrue(m.getJMSTimestamp() > 0);
        assertEquals(queue, m.getJMSDestination());
        assertEquals("async", receiveText(started().createSession().createConsumer(queue)));
    }

    @Test
    @DisplayName("JMS 3.1 §7.3.3 / §7.3.7: callbacks of each producer come in its send order, one at a time")
    void callbackOrder() throws Exception {
        Session s = connection().createSession();
        MessageProducer p = s.createProducer(queue);
        MessageProducer p2 = s.createProducer(queue2);
        Recorder r = new Recorder();
        List<Object> sentByP = new ArrayList<>();
        List<Object> sentByP2 = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            Message m = s.createTextMessage("m" + i);
            (i % 3 == 0 ? sentByP2 : sentByP).add(m);
            (i % 3 == 0 ? p2 : p).send(m, r);
        }
        await("100 callbacks", () -> r.events.size() == 100, () -> r.events.size());
        // The order is required per producer (§7.3.3), so compare each producer's subsequence;
        // assertTrue, not assertEquals, keeps a failure report short.
        assertTrue(sentByP.equals(r.events.stream().filter(sentByP::contains).toList()), "callbacks out of send order (producer 1)");
        assertTrue(sentByP2.equals(r.events.stream().filter(sentByP2::contains).toList()), "callbacks out of send order (producer 2)");
        assertEquals(1, r.maxConcurrent.get());
        MessageConsumer c = started().createSession().createConsumer(queue);
        for (int i = 0; i < 100; i++) {
            if (i % 3 != 0) {
                assertEquals("m" + i, receiveText(c), "async sends keep their order (§7.3.3)");
            }
        }
    }

    @Test
    @DisplayName("JMS 3.1 §7.3.4: close, commit or rollback of the session from inside a CompletionListener must be IllegalStateException")
    void closeCommitRollbackFromCallback() throws Exception {
        Session tx = connection().createSession(Session.SESSION_TRANSACTED);
        Recorder r = new Recorder();
        List<Class<?>> thrown = new CopyOnWriteArrayList<>();
        r.inCallback = () -> {
            for (Runnable call : List.<Runnable>of(() -> run(tx::commit), () -> run(tx::rollback), () -> run(tx::close))) {
                try {
                    call.run();
                    thrown.add(Void.class);
                } catch (RuntimeException e) {
                    thrown.add(e.getCause() == null ? e.getClass() : e.getCause().getClass());
                }
            }
        };
        tx.createProducer(queue).send(tx.createTextMessage("t"), r);
        tx.commit(); // completes the send (transacted sends are confirmed at commit at the latest)
        await("callback", () -> r.events.size() == 1, () -> r.events);
        assertEquals(List.of(IllegalStateException.class, IllegalStateException.class, IllegalStateException.class), thrown);
    }

    @Test
    @DisplayName("JMS 3.1 §7.3.4: JMSContext close/commit/rollback from inside a CompletionListener must be IllegalStateRuntimeException")
    void contextCallsFromCallback() throws Exception {
        JMSContext ctx = context(JMSContext.SESSION_TRANSACTED);
        List<Class<?>> thrown = new CopyOnWriteArrayList<>();
        CountDownLatch done = new CountDownLatch(1);
        ctx.createProducer().setAsync(new CompletionListener() {
            @Override
            public void onCompletion(Message message) {
                for (Runnable call : List.<Runnable>of(ctx::commit, ctx::rollback, ctx::close)) {
                    try {
                        call.run();
                        thrown.add(Void.class);
                    } catch (RuntimeException e) {
                        thrown.add(e.getClass());
                    }
                }
                done.countDown();
            }

            @Override
            public void onException(Message message, Exception exception) {
                done.countDown();
            }
        }).send(queue, "ctx");
        ctx.commit();
        assertTrue(done.await(TIMEOUT, TimeUnit.MILLISECONDS));
        assertEquals(List.of(IllegalStateRuntimeException.class, IllegalStateRuntimeException.class,
                IllegalStateRuntimeException.class), thrown);
    }

    @Test
    @DisplayName("JMS 3.1 §7.3.2: a send failure is reported either by the send call or once to onException, never both and never silently")
    void failureReportedOnce() throws Exception {
        Session s = connection().createSession();
        Recorder r = new Recorder();
        jakarta.jms.BytesMessage big = s.createBytesMessage();
        big.writeBytes(new byte[2 * 1024 * 1024]); // twice the broker's maxMessageSize (1m)
        AtomicReference<Exception> sync = new AtomicReference<>();
        try {
            s.createProducer(queue).send(big, r);
        } catch (Exception e) {
            sync.set(e);
        }
        if (sync.get() != null) {
            // Give a wrongly issued callback the chance to arrive: a later async send completes after it (§7.3.3).
            Recorder after = new Recorder();
            s.createProducer(queue2).send(s.createTextMessage("after"), after);
            await("later send", () -> after.events.size() == 1);
            assertTrue(r.events.isEmpty(), "send threw and the listener was called as well: " + r.events);
        } else {
            await("onException", () -> !r.events.isEmpty());
            assertEquals(1, r.events.size());
            assertInstanceOf(Exception.class, r.events.get(0));
        }
    }

    @Test
    @DisplayName("JMS 3.1 §7.3 / §7.3.2: a null CompletionListener is refused (IllegalArgumentException)")
    void nullListener() throws Exception {
        Session s = connection().createSession();
        assertThrows(IllegalArgumentException.class,
                () -> s.createProducer(queue).send(s.createTextMessage("x"), (CompletionListener) null));
    }

    @Test
    @DisplayName("JMS 3.1 §7.3 (JMSProducer.setAsync): a context producer with a listener sends asynchronously; setAsync(null) back to synchronous")
    void contextAsync() throws Exception {
        JMSContext ctx = context();
        Recorder r = new Recorder();
        var p = ctx.createProducer().setAsync(r);
        assertSame(r, p.getAsync());
        p.send(queue, "a1").send(queue, "a2");
        await("two callbacks", () -> r.events.size() == 2);
        p.setAsync(null).send(queue, "sync");
        var c = ctx.createConsumer(queue);
        assertEquals("a1", c.receiveBody(String.class, TIMEOUT));
        assertEquals("a2", c.receiveBody(String.class, TIMEOUT));
        assertEquals("sync", c.receiveBody(String.class, TIMEOUT));
        assertEquals(2, r.events.size());
    }

    private interface JmsCall {
        void run() throws Exception;
    }

    private static void run(JmsCall call) {
        try {
            call.run();
        } catch (Exception e) {
            throw new RuntimeException(e);
        }
    }
}
