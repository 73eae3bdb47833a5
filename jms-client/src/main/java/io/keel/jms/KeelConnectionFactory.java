package io.keel.jms;

import java.io.Serializable;

import javax.naming.NamingException;
import javax.naming.Reference;
import javax.naming.Referenceable;
import javax.naming.StringRefAddr;

import jakarta.jms.Connection;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.JMSContext;
import jakarta.jms.JMSException;
import jakarta.jms.JMSRuntimeException;
import jakarta.jms.QueueConnection;
import jakarta.jms.QueueConnectionFactory;
import jakarta.jms.TopicConnection;
import jakarta.jms.TopicConnectionFactory;

/**
 * Keel's connection factory, configured by a URL ({@link ConnectionConfig}):
 * {@code new KeelConnectionFactory("keel://localhost:9876")}. Serializable and Referenceable, so it
 * can be bound in any JNDI tree; {@link KeelConnectionFactoryObjectFactory} recreates it from its
 * reference.
 */
public class KeelConnectionFactory implements ConnectionFactory, QueueConnectionFactory, TopicConnectionFactory,
        Serializable, Referenceable {

    private static final long serialVersionUID = 1L;

    private final String url;
    private transient ConnectionConfig config;

    /** Throws IllegalArgumentException naming the URL and the problem when it is malformed. */
    public KeelConnectionFactory(String url) {
        this.config = ConnectionConfig.parse(url);
        this.url = url;
    }

    public String getUrl() {
        return url;
    }

    ConnectionConfig config() {
        if (config == null) {
            config = ConnectionConfig.parse(url); // after deserialisation
        }
        return config;
    }

    @Override
    public Connection createConnection() throws JMSException {
        return KeelConnection.open(config());
    }

    @Override
    public Connection createConnection(String userName, String password) throws JMSException {
        return KeelConnection.open(config().withCredentials(userName, password));
    }

    @Override
    public QueueConnection createQueueConnection() throws JMSException {
        return KeelConnection.open(config());
    }

    @Override
    public QueueConnection createQueueConnection(String userName, String password) throws JMSException {
        return KeelConnection.open(config().withCredentials(userName, password));
    }

    @Override
    public TopicConnection createTopicConnection() throws JMSException {
        return KeelConnection.open(config());
    }

    @Override
    public TopicConnection createTopicConnection(String userName, String password) throws JMSException {
        return KeelConnection.open(config().withCredentials(userName, password));
    }

    @Override
    public JMSContext createContext() {
        return createContext(null, null, JMSContext.AUTO_ACKNOWLEDGE);
    }

    @Override
    public JMSContext createContext(String userName, String password) {
        return createContext(userName, password, JMSContext.AUTO_ACKNOWLEDGE);
    }

    @Override
    public JMSContext createContext(int sessionMode) {
        return createContext(null, null, sessionMode);
    }

    @Override
    public JMSContext createContext(String userName, String password, int sessionMode) {
        KeelConnection c = KeelJMSContext.unchecked(() -> KeelConnection.open(userName == null && password == null
                ? config() : config().withCredentials(userName, password)));
        try {
            return new KeelJMSContext(c, sessionMode);
        } catch (JMSRuntimeException bad) {
            try {
                c.close();
            } catch (JMSException ignored) {
                // the mode was refused; the connection was never used
            }
            throw bad;
        }
    }

    @Override
    public Reference getReference() throws NamingException {
        Reference r = new Reference(KeelConnectionFactory.class.getName(),
                KeelConnectionFactoryObjectFactory.class.getName(), null);
        r.add(new StringRefAddr("url", url));
        return r;
    }

    @Override
    public String toString() {
        return "KeelConnectionFactory[" + config().describe() + "]";
    }
}
