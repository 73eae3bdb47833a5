package io.keel.jms;

import javax.transaction.xa.XAException;
import javax.transaction.xa.XAResource;
import javax.transaction.xa.Xid;

import io.keel.jms.XaBranches.Branch;
import io.keel.jms.XaBranches.State;
import io.keel.jms.XaBranches.XidKey;
import io.keel.protocol.command.CommandCode;
import io.keel.protocol.command.TxnCommand;
import jakarta.jms.JMSException;
import jakarta.jms.TransactionRolledBackException;

/**
 * The XAResource of one {@link KeelXASession}: one-phase XA on top of the broker's LOCAL transactions.
 * A branch is one broker transaction of the session's connection. {@code start} points the session's
 * sends and acknowledgements at it; {@code end} hands the session's pending work to it (sends
 * confirmed, deliveries TXN_ACKed), so the branch no longer needs the session; {@code commit(xid,
 * true)} and {@code rollback} complete it with TXN_COMMIT / TXN_ROLLBACK.
 *
 * <p>Not yet: two-phase commit. A prepared branch must survive a broker restart, which needs a durable
 * prepare record on the broker; until it exists {@code prepare} refuses with XAER_RMERR (and marks the
 * branch rollback-only), {@code commit(xid, false)} is XAER_PROTO, and {@code recover} returns no Xid
 * (nothing is ever prepared, so nothing can be in doubt). The transaction timeout is remembered but not
 * enforced, so {@code setTransactionTimeout} returns false.
 *
 * <p>Every XAException names the operation, the Xid and the rule, and carries the XA error code:
 * XAER_NOTA unknown Xid, XAER_PROTO wrong state, XAER_INVAL bad flags or arguments, XAER_DUPID
 * start(TMNOFLAGS) of a known Xid, XA_RBROLLBACK the branch was rolled back instead, XA_RBCOMMFAIL it
 * was rolled back because the connection was lost before commit, XAER_RMFAIL the connection is
 * unusable (outcome of an interrupted commit unknown), XA_HEURHAZ the broker could not record the
 * commit (until forget).
 */
public final class KeelXAResource implements XAResource {

    private final KeelXASession session;
    private final XaBranches branches;
    private final KeelConnection connection;
    /** The branch the session is associated with now, or null; guarded by {@code branches}. */
    private Branch current;
    private volatile int timeoutSeconds;

    KeelXAResource(KeelXASession session, XaBranches branches) {
        this.session = session;
        this.branches = branches;
        this.connection = branches.connection;
    }

    // ---- association: start and end ---------------------------------------------------------------

    @Override
    public void start(Xid xid, int flags) throws XAException {
        XidKey key = XidKey.of(xid, "start");
        if (flags != TMNOFLAGS && flags != TMJOIN && flags != TMRESUME) {
            throw error(XAException.XAER_INVAL, "start", key, "flags " + flags(flags)
                    + " are not one of TMNOFLAGS, TMJOIN, TMRESUME");
        }
        try {
            session.checkOpen();
        } catch (JMSException e) {
            throw error(XAException.XAER_RMFAIL, "start", key, "the session cannot work: " + e.getMessage());
        }
        synchronized (branches) {
            if (current != null) {
                throw error(XAException.XAER_PROTO, "start", key, "the session is still associated with " + current.xid
                        + "; a session works in one branch at a time, end that one first");
            }
            Branch b = branches.get(key);
            if (flags == TMNOFLAGS) {
                if (b != null) {
                    throw error(XAException.XAER_DUPID, "start(TMNOFLAGS)", key,
                            "the branch already exists (" + b.state() + "); use TMJOIN or TMRESUME");
                }
                b = branches.create(key);
            } else if (b == null) {
                throw error(XAException.XAER_NOTA, "start(" + flags(flags) + ")", key, "no such branch on this connection");
            } else if (flags == TMRESUME) {
                if (!b.suspended.remove(this)) {
                    throw error(XAException.XAER_PROTO, "start(TMRESUME)", key,
                            "this session did not suspend the branch (it is " + b.state() + ")");
                }
            } else {
                State s = b.state();
                if (s == State.COMPLETING || s == State.HEURISTIC) {
                    throw error(XAException.XAER_PROTO, "start(TMJOIN)", key, "the branch is " + s + "; it cannot be joined");
                }
                if (b.rollbackOnly != null) {
                    throw error(XAException.XA_RBROLLBACK, "start(TMJOIN)", key,
                            "the branch is rollback-only: " + b.rollbackOnly);
                }
            }
            b.associations++;
            current = b;
            session.associate(b.transactionId);
        }
    }

    @Override
    public void end(Xid xid, int flags) throws XAException {
        XidKey key = XidKey.of(xid, "end");
        String op = "end(" + flags(flags) + ")";
        if (flags != TMSUCCESS && flags != TMFAIL && flags != TMSUSPEND) {
            throw error(XAException.XAER_INVAL, "end", key, "flags " + flags(flags) + " are not one of TMSUCCESS, TMFAIL, TMSUSPEND");
        }
        Branch b;
        synchronized (branches) {
            b = branches.get(key);
            if (b == null) {
                throw error(XAException.XAER_NOTA, op, key, "no such branch on this connection");
            }
            if (current != b) {
                if (flags != TMSUSPEND && b.suspended.remove(this)) {
                    endSuspended(b, flags, op); // XA lets a suspended association be ended without resuming it
                    return;
                }
                throw error(XAException.XAER_PROTO, op, key, "this session is not associated with the branch (it is "
                        + b.state() + (current == null ? "" : "; the session works in " + current.xid) + ")");
            }
        }
        // Outside the monitor: the hand-over waits for the broker, and only this session is associated through current.
        String failure = null;
        boolean unavailable = false;
        int generation = connection.link().generation();
        try {
            JMSException sendFailed = session.handOverToTransaction();
            if (sendFailed != null) {
                failure = "a send of the branch failed: " + sendFailed.getMessage();
            }
        } catch (JMSException e) {
            failure = "the session's work could not be handed to the broker: " + e.getMessage();
            unavailable = connection.isBroken();
        }
        synchronized (branches) {
            session.dissociate();
            current = null;
            b.associations--;
            if (failure != null) {
                b.markRollbackOnly(failure);
            }
            if (b.generation < 0) {
                b.generation = generation;
            } else if (b.generation != generation) {
                b.markRollbackOnly("the connection to the broker was lost during the branch, and the broker rolled back "
                        + "the work handed to it before");
            }
            if (flags == TMFAIL) {
                b.markRollbackOnly("the transaction manager ended the branch with TMFAIL");
            } else if (flags == TMSUSPEND) {
                b.suspended.add(this);
            }
            if (unavailable) {
                throw error(XAException.XAER_RMFAIL, op, key, failure);
            }
            if (b.rollbackOnly != null && flags == TMSUCCESS) {
                throw error(XAException.XA_RBROLLBACK, op, key, "the branch is rollback-only: " + b.rollbackOnly);
            }
        }
    }

    private void endSuspended(Branch b, int flags, String op) throws XAException {
        if (flags == TMFAIL) {
            b.markRollbackOnly("the transaction manager ended the branch with TMFAIL");
        } else if (b.rollbackOnly != null) {
            throw error(XAException.XA_RBROLLBACK, op, b.xid, "the branch is rollback-only: " + b.rollbackOnly);
        }
    }

    /** The session closes: a branch it is associated with can only roll back now (its unsent work is gone). */
    void sessionClosing() {
        synchronized (branches) {
            if (current != null) {
                current.associations--;
                current.markRollbackOnly("the session was closed while associated with the branch");
                current = null;
                session.dissociate();
            }
        }
    }

    // ---- completion ---------------------------------------------------------------------------------

    @Override
    public int prepare(Xid xid) throws XAException {
        XidKey key = XidKey.of(xid, "prepare");
        synchronized (branches) {
            Branch b = ended(key, "prepare");
            b.markRollbackOnly("prepare was refused (two-phase commit is not supported yet)");
        }
        throw error(XAException.XAER_RMERR, "prepare", key, "two-phase commit is not supported by this broker version yet "
                + "(a prepared branch needs a durable prepare record on the broker); one-phase commit, commit(xid, true), "
                + "is. The branch is now rollback-only");
    }

    @Override
    public void commit(Xid xid, boolean onePhase) throws XAException {
        XidKey key = XidKey.of(xid, "commit");
        String op = "commit(onePhase=" + onePhase + ")";
        Branch b;
        synchronized (branches) {
            b = ended(key, op);
            if (!onePhase) {
                throw error(XAException.XAER_PROTO, op, key, "a two-phase commit needs a prepared branch and Keel cannot "
                        + "prepare yet; use one-phase commit");
            }
            b.completing = true;
        }
        if (b.rollbackOnly != null) {
            rollbackAtBroker(b);
            throw error(XAException.XA_RBROLLBACK, op, key, "the branch was rolled back instead: " + b.rollbackOnly);
        }
        if (!usable()) {
            drop(b);
            throw error(XAException.XA_RBCOMMFAIL, op, key, "the connection to the broker was lost before the commit; the "
                    + "broker rolls back the open transactions of a lost connection");
        }
        KeelConnection.Link link = connection.link();
        if (b.generation >= 0 && link.generation() != b.generation) {
            drop(b);
            throw error(XAException.XA_RBCOMMFAIL, op, key, "the connection to the broker was lost (and reconnected) "
                    + "before the commit; the broker rolled back the branch's work with the lost connection");
        }
        try {
            // To the connection the branch's work went to, never to a newer one (it would commit nothing).
            JmsErrors.await(link.client().request(id -> TxnCommand.frame(link.client().channel().alloc(),
                    CommandCode.TXN_COMMIT, id, b.transactionId)), connection.config().sendTimeoutMillis(),
                    "commit of XA branch " + key);
            drop(b);
        } catch (TransactionRolledBackException e) {
            drop(b);
            throw error(XAException.XA_RBROLLBACK, op, key, "the broker rolled the branch back: " + e.getMessage());
        } catch (JMSException e) {
            if (!usable() || "CONNECTION_LOST".equals(e.getErrorCode()) || "TIMEOUT".equals(e.getErrorCode())) {
                drop(b);
                throw error(XAException.XAER_RMFAIL, op, key, "the outcome is unknown, the broker did not answer: "
                        + e.getMessage());
            }
            synchronized (branches) {
                b.completing = false;
                b.heuristic = e.getMessage();
            }
            throw error(XAException.XA_HEURHAZ, op, key, "the broker could not record the commit, its outcome is unknown "
                    + "(forget the branch when resolved): " + e.getMessage());
        }
    }

    @Override
    public void rollback(Xid xid) throws XAException {
        XidKey key = XidKey.of(xid, "rollback");
        Branch b;
        synchronized (branches) {
            b = ended(key, "rollback");
            b.completing = true;
        }
        rollbackAtBroker(b);
    }

    /** TXN_ROLLBACK: the branch's sends are dropped and the messages it acknowledged come back, redelivered. */
    private void rollbackAtBroker(Branch b) throws XAException {
        if (!usable()) {
            drop(b); // the broker rolls back every open transaction of a lost connection
            return;
        }
        try {
            JmsErrors.await(connection.client().request(id -> TxnCommand.frame(connection.client().channel().alloc(),
                    CommandCode.TXN_ROLLBACK, id, b.transactionId)), connection.config().sendTimeoutMillis(),
                    "rollback of XA branch " + b.xid);
            drop(b);
        } catch (JMSException e) {
            if (!usable() || "CONNECTION_LOST".equals(e.getErrorCode())) {
                drop(b); // as above: a transaction of a lost connection never commits
                return;
            }
            synchronized (branches) {
                b.completing = false;
            }
            throw error(XAException.XAER_RMERR, "rollback", b.xid, "the broker did not confirm the rollback: " + e.getMessage());
        }
    }

    /** The branch of a commit, rollback or prepare: known (else XAER_NOTA) and ended or suspended (else XAER_PROTO). */
    private Branch ended(XidKey key, String op) throws XAException {
        Branch b = branches.get(key);
        if (b == null) {
            throw error(XAException.XAER_NOTA, op, key, "no such branch on this connection (never started, or already "
                    + "completed)");
        }
        State s = b.state();
        boolean allowed = s == State.ENDED || (s == State.SUSPENDED && op.equals("rollback"));
        if (!allowed) {
            throw error(XAException.XAER_PROTO, op, key, "the branch is " + s + "; "
                    + (s == State.HEURISTIC ? "forget it" : "it must be ended first (end with TMSUCCESS or TMFAIL)"));
        }
        if (s == State.SUSPENDED) {
            b.suspended.clear(); // a rolled-back branch cannot be resumed
        }
        return b;
    }

    private void drop(Branch b) {
        synchronized (branches) {
            branches.remove(b);
        }
    }

    private boolean usable() {
        try {
            connection.checkOpen();
            return true;
        } catch (JMSException e) {
            return false;
        }
    }

    @Override
    public void forget(Xid xid) throws XAException {
        XidKey key = XidKey.of(xid, "forget");
        synchronized (branches) {
            Branch b = branches.get(key);
            if (b == null) {
                throw error(XAException.XAER_NOTA, "forget", key, "no such branch on this connection");
            }
            if (b.state() != State.HEURISTIC) {
                throw error(XAException.XAER_PROTO, "forget", key, "only a heuristically completed branch can be forgotten; "
                        + "this one is " + b.state());
            }
            branches.remove(b);
        }
    }

    @Override
    public Xid[] recover(int flag) throws XAException {
        int scan = flag & ~(TMSTARTRSCAN | TMENDRSCAN);
        if (scan != TMNOFLAGS) {
            XAException e = new XAException("recover: flags " + flags(flag) + " are not TMNOFLAGS, TMSTARTRSCAN and/or "
                    + "TMENDRSCAN [XAER_INVAL]");
            e.errorCode = XAException.XAER_INVAL;
            throw e;
        }
        return new Xid[0]; // nothing is ever prepared (see the class comment), so nothing is in doubt
    }

    // ---- identity and timeout -----------------------------------------------------------------------

    /**
     * True only for a resource of the same broker connection: a branch lives in one broker transaction
     * of one connection, so only sessions of that connection can join it (TMJOIN). Two connections to
     * the same broker are different resource managers for this purpose (and standalone brokers all
     * default to the name broker-a, so the handshake's broker name could not tell them apart anyway).
     */
    @Override
    public boolean isSameRM(XAResource other) {
        return other instanceof KeelXAResource k && k.branches == branches;
    }

    @Override
    public int getTransactionTimeout() {
        return timeoutSeconds;
    }

    /** Remembered for getTransactionTimeout but not enforced (the broker has no branch timer yet): returns false. */
    @Override
    public boolean setTransactionTimeout(int seconds) throws XAException {
        if (seconds < 0) {
            XAException e = new XAException("setTransactionTimeout(" + seconds + "): the timeout must be 0 or more seconds "
                    + "[XAER_INVAL]");
            e.errorCode = XAException.XAER_INVAL;
            throw e;
        }
        timeoutSeconds = seconds;
        return false;
    }

    // ---- errors -------------------------------------------------------------------------------------

    private static XAException error(int code, String op, XidKey xid, String rule) {
        XAException e = new XAException(op + " " + xid + ": " + rule + " [" + codeName(code) + "]");
        e.errorCode = code;
        return e;
    }

    static String codeName(int code) {
        return switch (code) {
            case XAException.XAER_NOTA -> "XAER_NOTA";
            case XAException.XAER_PROTO -> "XAER_PROTO";
            case XAException.XAER_INVAL -> "XAER_INVAL";
            case XAException.XAER_DUPID -> "XAER_DUPID";
            case XAException.XAER_RMERR -> "XAER_RMERR";
            case XAException.XAER_RMFAIL -> "XAER_RMFAIL";
            case XAException.XA_RBROLLBACK -> "XA_RBROLLBACK";
            case XAException.XA_RBCOMMFAIL -> "XA_RBCOMMFAIL";
            case XAException.XA_HEURHAZ -> "XA_HEURHAZ";
            default -> "XA error " + code;
        };
    }

    private static String flags(int flags) {
        return switch (flags) {
            case TMNOFLAGS -> "TMNOFLAGS";
            case TMJOIN -> "TMJOIN";
            case TMRESUME -> "TMRESUME";
            case TMSUCCESS -> "TMSUCCESS";
            case TMFAIL -> "TMFAIL";
            case TMSUSPEND -> "TMSUSPEND";
            case TMSTARTRSCAN -> "TMSTARTRSCAN";
            case TMENDRSCAN -> "TMENDRSCAN";
            default -> "0x" + Integer.toHexString(flags);
        };
    }

    @Override
    public String toString() {
        return "KeelXAResource[" + connection + "]";
    }
}
