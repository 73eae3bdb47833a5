package io.keel.jms;

import javax.transaction.xa.XAResource;

import jakarta.jms.JMSException;
import jakarta.jms.QueueSession;
import jakarta.jms.Session;
import jakarta.jms.TopicSession;
import jakarta.jms.TransactionInProgressException;
import jakarta.jms.XAQueueSession;
import jakarta.jms.XASession;
import jakarta.jms.XATopicSession;

/**
 * An XA session: a {@link KeelSession} whose transaction is driven by its {@link KeelXAResource}.
 * As the specification's javadoc requires, {@link #getTransacted()} is always true, the acknowledge
 * mode is SESSION_TRANSACTED and {@link #commit()} / {@link #rollback()} throw
 * TransactionInProgressException: the transaction manager completes the work through the resource.
 *
 * <p>Between {@code start} and {@code end} of a branch, sends and acknowledgements go to the branch's
 * broker transaction. Outside any branch the specification says nothing; Keel then behaves as a
 * non-transacted AUTO_ACKNOWLEDGE session (sends are immediate, received messages acknowledged as the
 * application gets them), as the Jakarta EE platform prescribes for sessions used outside a JTA
 * transaction. Work is never parked in a transaction nobody could complete.
 */
public class KeelXASession extends KeelSession implements XASession, XAQueueSession, XATopicSession {

    private final KeelXAResource resource;
    /** The broker transaction of the branch the session is associated with; 0 outside a branch. */
    private long branchTransaction;

    KeelXASession(KeelConnection connection, XaBranches branches) {
        super(connection, SESSION_TRANSACTED);
        this.resource = new KeelXAResource(this, branches);
    }

    synchronized void associate(long transactionId) {
        branchTransaction = transactionId;
    }

    synchronized void dissociate() {
        branchTransaction = 0;
    }

    // The hooks KeelSession and its producers and consumers consult: transactional only inside a branch.

    @Override
    synchronized long transactionId() {
        return branchTransaction;
    }

    @Override
    boolean isTransacted() {
        return transactionId() != 0;
    }

    @Override
    int getAckModeUnchecked() {
        return isTransacted() ? SESSION_TRANSACTED : AUTO_ACKNOWLEDGE;
    }

    // ---- jakarta.jms.XASession --------------------------------------------------------------------

    @Override
    public XAResource getXAResource() {
        return resource;
    }

    @Override
    public Session getSession() throws JMSException {
        checkOpen();
        return this;
    }

    @Override
    public QueueSession getQueueSession() throws JMSException {
        checkOpen();
        return this;
    }

    @Override
    public TopicSession getTopicSession() throws JMSException {
        checkOpen();
        return this;
    }

    @Override
    public boolean getTransacted() throws JMSException {
        checkOpen();
        return true;
    }

    @Override
    public void commit() throws JMSException {
        checkOpen();
        throw new TransactionInProgressException("commit: an XA session's transaction is completed by the transaction "
                + "manager through its XAResource, not by Session.commit");
    }

    @Override
    public void rollback() throws JMSException {
        checkOpen();
        throw new TransactionInProgressException("rollback: an XA session's transaction is completed by the transaction "
                + "manager through its XAResource, not by Session.rollback");
    }

    /** A branch the session still works in becomes rollback-only; its pending deliveries return to the broker. */
    @Override
    public void close() throws JMSException {
        if (!onOwnDeliveryThread()) { // from its own listener, close is refused below and nothing may change
            resource.sessionClosing();
        }
        super.close();
    }

    @Override
    public String toString() {
        return "KeelXASession[" + connection + "]";
    }
}
