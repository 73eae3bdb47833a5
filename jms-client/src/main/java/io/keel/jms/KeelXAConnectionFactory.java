package io.keel.jms;

import javax.naming.NamingException;
import javax.naming.Reference;
import javax.naming.StringRefAddr;

import jakarta.jms.JMSException;
import jakarta.jms.XAConnection;
import jakarta.jms.XAJMSContext;
import jakarta.jms.XAQueueConnection;
import jakarta.jms.XAQueueConnectionFactory;
import jakarta.jms.XATopicConnection;
import jakarta.jms.XATopicConnectionFactory;

/**
 * The XA connection factory, for application servers and transaction managers: everything a
 * {@link KeelConnectionFactory} makes, plus XA connections and XA contexts. A separate class so that
 * users of the plain factory never see XA types. Serializable and Referenceable like its parent
 * ({@link KeelConnectionFactoryObjectFactory} recreates either from its reference); the JNDI factory
 * binds one for {@code xaConnectionFactory.NAME = keel://...}.
 *
 * <p>XA here is one-phase only for now: see {@link KeelXAResource}.
 */
public class KeelXAConnectionFactory extends KeelConnectionFactory
        implements XAQueueConnectionFactory, XATopicConnectionFactory {

    private static final long serialVersionUID = 1L;

    /** Throws IllegalArgumentException naming the URL and the problem when it is malformed. */
    public KeelXAConnectionFactory(String url) {
        super(url);
    }

    private KeelXAConnection open(String userName, String password) throws JMSException {
        return new KeelXAConnection(KeelConnection.open(userName == null && password == null ? config()
                : config().withCredentials(userName, password)));
    }

    @Override
    public XAConnection createXAConnection() throws JMSException {
        return open(null, null);
    }

    @Override
    public XAConnection createXAConnection(String userName, String password) throws JMSException {
        return open(userName, password);
    }

    @Override
    public XAQueueConnection createXAQueueConnection() throws JMSException {
        return open(null, null);
    }

    @Override
    public XAQueueConnection createXAQueueConnection(String userName, String password) throws JMSException {
        return open(userName, password);
    }

    @Override
    public XATopicConnection createXATopicConnection() throws JMSException {
        return open(null, null);
    }

    @Override
    public XATopicConnection createXATopicConnection(String userName, String password) throws JMSException {
        return open(userName, password);
    }

    @Override
    public XAJMSContext createXAContext() {
        return createXAContext(null, null);
    }

    @Override
    public XAJMSContext createXAContext(String userName, String password) {
        return new KeelXAJMSContext(KeelJMSContext.unchecked(() -> KeelConnection.open(userName == null && password == null
                ? config() : config().withCredentials(userName, password))));
    }

    @Override
    public Reference getReference() throws NamingException {
        Reference r = new Reference(KeelXAConnectionFactory.class.getName(),
                KeelConnectionFactoryObjectFactory.class.getName(), null);
        r.add(new StringRefAddr("url", getUrl()));
        return r;
    }

    @Override
    public String toString() {
        return "KeelXAConnectionFactory[" + config().describe() + "]";
    }
}
