package io.keel.jms.jndi;

import java.util.HashMap;
import java.util.Hashtable;
import java.util.Map;

import javax.naming.ConfigurationException;
import javax.naming.Context;
import javax.naming.NamingException;
import javax.naming.spi.InitialContextFactory;

import io.keel.jms.KeelConnectionFactory;
import io.keel.jms.KeelXAConnectionFactory;
import io.keel.jms.destination.KeelQueue;
import io.keel.jms.destination.KeelTopic;

/**
 * A JNDI initial context of Keel objects, configured by the usual properties (in the environment or
 * in {@code jndi.properties} on the classpath, which {@link javax.naming.InitialContext} merges in):
 * <pre>
 * java.naming.factory.initial = io.keel.jms.jndi.KeelInitialContextFactory
 * java.naming.provider.url    = keel://localhost:9876          (the default URL of the factories)
 * connectionFactory.MyFactory = keel://localhost:9876?clientId=app1   (empty value: the provider URL)
 * xaConnectionFactory.MyXA    = keel://localhost:9876        (an XA factory; empty value: the provider URL)
 * queue.MyQueue               = orders        (JNDI name = physical name)
 * topic.MyTopic               = prices
 * </pre>
 * Without any {@code connectionFactory.} entry, {@code ConnectionFactory} is bound to the provider URL
 * ({@code xaConnectionFactory.} entries do not count: XA factories are only bound when asked for).
 * The context is read-only; a malformed URL or an empty destination name fails the lookup of the
 * context with a ConfigurationException naming the property.
 */
public class KeelInitialContextFactory implements InitialContextFactory {

    public static final String CONNECTION_FACTORY_PREFIX = "connectionFactory.";
    public static final String XA_CONNECTION_FACTORY_PREFIX = "xaConnectionFactory.";
    public static final String QUEUE_PREFIX = "queue.";
    public static final String TOPIC_PREFIX = "topic.";
    public static final String DEFAULT_URL = "keel://localhost:9876";

    @Override
    public Context getInitialContext(Hashtable<?, ?> environment) throws NamingException {
        Hashtable<Object, Object> env = new Hashtable<>();
        if (environment != null) {
            env.putAll(environment);
        }
        String providerUrl = env.get(Context.PROVIDER_URL) instanceof String s && !s.isBlank() ? s.trim() : DEFAULT_URL;
        Map<String, Object> bindings = new HashMap<>();
        boolean anyFactory = false;
        for (Map.Entry<Object, Object> e : env.entrySet()) {
            if (!(e.getKey() instanceof String key) || !(e.getValue() instanceof String value)) {
                continue;
            }
            try {
                if (key.startsWith(CONNECTION_FACTORY_PREFIX)) {
                    anyFactory = true;
                    bindings.put(name(key, CONNECTION_FACTORY_PREFIX),
                            new KeelConnectionFactory(value.isBlank() ? providerUrl : value.trim()));
                } else if (key.startsWith(XA_CONNECTION_FACTORY_PREFIX)) {
                    bindings.put(name(key, XA_CONNECTION_FACTORY_PREFIX),
                            new KeelXAConnectionFactory(value.isBlank() ? providerUrl : value.trim()));
                } else if (key.startsWith(QUEUE_PREFIX)) {
                    bindings.put(name(key, QUEUE_PREFIX), new KeelQueue(value.trim()));
                } else if (key.startsWith(TOPIC_PREFIX)) {
                    bindings.put(name(key, TOPIC_PREFIX), new KeelTopic(value.trim()));
                }
            } catch (RuntimeException bad) {
                ConfigurationException c = new ConfigurationException("JNDI property " + key + "=" + value + ": "
                        + bad.getMessage());
                c.setRootCause(bad);
                throw c;
            }
        }
        if (!anyFactory) {
            bindings.put("ConnectionFactory", new KeelConnectionFactory(providerUrl));
        }
        return new ReadOnlyContext(env, bindings);
    }

    private static String name(String key, String prefix) throws ConfigurationException {
        String n = key.substring(prefix.length());
        if (n.isEmpty()) {
            throw new ConfigurationException("JNDI property " + key + " names no object");
        }
        return n;
    }
}
