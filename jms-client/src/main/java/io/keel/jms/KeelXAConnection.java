package io.keel.jms;

import jakarta.jms.ConnectionConsumer;
import jakarta.jms.ConnectionMetaData;
import jakarta.jms.Destination;
import jakarta.jms.ExceptionListener;
import jakarta.jms.JMSException;
import jakarta.jms.Queue;
import jakarta.jms.QueueSession;
import jakarta.jms.ServerSessionPool;
import jakarta.jms.Session;
import jakarta.jms.Topic;
import jakarta.jms.TopicSession;
import jakarta.jms.XAQueueConnection;
import jakarta.jms.XAQueueSession;
import jakarta.jms.XASession;
import jakarta.jms.XATopicConnection;
import jakarta.jms.XATopicSession;

/**
 * An XA connection (made by {@link KeelXAConnectionFactory}): a {@link KeelConnection} that can also
 * create XA sessions. It wraps the connection rather than extending it, so a plain connection is not
 * an XAConnection and the connection's own lifecycle code stays in one place. Its XA sessions share one
 * {@link XaBranches} registry: a branch is a broker transaction of this connection, so sessions of
 * this connection can join each other's branches.
 */
public class KeelXAConnection implements XAQueueConnection, XATopicConnection {

    private final KeelConnection connection;
    private final XaBranches branches;

    KeelXAConnection(KeelConnection connection) {
        this.connection = connection;
        this.branches = new XaBranches(connection);
    }

    private KeelXASession newXASession() throws JMSException {
        connection.checkOpen();
        return connection.adopt(new KeelXASession(connection, branches));
    }

    @Override
    public XASession createXASession() throws JMSException {
        return newXASession();
    }

    @Override
    public XAQueueSession createXAQueueSession() throws JMSException {
        return newXASession();
    }

    @Override
    public XATopicSession createXATopicSession() throws JMSException {
        return newXASession();
    }

    // ---- the plain connection's behaviour ----------------------------------------------------------

    @Override
    public Session createSession(boolean transacted, int acknowledgeMode) throws JMSException {
        return connection.createSession(transacted, acknowledgeMode);
    }

    @Override
    public Session createSession(int sessionMode) throws JMSException {
        return connection.createSession(sessionMode);
    }

    @Override
    public Session createSession() throws JMSException {
        return connection.createSession();
    }

    @Override
    public QueueSession createQueueSession(boolean transacted, int acknowledgeMode) throws JMSException {
        return connection.createQueueSession(transacted, acknowledgeMode);
    }

    @Override
    public TopicSession createTopicSession(boolean transacted, int acknowledgeMode) throws JMSException {
        return connection.createTopicSession(transacted, acknowledgeMode);
    }

    @Override
    public String getClientID() throws JMSException {
        return connection.getClientID();
    }

    @Override
    public void setClientID(String clientID) throws JMSException {
        connection.setClientID(clientID);
    }

    @Override
    public ConnectionMetaData getMetaData() throws JMSException {
        return connection.getMetaData();
    }

    @Override
    public ExceptionListener getExceptionListener() throws JMSException {
        return connection.getExceptionListener();
    }

    @Override
    public void setExceptionListener(ExceptionListener listener) throws JMSException {
        connection.setExceptionListener(listener);
    }

    @Override
    public void start() throws JMSException {
        connection.start();
    }

    @Override
    public void stop() throws JMSException {
        connection.stop();
    }

    /** Closes the connection; the broker rolls back every branch not completed yet. */
    @Override
    public void close() throws JMSException {
        connection.close();
    }

    @Override
    public ConnectionConsumer createConnectionConsumer(Destination destination, String messageSelector,
            ServerSessionPool sessionPool, int maxMessages) throws JMSException {
        return connection.createConnectionConsumer(destination, messageSelector, sessionPool, maxMessages);
    }

    @Override
    public ConnectionConsumer createConnectionConsumer(Queue queue, String messageSelector, ServerSessionPool sessionPool,
            int maxMessages) throws JMSException {
        return connection.createConnectionConsumer(queue, messageSelector, sessionPool, maxMessages);
    }

    @Override
    public ConnectionConsumer createConnectionConsumer(Topic topic, String messageSelector, ServerSessionPool sessionPool,
            int maxMessages) throws JMSException {
        return connection.createConnectionConsumer(topic, messageSelector, sessionPool, maxMessages);
    }

    @Override
    public ConnectionConsumer createSharedConnectionConsumer(Topic topic, String subscriptionName, String messageSelector,
            ServerSessionPool sessionPool, int maxMessages) throws JMSException {
        return connection.createSharedConnectionConsumer(topic, subscriptionName, messageSelector, sessionPool, maxMessages);
    }

    @Override
    public ConnectionConsumer createDurableConnectionConsumer(Topic topic, String subscriptionName,
            String messageSelector, ServerSessionPool sessionPool, int maxMessages) throws JMSException {
        return connection.createDurableConnectionConsumer(topic, subscriptionName, messageSelector, sessionPool,
                maxMessages);
    }

    @Override
    public ConnectionConsumer createSharedDurableConnectionConsumer(Topic topic, String subscriptionName,
            String messageSelector, ServerSessionPool sessionPool, int maxMessages) throws JMSException {
        return connection.createSharedDurableConnectionConsumer(topic, subscriptionName, messageSelector, sessionPool,
                maxMessages);
    }

    @Override
    public String toString() {
        return "KeelXAConnection[" + connection + "]";
    }
}
