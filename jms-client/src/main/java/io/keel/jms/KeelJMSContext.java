package io.keel.jms;

import java.io.Serializable;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.jms.BytesMessage;
import jakarta.jms.ConnectionMetaData;
import jakarta.jms.Destination;
import jakarta.jms.ExceptionListener;
import jakarta.jms.IllegalStateRuntimeException;
import jakarta.jms.JMSConsumer;
import jakarta.jms.JMSContext;
import jakarta.jms.JMSException;
import jakarta.jms.JMSProducer;
import jakarta.jms.MapMessage;
import jakarta.jms.Message;
import jakarta.jms.ObjectMessage;
import jakarta.jms.Queue;
import jakarta.jms.QueueBrowser;
import jakarta.jms.StreamMessage;
import jakarta.jms.TemporaryQueue;
import jakarta.jms.TemporaryTopic;
import jakarta.jms.TextMessage;
import jakarta.jms.Topic;

/**
 * The simplified API: one connection and one session. Contexts made with {@link #createContext(int)}
 * share the connection, which closes with the last of them. Every checked JMS exception becomes its
 * unchecked twin ({@link JmsErrors#runtime}). With auto-start (the default) the connection starts
 * when the first consumer is created.
 */
public class KeelJMSContext implements JMSContext {

    /** The connection and how many contexts use it. */
    private static final class Shared {
        final KeelConnection connection;
        final AtomicInteger users = new AtomicInteger(1);

        Shared(KeelConnection connection) {
            this.connection = connection;
        }
    }

    /** Checked JMS work whose exception becomes the unchecked twin. */
    interface Work<T> {
        T run() throws JMSException;
    }

    static <T> T unchecked(Work<T> w) {
        try {
            return w.run();
        } catch (JMSException e) {
            throw JmsErrors.runtime(e);
        }
    }

    private final Shared shared;
    private final int sessionMode;
    private KeelSession session;
    private volatile boolean autoStart = true;
    private volatile boolean closed;

    KeelJMSContext(KeelConnection connection, int sessionMode) {
        this(new Shared(connection), sessionMode);
    }

    private KeelJMSContext(Shared shared, int sessionMode) {
        if (sessionMode != SESSION_TRANSACTED && sessionMode != AUTO_ACKNOWLEDGE && sessionMode != CLIENT_ACKNOWLEDGE
                && sessionMode != DUPS_OK_ACKNOWLEDGE) {
            throw new jakarta.jms.JMSRuntimeException("session mode " + sessionMode + " is not AUTO_ACKNOWLEDGE (1), "
                    + "CLIENT_ACKNOWLEDGE (2), DUPS_OK_ACKNOWLEDGE (3) or SESSION_TRANSACTED (0)");
        }
        this.shared = shared;
        this.sessionMode = sessionMode;
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateRuntimeException("the JMSContext is closed");
        }
    }

    /** The session, created on first use (so a context used only for its connection opens none). */
    synchronized KeelSession session() {
        checkOpen();
        if (session == null) {
            session = unchecked(() -> openSession(shared.connection, sessionMode));
        }
        return session;
    }

    /** Opens the context's session; the XA context opens an XA session instead. */
    KeelSession openSession(KeelConnection connection, int mode) throws JMSException {
        return (KeelSession) connection.createSession(mode);
    }

    void startIfAuto() {
        if (autoStart) {
            unchecked(() -> {
                shared.connection.start();
                return null;
            });
        }
    }

    @Override
    public JMSContext createContext(int mode) {
        checkOpen();
        shared.users.incrementAndGet();
        return new KeelJMSContext(shared, mode);
    }

    @Override
    public JMSProducer createProducer() {
        return new KeelJMSProducer(this, (KeelMessageProducer) unchecked(() -> session().createProducer(null)));
    }

    @Override
    public String getClientID() {
        checkOpen();
        return unchecked(shared.connection::getClientID);
    }

    @Override
    public void setClientID(String clientID) {
        checkOpen();
        unchecked(() -> {
            shared.connection.setClientID(clientID);
            return null;
        });
    }

    @Override
    public ConnectionMetaData getMetaData() {
        checkOpen();
        return unchecked(shared.connection::getMetaData);
    }

    @Override
    public ExceptionListener getExceptionListener() {
        checkOpen();
        return unchecked(shared.connection::getExceptionListener);
    }

    @Override
    public void setExceptionListener(ExceptionListener listener) {
        checkOpen();
        unchecked(() -> {
            shared.connection.setExceptionListener(listener);
            return null;
        });
    }

    @Override
    public void start() {
        checkOpen();
        unchecked(() -> {
            shared.connection.start();
            return null;
        });
    }

    @Override
    public void stop() {
        checkOpen();
        if (KeelSession.onMessageListenerThreadOf(shared.connection)) {
            throw new IllegalStateRuntimeException("a message listener may not stop its own JMSContext");
        }
        unchecked(() -> {
            shared.connection.stop();
            return null;
        });
    }

    @Override
    public void setAutoStart(boolean autoStart) {
        checkOpen();
        this.autoStart = autoStart;
    }

    @Override
    public boolean getAutoStart() {
        checkOpen();
        return autoStart;
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        if (KeelSession.onListenerThreadOf(shared.connection)) {
            throw new IllegalStateRuntimeException("a message or completion listener may not close its own JMSContext");
        }
        unchecked(() -> {
            synchronized (this) {
                if (session != null) {
                    session.close();
                }
            }
            closed = true;
            if (shared.users.decrementAndGet() == 0) {
                shared.connection.close();
            }
            return null;
        });
    }

    @Override
    public BytesMessage createBytesMessage() {
        return unchecked(() -> session().createBytesMessage());
    }

    @Override
    public MapMessage createMapMessage() {
        return unchecked(() -> session().createMapMessage());
    }

    @Override
    public Message createMessage() {
        return unchecked(() -> session().createMessage());
    }

    @Override
    public ObjectMessage createObjectMessage() {
        return unchecked(() -> session().createObjectMessage());
    }

    @Override
    public ObjectMessage createObjectMessage(Serializable object) {
        return unchecked(() -> session().createObjectMessage(object));
    }

    @Override
    public StreamMessage createStreamMessage() {
        return unchecked(() -> session().createStreamMessage());
    }

    @Override
    public TextMessage createTextMessage() {
        return unchecked(() -> session().createTextMessage());
    }

    @Override
    public TextMessage createTextMessage(String text) {
        return unchecked(() -> session().createTextMessage(text));
    }

    @Override
    public boolean getTransacted() {
        return unchecked(() -> session().getTransacted());
    }

    @Override
    public int getSessionMode() {
        checkOpen();
        return sessionMode;
    }

    @Override
    public void commit() {
        unchecked(() -> {
            session().commit();
            return null;
        });
    }

    @Override
    public void rollback() {
        unchecked(() -> {
            session().rollback();
            return null;
        });
    }

    @Override
    public void recover() {
        unchecked(() -> {
            session().recover();
            return null;
        });
    }

    private JMSConsumer consumer(Work<jakarta.jms.MessageConsumer> open) {
        KeelMessageConsumer c = (KeelMessageConsumer) unchecked(open);
        startIfAuto();
        return new KeelJMSConsumer(c);
    }

    @Override
    public JMSConsumer createConsumer(Destination destination) {
        return consumer(() -> session().createConsumer(destination));
    }

    @Override
    public JMSConsumer createConsumer(Destination destination, String selector) {
        return consumer(() -> session().createConsumer(destination, selector));
    }

    @Override
    public JMSConsumer createConsumer(Destination destination, String selector, boolean noLocal) {
        return consumer(() -> session().createConsumer(destination, selector, noLocal));
    }

    @Override
    public Queue createQueue(String queueName) {
        return unchecked(() -> session().createQueue(queueName));
    }

    @Override
    public Topic createTopic(String topicName) {
        return unchecked(() -> session().createTopic(topicName));
    }

    @Override
    public JMSConsumer createDurableConsumer(Topic topic, String name) {
        return consumer(() -> session().createDurableConsumer(topic, name));
    }

    @Override
    public JMSConsumer createDurableConsumer(Topic topic, String name, String selector, boolean noLocal) {
        return consumer(() -> session().createDurableConsumer(topic, name, selector, noLocal));
    }

    @Override
    public JMSConsumer createSharedDurableConsumer(Topic topic, String name) {
        return consumer(() -> session().createSharedDurableConsumer(topic, name));
    }

    @Override
    public JMSConsumer createSharedDurableConsumer(Topic topic, String name, String selector) {
        return consumer(() -> session().createSharedDurableConsumer(topic, name, selector));
    }

    @Override
    public JMSConsumer createSharedConsumer(Topic topic, String name) {
        return consumer(() -> session().createSharedConsumer(topic, name));
    }

    @Override
    public JMSConsumer createSharedConsumer(Topic topic, String name, String selector) {
        return consumer(() -> session().createSharedConsumer(topic, name, selector));
    }

    @Override
    public QueueBrowser createBrowser(Queue queue) {
        return unchecked(() -> session().createBrowser(queue));
    }

    @Override
    public QueueBrowser createBrowser(Queue queue, String selector) {
        return unchecked(() -> session().createBrowser(queue, selector));
    }

    @Override
    public TemporaryQueue createTemporaryQueue() {
        return unchecked(() -> session().createTemporaryQueue());
    }

    @Override
    public TemporaryTopic createTemporaryTopic() {
        return unchecked(() -> session().createTemporaryTopic());
    }

    @Override
    public void unsubscribe(String name) {
        unchecked(() -> {
            session().unsubscribe(name);
            return null;
        });
    }

    @Override
    public void acknowledge() {
        unchecked(() -> {
            session().acknowledgeAll();
            return null;
        });
    }
}
