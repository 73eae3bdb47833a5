package io.keel.jms;

import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.keel.jms.destination.KeelDestination;
import io.keel.jms.message.KeelMessage;
import io.keel.jms.message.KeelObjectMessage;
import io.keel.jms.message.TrustedPackages;
import io.keel.protocol.command.Ack;
import io.keel.protocol.command.CommandCode;
import io.keel.protocol.command.Credit;
import io.keel.protocol.message.MessageCodec;
import jakarta.jms.IllegalStateException;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageListener;
import jakarta.jms.Queue;
import jakarta.jms.QueueReceiver;
import jakarta.jms.Session;
import jakarta.jms.Topic;
import jakarta.jms.TopicSubscriber;

/**
 * A JMS consumer. The broker pushes up to {@code prefetch} messages ahead; they wait in this
 * consumer's buffer until {@link #receive} takes one or the listener gets it on the session thread,
 * and each one taken gives the broker credit for another. Nothing is delivered while the connection
 * is stopped.
 */
public class KeelMessageConsumer implements QueueReceiver, TopicSubscriber {

    private static final Logger LOG = LoggerFactory.getLogger(KeelMessageConsumer.class);

    /**
     * A message pushed by the broker: where it is stored, its delivery count, its encoded bytes, and
     * the generation of the broker connection that delivered it (its lease lives there), and the
     * consumer's delivery epoch it was sent in (see {@link #recover}).
     */
    record Delivery(int storeQueueId, long offset, int deliveryCount, byte[] bytes, int generation, int epoch) {
    }

    private final KeelSession session;
    private final long id;
    private final KeelDestination destination;
    private final String selector;
    private final boolean noLocal;
    /** How the consumer subscribes ({@code CreateConsumer.KIND_*}) and its subscription name: kept to subscribe again after a failover. */
    private final byte kind;
    private final String subscription;
    /** Why the consumer could not subscribe again after a reconnection (its destination is gone), or null. */
    private volatile JMSException lostSubscription;
    private final TrustedPackages trusted;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final ArrayDeque<Delivery> buffer = new ArrayDeque<>();
    private final int creditBatch;
    private int creditOwed;
    private volatile MessageListener listener;
    private volatile boolean closed;
    /** The message a listener is handling now (AUTO/DUPS_OK), and whether recover() asked for it back. */
    private Delivery inListener;
    private boolean recoverRequested;
    /** Whether the broker has this consumer's prefetch credit (given once the connection starts). Guarded by lock. */
    private boolean creditGranted;
    /** The delivery epoch: raised by each recover; deliveries of an older one are stale. Guarded by lock. */
    private int epoch;

    KeelMessageConsumer(KeelSession session, long id, KeelDestination destination, String selector, boolean noLocal,
            byte kind, String subscription) {
        this.kind = kind;
        this.subscription = subscription;
        this.session = session;
        this.id = id;
        this.destination = destination;
        this.selector = selector == null || selector.isBlank() ? null : selector;
        this.noLocal = noLocal;
        this.trusted = new TrustedPackages(session.connection.config().trustedPackages());
        this.creditBatch = Math.max(1, session.connection.config().prefetch() / 4);
    }

    long id() {
        return id;
    }

    /** The CREATE_CONSUMER request of this consumer (first subscription and re-subscription after a failover). */
    io.netty.buffer.ByteBuf createFrame(io.keel.protocol.client.ProtocolClient client, int correlationId) {
        return new io.keel.protocol.command.CreateConsumer(id, destination.type(), destination.name(), kind, subscription,
                selector, noLocal, initialCredit(), Long.MAX_VALUE).frame(client.channel().alloc(), correlationId);
    }

    /**
     * The credit a (re)subscription starts with: the prefetch if the connection is started, else none
     * until {@link #connectionStarted}: a consumer of a stopped connection must not take messages a
     * consumer elsewhere could have (JMS 3.1 §6.1.5: a stopped connection delivers nothing).
     */
    private int initialCredit() {
        lock.lock();
        try {
            creditGranted = session.connection.isStarted();
            return creditGranted ? session.connection.config().prefetch() : 0;
        } finally {
            lock.unlock();
        }
    }

    private void checkOpen() throws JMSException {
        if (closed) {
            throw new IllegalStateException("the consumer is closed");
        }
        session.checkOpen();
    }

    // ---- from the connection ---------------------------------------------------------------------------

    /** A delivery arrived (the connection's I/O thread). */
    void onDelivery(Delivery d) {
        lock.lock();
        try {
            if (closed) {
                return; // the broker returns it when the consumer's close reaches it
            }
            if (d.epoch() != epoch) {
                // Sent before a recover the broker has processed since: it went back with it. The
                // credit it used is granted again.
                session.connection.client().send(new Credit(id, 1, 0).frame(session.connection.client().channel().alloc()));
                return;
            }
            buffer.add(d);
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        if (listener != null && session.connection.isStarted()) {
            session.scheduleDrain(this);
        }
    }

    void connectionStarted() {
        boolean grant;
        lock.lock();
        try {
            grant = !creditGranted && !closed;
            creditGranted = true;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        if (grant) {
            session.connection.client().send(new Credit(id, session.connection.config().prefetch(), 0)
                    .frame(session.connection.client().channel().alloc()));
        }
        if (listener != null) {
            session.scheduleDrain(this);
        }
    }

    /** The broker connection was lost: buffered messages go (the broker redelivers them), credit starts afresh. */
    void connectionInterrupted() {
        lock.lock();
        try {
            buffer.clear();
            creditOwed = 0;
            epoch = 0; // a new broker consumer starts at epoch 0
        } finally {
            lock.unlock();
        }
    }

    /**
     * Subscribes again on a new broker connection with the same id, selector and subscription. A
     * destination that no longer exists ends this consumer (receive throws); any other refusal (the
     * broker still sees the old connection's consumer on a durable subscription) is thrown so the
     * reconnection is tried again.
     */
    void resubscribe(io.keel.protocol.client.ProtocolClient client) throws JMSException {
        if (closed) {
            return;
        }
        connectionInterrupted();
        try {
            JmsErrors.await(client.request(x -> createFrame(client, x)), session.connection.config().sendTimeoutMillis(),
                    "subscribe again to " + destination);
        } catch (jakarta.jms.InvalidDestinationException e) {
            LOG.warn("{}: the consumer cannot subscribe again after the reconnection: {}", destination, e.getMessage());
            lostSubscription = e;
            lock.lock();
            try {
                changed.signalAll();
            } finally {
                lock.unlock();
            }
        }
    }

    void connectionLost() {
        lock.lock();
        try {
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    // ---- taking messages ----------------------------------------------------------------------------

    private Delivery take(long timeoutMillis, boolean wait) throws JMSException {
        long deadline = timeoutMillis > 0 ? System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis) : 0;
        lock.lock();
        try {
            while (true) {
                if (closed) {
                    return null;
                }
                session.connection.checkOpen();
                if (lostSubscription != null) {
                    throw lostSubscription;
                }
                if (session.connection.isStarted() && !buffer.isEmpty()) {
                    return buffer.poll();
                }
                if (!wait) {
                    return null;
                }
                if (deadline == 0) {
                    changed.await();
                } else {
                    long left = deadline - System.nanoTime();
                    if (left <= 0) {
                        return null;
                    }
                    changed.awaitNanos(left);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        } finally {
            lock.unlock();
        }
    }

    /** Decodes a delivery into a received message, read-only, with its delivery count and acknowledger. */
    private KeelMessage toMessage(Delivery d) throws JMSException {
        KeelMessage m;
        try {
            m = KeelMessage.fromData(MessageCodec.decode(d.bytes()));
        } catch (RuntimeException e) {
            JMSException j = new JMSException("a message from " + destination + " cannot be decoded: " + e.getMessage());
            j.setLinkedException(e);
            throw j;
        }
        m.markDelivered(d.deliveryCount());
        if (m instanceof KeelObjectMessage o) {
            o.setTrustedPackages(trusted);
        }
        if (session.getAckModeUnchecked() == Session.CLIENT_ACKNOWLEDGE) {
            m.setAcknowledger(session::acknowledgeAll);
        }
        return m;
    }

    /** One message taken by the application: credit the broker for another (in batches). */
    private void taken() {
        int owed;
        lock.lock();
        try {
            creditOwed++;
            if (creditOwed < creditBatch && !buffer.isEmpty()) {
                return;
            }
            owed = creditOwed;
            creditOwed = 0;
        } finally {
            lock.unlock();
        }
        if (!closed) {
            session.connection.client().send(new Credit(id, owed, 0).frame(session.connection.client().channel().alloc()));
        }
    }

    private Message receive(long timeoutMillis, boolean wait) throws JMSException {
        checkOpen();
        if (listener != null) {
            throw new IllegalStateException("the consumer has a message listener; it cannot also receive");
        }
        Delivery d = take(timeoutMillis, wait);
        if (d == null) {
            return null;
        }
        taken();
        KeelMessage m = toMessage(d);
        session.received(this, d);
        return m;
    }

    /**
     * receiveBody: takes the next message only if its body fits {@code type}; one that does not fit is
     * returned to the broker for redelivery in AUTO/DUPS_OK mode (the specification: it is not
     * acknowledged) and MessageFormatException is thrown.
     */
    Message receiveForBody(long timeoutMillis, boolean wait, Class<?> type) throws JMSException {
        checkOpen();
        if (listener != null) {
            throw new IllegalStateException("the consumer has a message listener; it cannot also receive");
        }
        Delivery d = take(timeoutMillis, wait);
        if (d == null) {
            return null;
        }
        KeelMessage m = toMessage(d);
        // receiveBody serves text, bytes, map and object messages only (a plain Message has no body,
        // a StreamMessage's body is not one value), and only as a type their body can be assigned to.
        boolean supported = m instanceof jakarta.jms.TextMessage || m instanceof jakarta.jms.BytesMessage
                || m instanceof jakarta.jms.MapMessage || m instanceof jakarta.jms.ObjectMessage;
        if (!supported || !m.isBodyAssignableTo(type)) {
            int mode = session.getAckModeUnchecked();
            if (mode == Session.AUTO_ACKNOWLEDGE || mode == Session.DUPS_OK_ACKNOWLEDGE) {
                // As if the call had not happened: the message stays first in line, not redelivered.
                putBack(d);
            } else {
                taken();
                session.delivered(this, d);
            }
            throw new jakarta.jms.MessageFormatException(!supported ? "message " + m.getJMSMessageID() + " is a "
                    + m.getClass().getSimpleName().replace("Keel", "") + ", which receiveBody does not return (only "
                    + "text, bytes, map and object messages have a body it can return)"
                    : "the body of message " + m.getJMSMessageID() + " cannot be returned as " + type.getName());
        }
        taken();
        session.received(this, d);
        return m;
    }

    /** A delivery taken and not handed over goes back to the head of the buffer. */
    private void putBack(Delivery d) {
        lock.lock();
        try {
            buffer.addFirst(d);
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public Message receive() throws JMSException {
        return receive(0, true);
    }

    @Override
    public Message receive(long timeout) throws JMSException {
        return receive(timeout, true);
    }

    @Override
    public Message receiveNoWait() throws JMSException {
        return receive(0, false);
    }

    /** The session thread: hands buffered messages to the listener while the connection is started. */
    void drainToListener() {
        while (!closed && listener != null && session.connection.isStarted()) {
            Delivery d;
            lock.lock();
            try {
                d = buffer.poll();
                inListener = d;
                recoverRequested = false;
            } finally {
                lock.unlock();
            }
            if (d == null) {
                return;
            }
            taken();
            boolean ok = false;
            try {
                KeelMessage m = toMessage(d);
                MessageListener l = listener;
                if (l != null) {
                    l.onMessage(m);
                }
                ok = true;
            } catch (JMSException | RuntimeException e) {
                LOG.warn("message listener of {} threw {}; the message will be redelivered", destination, e.toString());
            }
            boolean back;
            lock.lock();
            try {
                back = recoverRequested;
                inListener = null;
            } finally {
                lock.unlock();
            }
            int mode = session.getAckModeUnchecked();
            boolean autoMode = mode == Session.AUTO_ACKNOWLEDGE || mode == Session.DUPS_OK_ACKNOWLEDGE;
            if (back) {
                continue; // recover() inside the listener returned this message already
            } else if (autoMode && !ok) {
                session.release(this, d); // the specification: a listener that throws gets the message again
            } else {
                session.delivered(this, d);
            }
        }
    }

    /**
     * Session.recover or rollback for this consumer: the deliveries the application saw ({@code seen},
     * plus the one a listener of this consumer is handling now, which then is not acknowledged when it
     * returns) go back counted; what is buffered and on its way was never seen and goes back uncounted.
     * One RECOVER request does both on the broker at once and starts a new delivery epoch, so
     * deliveries of the old epoch still arriving are dropped and redelivery starts with the oldest.
     */
    void recover(List<Acknowledgements.Delivered> seen) throws JMSException {
        if (closed) {
            return;
        }
        Ack a = new Ack().clear(id);
        int dropped;
        lock.lock();
        try {
            epoch++;
            dropped = buffer.size();
            buffer.clear();
            if (inListener != null) {
                recoverRequested = true;
                a.add(inListener.storeQueueId(), inListener.offset());
            }
        } finally {
            lock.unlock();
        }
        for (Acknowledgements.Delivered d : seen) {
            a.add(d.storeQueueId(), d.offset());
        }
        JmsErrors.await(session.connection.request(x -> a.frame(session.connection.client().channel().alloc(), x,
                CommandCode.RECOVER)), session.connection.config().sendTimeoutMillis(), "recover the consumer of "
                + destination);
        if (dropped > 0) {
            session.connection.client().send(new Credit(id, dropped, 0).frame(session.connection.client().channel().alloc()));
        }
    }

    // ---- settings and closing -----------------------------------------------------------------------

    @Override
    public String getMessageSelector() throws JMSException {
        checkOpen();
        return selector;
    }

    @Override
    public MessageListener getMessageListener() throws JMSException {
        checkOpen();
        return listener;
    }

    @Override
    public void setMessageListener(MessageListener l) throws JMSException {
        checkOpen();
        this.listener = l;
        if (l != null && session.connection.isStarted()) {
            session.scheduleDrain(this);
        }
    }

    @Override
    public Queue getQueue() throws JMSException {
        checkOpen();
        if (!(destination instanceof Queue q)) {
            throw new IllegalStateException("the consumer reads " + destination + ", not a queue");
        }
        return q;
    }

    @Override
    public Topic getTopic() throws JMSException {
        checkOpen();
        if (!(destination instanceof Topic t)) {
            throw new IllegalStateException("the consumer reads " + destination + ", not a topic");
        }
        return t;
    }

    @Override
    public boolean getNoLocal() throws JMSException {
        checkOpen();
        return noLocal;
    }

    @Override
    public void close() throws JMSException {
        if (closed) {
            return;
        }
        if (!session.onOwnDeliveryThread()) {
            session.awaitListenersIdle(); // an onMessage in progress finishes first
        }
        session.consumerClosing(this);
        lock.lock();
        try {
            closed = true;
            buffer.clear();
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        session.removed(this);
        try {
            if (!session.connection.isBroken()) {
                // Everything the application saw is acknowledged, returned or moved into a transaction
                // by now, so what the broker still leases to this consumer was only prefetched (buffered
                // here or on its way): it goes back without counting a delivery.
                JmsErrors.await(session.connection.request(x -> Credit.closeConsumerFrame(
                        session.connection.client().channel().alloc(), x, id, Credit.CLOSE_UNSEEN)),
                        session.connection.config().sendTimeoutMillis(), "close the consumer of " + destination);
            }
        } finally {
            session.connection.unregister(this);
        }
    }

    void closeQuietly() {
        try {
            close();
        } catch (JMSException e) {
            LOG.debug("closing a consumer of {}: {}", destination, e.toString());
        }
    }
}
