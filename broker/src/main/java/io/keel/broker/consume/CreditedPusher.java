package io.keel.broker.consume;

import java.util.concurrent.atomic.AtomicBoolean;

import io.netty.channel.Channel;

/**
 * What every pushing consumer shares: the credit its client granted (messages and bytes), waking it
 * from any thread onto its connection's event loop, and a push loop that is not re-entrant. A write
 * can flush, the flush can make the channel writable again, and Netty reports that synchronously; a
 * nested push then only asks the running one to go round once more (it would otherwise reuse state the
 * outer call is iterating over).
 */
public abstract class CreditedPusher implements Runnable {

    protected final Channel channel;
    private final AtomicBoolean scheduled = new AtomicBoolean();
    protected int creditMessages;
    protected long creditBytes;
    private volatile boolean closed;
    private boolean pumping;
    private boolean pumpAgain;

    protected CreditedPusher(Channel channel, int creditMessages, long creditBytes) {
        this.channel = channel;
        this.creditMessages = Math.max(0, creditMessages);
        this.creditBytes = Math.max(0, creditBytes);
    }

    /** Adds credit and pushes (event loop). */
    public final void credit(int messages, long bytes) {
        creditMessages = (int) Math.min(Integer.MAX_VALUE, (long) creditMessages + Math.max(0, messages));
        long add = Math.max(0, bytes);
        creditBytes = add > Long.MAX_VALUE - creditBytes ? Long.MAX_VALUE : creditBytes + add;
        pump();
    }

    /** Schedules a push on the connection's event loop; cheap when one is already scheduled. */
    public final void wake() {
        if (!closed && creditMessages > 0 && scheduled.compareAndSet(false, true)) {
            channel.eventLoop().execute(this);
        }
    }

    @Override
    public final void run() {
        scheduled.set(false);
        pump();
    }

    /** Pushes while {@link #pushOnce()} has something to push. Not re-entrant (see the class comment). */
    public final void pump() {
        if (pumping) {
            pumpAgain = true;
            return;
        }
        pumping = true;
        try {
            do {
                pumpAgain = false;
                if (closed || !channel.isActive()) {
                    return;
                }
                pushOnce();
            } while (pumpAgain);
        } finally {
            pumping = false;
        }
    }

    /** Asks the running push loop for one more round (e.g. a staging buffer filled before the credit). */
    protected final void pushAgain() {
        pumpAgain = true;
    }

    /** One round of pushing, within credit and the channel's writability. Event loop only. */
    protected abstract void pushOnce();

    protected final boolean hasCredit() {
        return creditMessages > 0 && creditBytes > 0;
    }

    public final boolean isClosed() {
        return closed;
    }

    public void close() {
        closed = true;
    }
}
