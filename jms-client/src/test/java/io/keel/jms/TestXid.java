package io.keel.jms;

import java.nio.charset.StandardCharsets;

import javax.transaction.xa.Xid;

/**
 * A transaction manager's Xid for tests. Deliberately without equals/hashCode (many managers' Xids
 * have none), so the resource must compare Xids by content.
 */
final class TestXid implements Xid {

    private final byte[] gtrid;
    private final byte[] bqual;

    private TestXid(byte[] gtrid, byte[] bqual) {
        this.gtrid = gtrid;
        this.bqual = bqual;
    }

    static TestXid of(int n) {
        return new TestXid(("gtrid-" + n).getBytes(StandardCharsets.US_ASCII), ("bqual-" + n).getBytes(StandardCharsets.US_ASCII));
    }

    /** A fresh object with the same content as {@code x}. */
    static TestXid copyOf(Xid x) {
        return new TestXid(x.getGlobalTransactionId().clone(), x.getBranchQualifier().clone());
    }

    @Override
    public int getFormatId() {
        return 0x4B45454C;
    }

    @Override
    public byte[] getGlobalTransactionId() {
        return gtrid.clone();
    }

    @Override
    public byte[] getBranchQualifier() {
        return bqual.clone();
    }
}
