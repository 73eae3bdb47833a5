package io.keel.jms;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.keel.protocol.client.ConnectionLost;
import io.keel.protocol.client.RemoteError;
import io.keel.protocol.command.ErrorCode;
import io.keel.protocol.frame.Frame;
import jakarta.jms.IllegalStateException;
import jakarta.jms.InvalidClientIDException;
import jakarta.jms.InvalidDestinationException;
import jakarta.jms.InvalidSelectorException;
import jakarta.jms.JMSException;
import jakarta.jms.JMSSecurityException;
import jakarta.jms.ResourceAllocationException;
import jakarta.jms.TransactionRolledBackException;

/** Turns broker errors and connection failures into the JMS exception the specification names. */
final class JmsErrors {

    private JmsErrors() {
    }

    /** The JMS exception for a broker's error reply or a lost connection; {@code what} says what was attempted. */
    static JMSException of(String what, Throwable t) {
        Throwable cause = t instanceof ExecutionException && t.getCause() != null ? t.getCause() : t;
        JMSException e;
        if (cause instanceof RemoteError r) {
            String message = what + ": " + r.getMessage();
            e = switch (r.code()) {
                case INVALID_DESTINATION -> new InvalidDestinationException(message, r.code().name());
                case INVALID_SELECTOR -> new InvalidSelectorException(message, r.code().name());
                case CLIENT_ID_IN_USE -> new InvalidClientIDException(message, r.code().name());
                case AUTHENTICATION_FAILED -> new JMSSecurityException(message, r.code().name());
                case MESSAGE_TOO_LARGE, STORE_FULL -> new ResourceAllocationException(message, r.code().name());
                case TRANSACTION_ROLLED_BACK -> new TransactionRolledBackException(message, r.code().name());
                case INVALID_REQUEST -> message.contains("active consumer")
                        ? new IllegalStateException(message, r.code().name()) : new JMSException(message, r.code().name());
                default -> new JMSException(message, r.code().name());
            };
        } else if (cause instanceof ConnectionLost) {
            e = new JMSException(what + ": " + cause.getMessage(), "CONNECTION_LOST");
        } else if (cause instanceof TimeoutException) {
            e = new JMSException(what + ": no answer from the broker in time", ErrorCode.TIMEOUT.name());
        } else if (cause instanceof JMSException j) {
            return j;
        } else {
            e = new JMSException(what + ": " + cause);
        }
        if (cause instanceof Exception ex) {
            e.setLinkedException(ex);
        }
        e.initCause(cause);
        return e;
    }

    /** Waits for a request's answer and releases it; throws the JMS exception for a failure. */
    static void await(CompletableFuture<Frame> f, long timeoutMillis, String what) throws JMSException {
        Frame frame = awaitFrame(f, timeoutMillis, what);
        frame.release();
    }

    /** Waits for a request's answer; the caller releases the frame. */
    static Frame awaitFrame(CompletableFuture<Frame> f, long timeoutMillis, String what) throws JMSException {
        try {
            return f.get(timeoutMillis, TimeUnit.MILLISECONDS);
        } catch (InterruptedException ie) {
            Thread.currentThread().interrupt();
            throw new JMSException(what + ": interrupted");
        } catch (ExecutionException | TimeoutException ex) {
            throw of(what, ex);
        }
    }

    /** The simplified API's unchecked twin of a JMS exception (same message, error code and cause). */
    static jakarta.jms.JMSRuntimeException runtime(JMSException e) {
        String m = e.getMessage();
        String c = e.getErrorCode();
        jakarta.jms.JMSRuntimeException r;
        if (e instanceof IllegalStateException) {
            r = new jakarta.jms.IllegalStateRuntimeException(m, c, e);
        } else if (e instanceof InvalidClientIDException) {
            r = new jakarta.jms.InvalidClientIDRuntimeException(m, c, e);
        } else if (e instanceof InvalidDestinationException) {
            r = new jakarta.jms.InvalidDestinationRuntimeException(m, c, e);
        } else if (e instanceof InvalidSelectorException) {
            r = new jakarta.jms.InvalidSelectorRuntimeException(m, c, e);
        } else if (e instanceof JMSSecurityException) {
            r = new jakarta.jms.JMSSecurityRuntimeException(m, c, e);
        } else if (e instanceof jakarta.jms.MessageFormatException) {
            r = new jakarta.jms.MessageFormatRuntimeException(m, c, e);
        } else if (e instanceof jakarta.jms.MessageNotWriteableException) {
            r = new jakarta.jms.MessageNotWriteableRuntimeException(m, c, e);
        } else if (e instanceof ResourceAllocationException) {
            r = new jakarta.jms.ResourceAllocationRuntimeException(m, c, e);
        } else if (e instanceof jakarta.jms.TransactionInProgressException) {
            r = new jakarta.jms.TransactionInProgressRuntimeException(m, c, e);
        } else if (e instanceof TransactionRolledBackException) {
            r = new jakarta.jms.TransactionRolledBackRuntimeException(m, c, e);
        } else {
            r = new jakarta.jms.JMSRuntimeException(m, c, e);
        }
        return r;
    }
}
