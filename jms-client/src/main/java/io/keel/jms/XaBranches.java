package io.keel.jms;

import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.Map;
import java.util.Set;

import javax.transaction.xa.XAException;
import javax.transaction.xa.Xid;

/**
 * The XA transaction branches of one broker connection, shared by the {@link KeelXAResource}s of its
 * XA sessions. A branch is carried by one broker LOCAL transaction of that connection (broker
 * transactions are per connection), which is why a branch can be joined (TMJOIN) only by sessions of
 * the same connection, and why {@link KeelXAResource#isSameRM} compares this registry. Every field of a
 * branch is guarded by the registry's monitor.
 */
final class XaBranches {

    /** A branch's state as the XA protocol sees it (derived from the association counts). */
    enum State { ACTIVE, SUSPENDED, ENDED, COMPLETING, HEURISTIC }

    /** One branch: its Xid, its broker transaction and who works in it now. */
    static final class Branch {
        final XidKey xid;
        final long transactionId;
        /** Sessions associated now (start ... end); more than one only through TMJOIN. */
        int associations;
        /** Resources whose association is suspended (end TMSUSPEND), waiting for start TMRESUME. */
        final Set<KeelXAResource> suspended = new HashSet<>();
        /** Why the branch can only roll back, or null. */
        String rollbackOnly;
        /** A commit or rollback of it is under way (it is refused a second time meanwhile). */
        boolean completing;
        /** The outcome of a one-phase commit is unknown (XA_HEURHAZ) until forget(). */
        String heuristic;
        /**
         * Generation of the broker connection the branch's work was handed to (-1: none yet). The broker
         * transaction dies with that connection, so after a failover the branch can only roll back.
         */
        int generation = -1;

        Branch(XidKey xid, long transactionId) {
            this.xid = xid;
            this.transactionId = transactionId;
        }

        State state() {
            if (heuristic != null) {
                return State.HEURISTIC;
            }
            if (completing) {
                return State.COMPLETING;
            }
            if (associations > 0) {
                return State.ACTIVE;
            }
            return suspended.isEmpty() ? State.ENDED : State.SUSPENDED;
        }

        void markRollbackOnly(String reason) {
            if (rollbackOnly == null) {
                rollbackOnly = reason;
            }
        }
    }

    final KeelConnection connection;
    private final Map<XidKey, Branch> branches = new HashMap<>();

    XaBranches(KeelConnection connection) {
        this.connection = connection;
    }

    // Callers hold the registry's monitor (synchronized (branches)) around these and the branch fields.

    Branch get(XidKey xid) {
        return branches.get(xid);
    }

    Branch create(XidKey xid) {
        Branch b = new Branch(xid, connection.nextId());
        branches.put(xid, b);
        return b;
    }

    void remove(Branch b) {
        branches.remove(b.xid, b);
    }

    /**
     * An Xid as a map key: Xid implementations of transaction managers need not implement equals, so
     * the key copies format id, global transaction id and branch qualifier.
     */
    static final class XidKey {
        private final int formatId;
        private final byte[] gtrid;
        private final byte[] bqual;

        private XidKey(int formatId, byte[] gtrid, byte[] bqual) {
            this.formatId = formatId;
            this.gtrid = gtrid;
            this.bqual = bqual;
        }

        /** Throws XAER_INVAL for a null Xid or one without a global transaction id. */
        static XidKey of(Xid xid, String operation) throws XAException {
            byte[] g = xid == null ? null : xid.getGlobalTransactionId();
            if (g == null || g.length == 0 || g.length > Xid.MAXGTRIDSIZE) {
                XAException e = new XAException(operation + ": the Xid " + (xid == null ? "is null" : "has no valid global "
                        + "transaction id (1 to " + Xid.MAXGTRIDSIZE + " bytes)") + " [XAER_INVAL]");
                e.errorCode = XAException.XAER_INVAL;
                throw e;
            }
            byte[] b = xid.getBranchQualifier();
            return new XidKey(xid.getFormatId(), g.clone(), b == null ? new byte[0] : b.clone());
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof XidKey k && k.formatId == formatId && Arrays.equals(k.gtrid, gtrid)
                    && Arrays.equals(k.bqual, bqual);
        }

        @Override
        public int hashCode() {
            return 31 * (31 * formatId + Arrays.hashCode(gtrid)) + Arrays.hashCode(bqual);
        }

        @Override
        public String toString() {
            HexFormat hex = HexFormat.of();
            return "Xid[format " + formatId + ", gtrid " + hex.formatHex(gtrid) + ", bqual " + hex.formatHex(bqual) + "]";
        }
    }
}
