package io.keel.jms;

import java.util.concurrent.locks.LockSupport;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.keel.protocol.client.ProtocolClient;
import jakarta.jms.JMSException;
import jakarta.jms.JMSSecurityException;

/**
 * Reconnects a {@link KeelConnection} that lost its broker: tries the URL's addresses again (a name
 * server among them re-resolves the broker, which may have moved), with a delay that starts at
 * {@code reconnectDelay} and doubles up to {@code maxReconnectDelay}, until {@code reconnectTimeout}
 * has passed. A broker that answers gets the connection's state back ({@link KeelConnection#resume});
 * if that fails half-way (the broker died again, or still holds the old connection's client id or
 * durable subscription), the new connection is dropped and the next attempt starts from scratch.
 * Bad credentials end the attempts at once: waiting does not fix them.
 */
final class Reconnector implements Runnable {

    private static final Logger LOG = LoggerFactory.getLogger(Reconnector.class);

    private final KeelConnection connection;

    Reconnector(KeelConnection connection) {
        this.connection = connection;
    }

    @Override
    public void run() {
        ConnectionConfig config = connection.config();
        long deadline = System.nanoTime() + config.reconnectTimeoutMillis() * 1_000_000L;
        long delay = config.reconnectDelayMillis();
        int attempts = 0;
        JMSException last = null;
        while (!connection.isClosed()) {
            // A pause between attempts, not a synchronisation: the broker is away for an unknown time.
            LockSupport.parkNanos(Math.min(delay, Math.max(0, (deadline - System.nanoTime()) / 1_000_000L)) * 1_000_000L);
            if (connection.isClosed()) {
                return;
            }
            attempts++;
            ProtocolClient c = null;
            try {
                c = KeelConnection.connectAny(config, connection.currentClientId());
                if (connection.isClosed()) {
                    c.close();
                    return;
                }
                connection.resume(c);
                return;
            } catch (JMSException e) {
                last = e;
                if (c != null) {
                    c.close();
                }
                if (e instanceof JMSSecurityException) {
                    break;
                }
                LOG.debug("{}: reconnection attempt {} failed: {}", connection, attempts, e.getMessage());
            } catch (RuntimeException e) {
                last = new JMSException("reconnection attempt " + attempts + " failed: " + e);
                last.setLinkedException(e);
                if (c != null) {
                    c.close();
                }
                LOG.warn("{}: reconnection attempt {} failed", connection, attempts, e);
            }
            if (System.nanoTime() - deadline >= 0) {
                break;
            }
            delay = Math.min(delay * 2, config.maxReconnectDelayMillis());
        }
        if (connection.isClosed()) {
            return;
        }
        JMSException gaveUp = new JMSException("the connection to the broker is lost and " + attempts
                + " reconnection attempts over " + config.reconnectTimeoutMillis() + " ms failed"
                + (last == null ? "" : "; the last one: " + last.getMessage()), "CONNECTION_LOST");
        if (last != null) {
            gaveUp.setLinkedException(last);
        }
        LOG.error("{}: {}", connection, gaveUp.getMessage());
        connection.failed(gaveUp);
    }
}
