package io.keel.jms;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.NoSuchElementException;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.keel.jms.destination.KeelDestination;
import io.keel.jms.message.KeelMessage;
import io.keel.protocol.command.Browse;
import io.keel.protocol.command.Credit;
import io.keel.protocol.frame.Frame;
import io.keel.protocol.message.MessageCodec;
import jakarta.jms.IllegalStateException;
import jakarta.jms.JMSException;
import jakarta.jms.Queue;
import jakarta.jms.QueueBrowser;

/**
 * A queue browser. Each {@link #getEnumeration()} opens a browser on the broker over a snapshot of the
 * queue (the messages stored and not consumed when it opens, filtered by the selector) and pages
 * through it 100 messages at a time; browsing never consumes or locks a message.
 */
public class KeelQueueBrowser implements QueueBrowser {

    private static final Logger LOG = LoggerFactory.getLogger(KeelQueueBrowser.class);
    private static final int PAGE = 100;

    private final KeelSession session;
    private final KeelDestination queue;
    private final String selector;
    private final List<Long> open = new ArrayList<>();
    private final io.keel.jms.message.TrustedPackages trusted;
    private volatile boolean closed;

    KeelQueueBrowser(KeelSession session, KeelDestination queue, String selector) {
        this.session = session;
        this.queue = queue;
        this.selector = selector == null || selector.isBlank() ? null : selector;
        this.trusted = new io.keel.jms.message.TrustedPackages(session.connection.config().trustedPackages());
    }

    /** Opens and closes one browser, so a bad selector or destination fails at creation as JMS requires. */
    void validate() throws JMSException {
        long id = openOnBroker();
        closeOnBroker(id);
    }

    private long openOnBroker() throws JMSException {
        long id = session.connection.nextId();
        JmsErrors.await(session.connection.request(x -> new Browse.Open(id, queue.type(), queue.name(), selector)
                .frame(session.connection.client().channel().alloc(), x)), session.connection.config().sendTimeoutMillis(),
                "browse " + queue);
        return id;
    }

    private void closeOnBroker(long id) throws JMSException {
        JmsErrors.await(session.connection.request(x -> Credit.closeConsumerFrame(
                session.connection.client().channel().alloc(), x, id)), session.connection.config().sendTimeoutMillis(),
                "close the browser of " + queue);
    }

    @Override
    public Queue getQueue() throws JMSException {
        checkOpen();
        return (Queue) queue;
    }

    @Override
    public String getMessageSelector() throws JMSException {
        checkOpen();
        return selector;
    }

    private void checkOpen() throws JMSException {
        if (closed) {
            throw new IllegalStateException("the browser is closed");
        }
        session.checkOpen();
    }

    @Override
    public Enumeration<?> getEnumeration() throws JMSException {
        checkOpen();
        long id = openOnBroker();
        synchronized (open) {
            open.add(id);
        }
        return new Enumeration<KeelMessage>() {
            private final ArrayDeque<Browse.Entry> page = new ArrayDeque<>();
            private boolean done;

            @Override
            public boolean hasMoreElements() {
                if (page.isEmpty() && !done && !closed) {
                    fetch();
                }
                return !page.isEmpty();
            }

            private void fetch() {
                try {
                    Frame f = JmsErrors.awaitFrame(session.connection.request(x -> Browse.nextFrame(
                            session.connection.client().channel().alloc(), x, id, PAGE)),
                            session.connection.config().sendTimeoutMillis(), "browse " + queue);
                    try {
                        Browse.Page p = Browse.decodePage(f.body());
                        page.addAll(p.entries());
                        done = p.done();
                    } finally {
                        f.release();
                    }
                } catch (JMSException e) {
                    LOG.warn("browsing {} stopped: {}", queue, e.getMessage());
                    done = true;
                }
            }

            @Override
            public KeelMessage nextElement() {
                if (!hasMoreElements()) {
                    throw new NoSuchElementException("no more messages in the snapshot of " + queue);
                }
                Browse.Entry e = page.poll();
                KeelMessage m = KeelMessage.fromData(MessageCodec.decode(e.message()));
                m.markDelivered(Math.max(1, e.deliveryCount()));
                if (m instanceof io.keel.jms.message.KeelObjectMessage o) {
                    o.setTrustedPackages(trusted); // the factory's allow-list, as for consumers
                }
                return m;
            }
        };
    }

    @Override
    public void close() throws JMSException {
        if (closed) {
            return;
        }
        closed = true;
        List<Long> ids;
        synchronized (open) {
            ids = new ArrayList<>(open);
            open.clear();
        }
        session.removed(this);
        if (!session.connection.isBroken()) {
            for (long id : ids) {
                closeOnBroker(id);
            }
        }
    }

    void closeQuietly() {
        try {
            close();
        } catch (JMSException e) {
            LOG.debug("closing a browser of {}: {}", queue, e.toString());
        }
    }
}
