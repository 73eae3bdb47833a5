package io.keel.jms;

import javax.transaction.xa.XAResource;

import jakarta.jms.JMSContext;
import jakarta.jms.JMSException;
import jakarta.jms.TransactionInProgressRuntimeException;
import jakarta.jms.XAJMSContext;

/**
 * The simplified API's XA context (made by {@link KeelXAConnectionFactory#createXAContext()}): its
 * session is a {@link KeelXASession}, so {@link #getTransacted()} is true, the session mode is
 * SESSION_TRANSACTED and {@link #commit()} / {@link #rollback()} throw
 * TransactionInProgressRuntimeException. Contexts made from it with {@link #createContext(int)} share
 * its connection but are ordinary (non-XA) contexts.
 */
public class KeelXAJMSContext extends KeelJMSContext implements XAJMSContext {

    private final XaBranches branches;

    KeelXAJMSContext(KeelConnection connection) {
        super(connection, SESSION_TRANSACTED);
        this.branches = new XaBranches(connection);
    }

    @Override
    KeelSession openSession(KeelConnection connection, int mode) throws JMSException {
        return connection.adopt(new KeelXASession(connection, branches));
    }

    @Override
    public JMSContext getContext() {
        session(); // refuses a closed context
        return this;
    }

    @Override
    public XAResource getXAResource() {
        return ((KeelXASession) session()).getXAResource();
    }

    @Override
    public boolean getTransacted() {
        session();
        return true;
    }

    @Override
    public void commit() {
        session();
        throw new TransactionInProgressRuntimeException("commit: an XAJMSContext's transaction is completed by the "
                + "transaction manager through its XAResource, not by JMSContext.commit");
    }

    @Override
    public void rollback() {
        session();
        throw new TransactionInProgressRuntimeException("rollback: an XAJMSContext's transaction is completed by the "
                + "transaction manager through its XAResource, not by JMSContext.rollback");
    }
}
