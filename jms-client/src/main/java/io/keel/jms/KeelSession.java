package io.keel.jms;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.keel.jms.destination.KeelDestination;
import io.keel.jms.destination.KeelQueue;
import io.keel.jms.destination.KeelTopic;
import io.keel.jms.message.KeelBytesMessage;
import io.keel.jms.message.KeelMapMessage;
import io.keel.jms.message.KeelMessage;
import io.keel.jms.message.KeelObjectMessage;
import io.keel.jms.message.KeelStreamMessage;
import io.keel.jms.message.KeelTextMessage;
import io.keel.protocol.DestinationType;
import io.keel.protocol.command.Ack;
import io.keel.protocol.command.CommandCode;
import io.keel.protocol.command.CreateConsumer;
import io.keel.protocol.command.TxnCommand;
import io.keel.protocol.frame.Frame;
import io.keel.protocol.frame.FrameLayout;
import io.keel.protocol.frame.Wire;
import jakarta.jms.BytesMessage;
import jakarta.jms.Destination;
import jakarta.jms.IllegalStateException;
import jakarta.jms.InvalidDestinationException;
import jakarta.jms.JMSException;
import jakarta.jms.MapMessage;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageListener;
import jakarta.jms.MessageProducer;
import jakarta.jms.ObjectMessage;
import jakarta.jms.Queue;
import jakarta.jms.QueueBrowser;
import jakarta.jms.QueueReceiver;
import jakarta.jms.QueueSender;
import jakarta.jms.QueueSession;
import jakarta.jms.Session;
import jakarta.jms.StreamMessage;
import jakarta.jms.TemporaryQueue;
import jakarta.jms.TemporaryTopic;
import jakarta.jms.TextMessage;
import jakarta.jms.Topic;
import jakarta.jms.TopicPublisher;
import jakarta.jms.TopicSession;
import jakarta.jms.TopicSubscriber;
import jakarta.jms.TransactionRolledBackException;

/**
 * A JMS session. Message listeners and completion listeners of the session run one at a time on
 * its own delivery thread. Acknowledgement: AUTO and DUPS_OK acknowledge each message as the
 * application gets it; CLIENT keeps every delivered message until {@link Message#acknowledge()};
 * SESSION_TRANSACTED sends are prepared on the broker and acknowledgements join the transaction at
 * {@link #commit()} (one commit record, one force on the broker).
 */
public class KeelSession implements Session, QueueSession, TopicSession {

    private static final Logger LOG = LoggerFactory.getLogger(KeelSession.class);
    /** The session whose listener (or completion listener) runs on the current thread. */
    private static final ThreadLocal<KeelSession> LISTENER = new ThreadLocal<>();
    private static final ThreadLocal<Boolean> IN_COMPLETION = new ThreadLocal<>();

    /** A message the application got and has not acknowledged yet (CLIENT and transacted sessions). */
    private record Delivered(KeelMessageConsumer consumer, int storeQueueId, long offset) {
    }

    final KeelConnection connection;
    private final int ackMode;
    private final ExecutorService delivery;
    private volatile Thread deliveryThread;
    private final List<KeelMessageConsumer> consumers = new CopyOnWriteArrayList<>();
    private final List<KeelMessageProducer> producers = new CopyOnWriteArrayList<>();
    private final List<KeelQueueBrowser> browsers = new CopyOnWriteArrayList<>();
    private final List<Delivered> unacknowledged = new ArrayList<>();
    private final List<CompletableFuture<?>> transactedSends = new ArrayList<>();
    private long transactionId;
    private volatile boolean closed;

    KeelSession(KeelConnection connection, int ackMode) {
        this.connection = connection;
        this.ackMode = ackMode;
        this.delivery = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "keel-session-" + connection.nextId());
            t.setDaemon(true);
            deliveryThread = t;
            return t;
        });
        this.transactionId = ackMode == SESSION_TRANSACTED ? connection.nextId() : 0;
    }

    static boolean onListenerThreadOf(KeelConnection c) {
        KeelSession s = LISTENER.get();
        return s != null && s.connection == c;
    }

    boolean onOwnDeliveryThread() {
        return Thread.currentThread() == deliveryThread;
    }

    void checkOpen() throws JMSException {
        if (closed) {
            throw new IllegalStateException("the session is closed");
        }
        connection.checkOpen();
    }

    int getAckModeUnchecked() {
        return ackMode;
    }

    boolean isTransacted() {
        return ackMode == SESSION_TRANSACTED;
    }

    /** The local transaction sends and acknowledgements of this session belong to now (0 if not transacted). */
    synchronized long transactionId() {
        return transactionId;
    }

    /** A send of the current transaction: its answer (a frame to release, or nothing) is checked at commit. */
    synchronized void transactedSend(CompletableFuture<?> answer) {
        transactedSends.add(answer);
    }

    // ---- delivery ---------------------------------------------------------------------------------

    /** Runs a consumer's listener over its buffered messages on the session thread. */
    void scheduleDrain(KeelMessageConsumer c) {
        if (!closed) {
            delivery.execute(() -> {
                LISTENER.set(this);
                try {
                    c.drainToListener();
                } finally {
                    LISTENER.remove();
                }
            });
        }
    }

    /** Runs a completion listener callback on the session thread, in the order they were queued. */
    CompletableFuture<Void> runCallback(Runnable callback) {
        return CompletableFuture.runAsync(() -> {
            LISTENER.set(this);
            IN_COMPLETION.set(Boolean.TRUE);
            try {
                callback.run();
            } catch (RuntimeException e) {
                LOG.warn("a completion listener threw {}", e.toString());
            } finally {
                IN_COMPLETION.remove();
                LISTENER.remove();
            }
        }, delivery);
    }

    void connectionStarted() {
        for (KeelMessageConsumer c : consumers) {
            c.connectionStarted();
        }
    }

    /** Waits until no listener of this session runs (stop, close); not on the session's own thread. */
    void awaitListenersIdle() {
        if (onOwnDeliveryThread() || delivery.isShutdown()) {
            return;
        }
        try {
            delivery.submit(() -> { }).get(60, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | java.util.concurrent.TimeoutException | java.util.concurrent.RejectedExecutionException e) {
            LOG.warn("a message listener of the session did not return within 60 s");
        }
    }

    /** The application got a message from {@code c}: acknowledge it now, or keep it for acknowledge/commit. */
    void delivered(KeelMessageConsumer c, KeelMessageConsumer.Delivery d) {
        int mode = getAckModeUnchecked(); // an XA session outside a branch acknowledges as AUTO does
        if (mode == AUTO_ACKNOWLEDGE || mode == DUPS_OK_ACKNOWLEDGE) {
            Ack a = new Ack().clear(c.id()).add(d.storeQueueId(), d.offset());
            connection.client().request(id -> a.frame(connection.client().channel().alloc(), id, CommandCode.ACK))
                    .whenComplete((f, e) -> {
                        if (f != null) {
                            f.release();
                        }
                    });
        } else {
            synchronized (this) {
                unacknowledged.add(new Delivered(c, d.storeQueueId(), d.offset()));
            }
        }
    }

    /** Returns a message to the broker for redelivery (a listener threw, recover). */
    void release(KeelMessageConsumer c, KeelMessageConsumer.Delivery d) {
        Ack a = new Ack().clear(c.id()).add(d.storeQueueId(), d.offset());
        connection.client().request(id -> a.frame(connection.client().channel().alloc(), id, CommandCode.RELEASE))
                .whenComplete((f, e) -> {
                    if (f != null) {
                        f.release();
                    }
                });
    }

    /** CLIENT_ACKNOWLEDGE: {@link Message#acknowledge()} acknowledges everything the session delivered so far. */
    void acknowledgeAll() throws JMSException {
        checkOpen();
        if (ackMode != CLIENT_ACKNOWLEDGE) {
            return; // the specification: ignored in other modes
        }
        settle(takeUnacknowledged(), CommandCode.ACK, "acknowledge");
    }

    private synchronized List<Delivered> takeUnacknowledged() {
        List<Delivered> out = new ArrayList<>(unacknowledged);
        unacknowledged.clear();
        return out;
    }

    /** Sends ACK, RELEASE or TXN_ACK for {@code ds}, one request per consumer, and waits for every answer. */
    private void settle(List<Delivered> ds, short command, String what) throws JMSException {
        Map<KeelMessageConsumer, Ack> byConsumer = new LinkedHashMap<>();
        for (Delivered d : ds) {
            byConsumer.computeIfAbsent(d.consumer(), c -> new Ack().clear(c.id())).add(d.storeQueueId(), d.offset());
        }
        List<CompletableFuture<Frame>> answers = new ArrayList<>();
        long txn = transactionId();
        for (Ack a : byConsumer.values()) {
            answers.add(connection.client().request(id -> command == CommandCode.TXN_ACK
                    ? TxnCommand.ackFrame(connection.client().channel().alloc(), id, txn, a)
                    : a.frame(connection.client().channel().alloc(), id, command)));
        }
        for (CompletableFuture<Frame> f : answers) {
            JmsErrors.await(f, connection.config().sendTimeoutMillis(), what);
        }
    }

    /** A consumer of a transacted session closes: what it delivered joins the transaction first. */
    void consumerClosing(KeelMessageConsumer c) throws JMSException {
        if (ackMode != SESSION_TRANSACTED) {
            return;
        }
        List<Delivered> mine = new ArrayList<>();
        synchronized (this) {
            unacknowledged.removeIf(d -> {
                if (d.consumer() == c) {
                    mine.add(d);
                    return true;
                }
                return false;
            });
        }
        if (!mine.isEmpty()) {
            settle(mine, CommandCode.TXN_ACK, "hand the closing consumer's messages to the transaction");
        }
    }

    void removed(KeelMessageConsumer c) {
        consumers.remove(c);
    }

    void removed(KeelMessageProducer p) {
        producers.remove(p);
    }

    void removed(KeelQueueBrowser b) {
        browsers.remove(b);
    }

    // ---- transactions ---------------------------------------------------------------------------

    @Override
    public boolean getTransacted() throws JMSException {
        checkOpen();
        return ackMode == SESSION_TRANSACTED;
    }

    @Override
    public int getAcknowledgeMode() throws JMSException {
        checkOpen();
        return ackMode;
    }

    @Override
    public void commit() throws JMSException {
        checkOpen();
        if (ackMode != SESSION_TRANSACTED) {
            throw new IllegalStateException("commit: the session is not transacted");
        }
        if (Boolean.TRUE.equals(IN_COMPLETION.get())) {
            throw new IllegalStateException("commit may not be called from a completion listener");
        }
        JMSException sendFailure = awaitTransactedSends();
        if (sendFailure != null) {
            rollbackQuietly();
            TransactionRolledBackException e = new TransactionRolledBackException(
                    "the transaction was rolled back: a send of it failed: " + sendFailure.getMessage());
            e.setLinkedException(sendFailure);
            throw e;
        }
        long txn = transactionId();
        try {
            settle(takeUnacknowledged(), CommandCode.TXN_ACK, "acknowledge in the transaction");
            JmsErrors.await(connection.client().request(id -> TxnCommand.frame(connection.client().channel().alloc(),
                    CommandCode.TXN_COMMIT, id, txn)), connection.config().sendTimeoutMillis(), "commit");
        } finally {
            nextTransaction();
        }
    }

    /** Waits for every send of the transaction so far (after their callbacks); returns the first failure, or null. */
    private JMSException awaitTransactedSends() throws JMSException {
        for (KeelMessageProducer p : producers) {
            p.awaitCompletions();
        }
        List<CompletableFuture<?>> sends;
        synchronized (this) {
            sends = new ArrayList<>(transactedSends);
            transactedSends.clear();
        }
        JMSException sendFailure = null;
        for (CompletableFuture<?> f : sends) {
            try {
                Object answer = f.get(connection.config().sendTimeoutMillis(), TimeUnit.MILLISECONDS);
                if (answer instanceof Frame frame) {
                    frame.release();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new JMSException("waiting for the sends of the transaction: interrupted");
            } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
                sendFailure = sendFailure == null ? JmsErrors.of("send in the transaction", e) : sendFailure;
            }
        }
        return sendFailure;
    }

    /**
     * XA end (see {@link KeelXAResource}): the session's pending work joins its broker transaction now
     * (sends confirmed, deliveries TXN_ACKed), so the branch can be completed by its id alone, after the
     * session moved on or closed. Returns the failure of a send (the branch must roll back), or null.
     */
    JMSException handOverToTransaction() throws JMSException {
        JMSException sendFailure = awaitTransactedSends();
        settle(takeUnacknowledged(), CommandCode.TXN_ACK, "acknowledge in the XA transaction branch");
        return sendFailure;
    }

    @Override
    public void rollback() throws JMSException {
        checkOpen();
        if (ackMode != SESSION_TRANSACTED) {
            throw new IllegalStateException("rollback: the session is not transacted");
        }
        if (Boolean.TRUE.equals(IN_COMPLETION.get())) {
            throw new IllegalStateException("rollback may not be called from a completion listener");
        }
        for (KeelMessageProducer p : producers) {
            p.awaitCompletions();
        }
        rollbackNow();
    }

    private void rollbackNow() throws JMSException {
        long txn = transactionId();
        List<CompletableFuture<?>> sends;
        synchronized (this) {
            sends = new ArrayList<>(transactedSends);
            transactedSends.clear();
        }
        for (CompletableFuture<?> f : sends) {
            f.thenAccept(answer -> {
                if (answer instanceof Frame frame) {
                    frame.release();
                }
            });
        }
        try {
            settle(takeUnacknowledged(), CommandCode.RELEASE, "return the messages of the rolled-back transaction");
            JmsErrors.await(connection.client().request(id -> TxnCommand.frame(connection.client().channel().alloc(),
                    CommandCode.TXN_ROLLBACK, id, txn)), connection.config().sendTimeoutMillis(), "rollback");
        } finally {
            nextTransaction();
        }
    }

    private void rollbackQuietly() {
        try {
            rollbackNow();
        } catch (JMSException e) {
            LOG.debug("rollback after a failed send: {}", e.toString());
        }
    }

    private synchronized void nextTransaction() {
        transactionId = connection.nextId();
    }

    @Override
    public void recover() throws JMSException {
        checkOpen();
        if (ackMode == SESSION_TRANSACTED) {
            throw new IllegalStateException("recover: the session is transacted; use rollback");
        }
        for (KeelMessageConsumer c : consumers) {
            c.recoverCurrent();
        }
        settle(takeUnacknowledged(), CommandCode.RELEASE, "recover");
    }

    // ---- messages ---------------------------------------------------------------------------------

    @Override
    public BytesMessage createBytesMessage() throws JMSException {
        checkOpen();
        return new KeelBytesMessage();
    }

    @Override
    public MapMessage createMapMessage() throws JMSException {
        checkOpen();
        return new KeelMapMessage();
    }

    @Override
    public Message createMessage() throws JMSException {
        checkOpen();
        return new KeelMessage();
    }

    @Override
    public ObjectMessage createObjectMessage() throws JMSException {
        checkOpen();
        return new KeelObjectMessage();
    }

    @Override
    public ObjectMessage createObjectMessage(Serializable object) throws JMSException {
        checkOpen();
        KeelObjectMessage m = new KeelObjectMessage();
        m.setObject(object);
        return m;
    }

    @Override
    public StreamMessage createStreamMessage() throws JMSException {
        checkOpen();
        return new KeelStreamMessage();
    }

    @Override
    public TextMessage createTextMessage() throws JMSException {
        checkOpen();
        return new KeelTextMessage();
    }

    @Override
    public TextMessage createTextMessage(String text) throws JMSException {
        checkOpen();
        KeelTextMessage m = new KeelTextMessage();
        m.setText(text);
        return m;
    }

    // ---- producers and consumers ------------------------------------------------------------------

    @Override
    public MessageProducer createProducer(Destination destination) throws JMSException {
        checkOpen();
        KeelMessageProducer p = new KeelMessageProducer(this, DestinationArgs.keel(destination, true));
        producers.add(p);
        return p;
    }

    @Override
    public MessageConsumer createConsumer(Destination destination) throws JMSException {
        return createConsumer(destination, null, false);
    }

    @Override
    public MessageConsumer createConsumer(Destination destination, String selector) throws JMSException {
        return createConsumer(destination, selector, false);
    }

    @Override
    public MessageConsumer createConsumer(Destination destination, String selector, boolean noLocal) throws JMSException {
        KeelDestination d = DestinationArgs.keel(destination, false);
        return open(d, d.type().isQueue() ? CreateConsumer.KIND_QUEUE : CreateConsumer.KIND_NON_DURABLE, null, selector,
                noLocal);
    }

    @Override
    public MessageConsumer createSharedConsumer(Topic topic, String name) throws JMSException {
        return createSharedConsumer(topic, name, null);
    }

    @Override
    public MessageConsumer createSharedConsumer(Topic topic, String name, String selector) throws JMSException {
        return open(DestinationArgs.topic(topic), CreateConsumer.KIND_SHARED_NON_DURABLE, DestinationArgs.name(name), selector, false);
    }

    @Override
    public TopicSubscriber createDurableSubscriber(Topic topic, String name) throws JMSException {
        return createDurableSubscriber(topic, name, null, false);
    }

    @Override
    public TopicSubscriber createDurableSubscriber(Topic topic, String name, String selector, boolean noLocal)
            throws JMSException {
        return open(DestinationArgs.topic(topic), CreateConsumer.KIND_DURABLE, DestinationArgs.name(name), selector, noLocal);
    }

    @Override
    public MessageConsumer createDurableConsumer(Topic topic, String name) throws JMSException {
        return createDurableSubscriber(topic, name, null, false);
    }

    @Override
    public MessageConsumer createDurableConsumer(Topic topic, String name, String selector, boolean noLocal)
            throws JMSException {
        return createDurableSubscriber(topic, name, selector, noLocal);
    }

    @Override
    public MessageConsumer createSharedDurableConsumer(Topic topic, String name) throws JMSException {
        return createSharedDurableConsumer(topic, name, null);
    }

    @Override
    public MessageConsumer createSharedDurableConsumer(Topic topic, String name, String selector) throws JMSException {
        return open(DestinationArgs.topic(topic), CreateConsumer.KIND_SHARED_DURABLE, DestinationArgs.name(name), selector, false);
    }

    private KeelMessageConsumer open(KeelDestination d, byte kind, String subscription, String selector, boolean noLocal)
            throws JMSException {
        checkOpen();
        connection.used();
        if (kind == CreateConsumer.KIND_DURABLE && connection.clientIdOrNull() == null) {
            throw new IllegalStateException("durable subscription '" + subscription
                    + "': an unshared durable subscription needs a client id on the connection");
        }
        KeelMessageConsumer c = new KeelMessageConsumer(this, connection.nextId(), d, selector,
                noLocal && kind != CreateConsumer.KIND_QUEUE);
        connection.register(c);
        try {
            JmsErrors.await(connection.client().request(id -> new CreateConsumer(c.id(), d.type(), d.name(), kind,
                    subscription, selector, noLocal, connection.config().prefetch(), Long.MAX_VALUE)
                    .frame(connection.client().channel().alloc(), id)), connection.config().sendTimeoutMillis(),
                    "create a consumer on " + d + (subscription == null ? "" : " (subscription '" + subscription + "')"));
        } catch (JMSException e) {
            connection.unregister(c);
            throw e;
        }
        consumers.add(c);
        return c;
    }

    @Override
    public void unsubscribe(String name) throws JMSException {
        checkOpen();
        connection.used();
        JmsErrors.await(connection.client().request(id -> {
            io.netty.buffer.ByteBuf b = FrameLayout.begin(connection.client().channel().alloc(), 8 + name.length() * 3,
                    CommandCode.UNSUBSCRIBE, 0, id);
            Wire.writeString(b, name);
            return FrameLayout.end(b);
        }), connection.config().sendTimeoutMillis(), "unsubscribe '" + name + "'");
    }

    @Override
    public QueueBrowser createBrowser(Queue queue) throws JMSException {
        return createBrowser(queue, null);
    }

    @Override
    public QueueBrowser createBrowser(Queue queue, String selector) throws JMSException {
        checkOpen();
        KeelDestination d = DestinationArgs.keel(queue, false);
        KeelQueueBrowser b = new KeelQueueBrowser(this, d, selector);
        b.validate();
        browsers.add(b);
        return b;
    }

    @Override
    public Queue createQueue(String queueName) throws JMSException {
        checkOpen();
        try {
            return new KeelQueue(queueName);
        } catch (IllegalArgumentException e) {
            throw new InvalidDestinationException(e.getMessage());
        }
    }

    @Override
    public Topic createTopic(String topicName) throws JMSException {
        checkOpen();
        try {
            return new KeelTopic(topicName);
        } catch (IllegalArgumentException e) {
            throw new InvalidDestinationException(e.getMessage());
        }
    }

    @Override
    public TemporaryQueue createTemporaryQueue() throws JMSException {
        checkOpen();
        return (TemporaryQueue) connection.createTemporary(DestinationType.TEMPORARY_QUEUE);
    }

    @Override
    public TemporaryTopic createTemporaryTopic() throws JMSException {
        checkOpen();
        return (TemporaryTopic) connection.createTemporary(DestinationType.TEMPORARY_TOPIC);
    }

    @Override
    public QueueReceiver createReceiver(Queue queue) throws JMSException {
        return (QueueReceiver) createConsumer(queue);
    }

    @Override
    public QueueReceiver createReceiver(Queue queue, String selector) throws JMSException {
        return (QueueReceiver) createConsumer(queue, selector);
    }

    @Override
    public QueueSender createSender(Queue queue) throws JMSException {
        return (QueueSender) createProducer(queue);
    }

    @Override
    public TopicSubscriber createSubscriber(Topic topic) throws JMSException {
        return (TopicSubscriber) createConsumer(topic);
    }

    @Override
    public TopicSubscriber createSubscriber(Topic topic, String selector, boolean noLocal) throws JMSException {
        return (TopicSubscriber) createConsumer(topic, selector, noLocal);
    }

    @Override
    public TopicPublisher createPublisher(Topic topic) throws JMSException {
        return (TopicPublisher) createProducer(topic);
    }

    // ---- the optional application-server facility ---------------------------------------------------

    @Override
    public MessageListener getMessageListener() throws JMSException {
        checkOpen();
        return null;
    }

    @Override
    public void setMessageListener(MessageListener listener) throws JMSException {
        checkOpen();
        throw new JMSException("the session's distinguished message listener is an optional application-server "
                + "facility Keel does not offer; set a listener on a consumer");
    }

    @Override
    public void run() {
        throw new UnsupportedOperationException("Session.run is the optional application-server facility Keel does not offer");
    }

    // ---- closing ------------------------------------------------------------------------------------

    @Override
    public void close() throws JMSException {
        if (closed) {
            return;
        }
        if (LISTENER.get() == this) {
            throw new IllegalStateException("a message or completion listener may not close its own session");
        }
        for (KeelMessageProducer p : producers) {
            p.awaitCompletions();
        }
        awaitListenersIdle();
        try {
            if (ackMode == SESSION_TRANSACTED && !connection.isBroken()) {
                rollbackNow();
            }
        } finally {
            for (KeelMessageConsumer c : consumers) {
                c.closeQuietly();
            }
            for (KeelQueueBrowser b : browsers) {
                b.closeQuietly();
            }
            producers.clear();
            closed = true;
            delivery.shutdown();
            connection.sessionClosed(this);
        }
    }
}
