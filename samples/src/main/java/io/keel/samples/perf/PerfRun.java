package io.keel.samples.perf;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

import org.HdrHistogram.Histogram;

import io.keel.samples.perf.JmsPerf.Ack;
import jakarta.jms.BytesMessage;
import jakarta.jms.CompletionListener;
import jakarta.jms.Connection;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.DeliveryMode;
import jakarta.jms.Destination;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;

/**
 * One JmsPerf run: consumers first (so that topic subscribers exist before the first send), then
 * producers released together; they send for the warm-up and the measured window, then the run waits
 * until everything sent has been received (the drain) and closes every connection.
 *
 * <p>Latency is end to end: each message carries in {@link #STAMP} the {@link System#nanoTime()} at
 * which it was meant to be sent, and the consumer records its age when its listener gets it. With
 * {@code --rate} the intended time is the producer's schedule, not the moment the send actually
 * started, so a send held up by a slow broker makes the messages scheduled behind it late too
 * (coordinated omission is counted, not hidden). Producers and consumers share this JVM's clock.
 */
final class PerfRun {

    /** Message property: the intended send time, {@link System#nanoTime()} of this JVM. */
    static final String STAMP = "perfStamp";

    private final JmsPerf s;
    private final ConnectionFactory factory;
    private final AtomicLongArray sentPerDestination;
    private final int[] subscribers;
    private final AtomicLong received = new AtomicLong();
    private final AtomicLong errors = new AtomicLong();
    private final AtomicReference<Throwable> firstError = new AtomicReference<>();
    private final List<Connection> connections = new ArrayList<>();
    /**
     * The measured window in nanoTime, set just before the producers start. Volatile: the consumers'
     * listeners run on the provider's threads, which no latch of ours orders after the write.
     */
    private volatile long windowStart;
    private volatile long windowEnd;

    PerfRun(JmsPerf settings, ConnectionFactory factory) {
        this.s = settings;
        this.factory = factory;
        this.sentPerDestination = new AtomicLongArray(settings.destinations);
        this.subscribers = new int[settings.destinations];
    }

    /**
     * The destinations of member {@code index} of {@code count} producers or consumers over {@code n}
     * destinations: its own {@code index mod n}, plus every destination {@code d} with
     * {@code d mod count == index}, so that every destination has a member when there are fewer
     * members than destinations.
     */
    static int[] assignment(int index, int count, int n) {
        List<Integer> ds = new ArrayList<>();
        ds.add(index % n);
        for (int d = index; d < n; d += count) {
            if (d != index % n) {
                ds.add(d);
            }
        }
        return ds.stream().mapToInt(Integer::intValue).toArray();
    }

    PerfResult run() throws Exception {
        try {
            List<ConsumerSide> consumerSides = new ArrayList<>();
            for (int j = 0; j < s.consumers; j++) {
                consumerSides.add(new ConsumerSide(j));
            }
            List<ProducerSide> producerSides = new ArrayList<>();
            for (int i = 0; i < s.producers; i++) {
                producerSides.add(new ProducerSide(i));
            }
            CountDownLatch go = new CountDownLatch(1);
            List<Thread> threads = new ArrayList<>();
            for (ProducerSide p : producerSides) {
                Thread t = new Thread(() -> p.run(go), "jmsperf-producer-" + p.index);
                t.start();
                threads.add(t);
            }
            long start = System.nanoTime();
            windowStart = start + seconds(s.warmup);
            windowEnd = windowStart + seconds(s.duration);
            go.countDown();
            for (Thread t : threads) {
                t.join();
            }
            long drainStart = System.nanoTime();
            long expected = expected();
            drain(expected);
            double drainSeconds = (System.nanoTime() - drainStart) / 1e9;
            closeAll();

            Histogram e2e = new Histogram(3);
            Histogram send = new Histogram(3);
            long sentInWindow = 0;
            long receivedInWindow = 0;
            long sentTotal = 0;
            long behind = 0;
            for (ProducerSide p : producerSides) {
                sentInWindow += p.inWindow.get();
                behind += p.behind;
                p.latency.addTo(send);
            }
            for (int d = 0; d < s.destinations; d++) {
                sentTotal += sentPerDestination.get(d);
            }
            for (ConsumerSide c : consumerSides) {
                receivedInWindow += c.inWindow.get();
                c.latency.addTo(e2e);
            }
            return new PerfResult(s.describe(), s.duration, sentInWindow, receivedInWindow, sentTotal, received.get(),
                    expected, e2e, send, behind, errors.get(), firstError.get(), drainSeconds);
        } finally {
            closeAll();
        }
    }

    private static long seconds(double s) {
        return (long) (s * 1e9);
    }

    /** Deliveries owed: every message sent to a queue once, to a topic once per subscriber. */
    private long expected() {
        if (s.consumers == 0) {
            return 0;
        }
        long n = 0;
        for (int d = 0; d < s.destinations; d++) {
            n += sentPerDestination.get(d) * (s.topic ? subscribers[d] : 1);
        }
        return n;
    }

    /** Waits until the consumers got {@code expected} messages, or made no progress for the drain timeout. */
    private void drain(long expected) {
        long last = received.get();
        long lastProgress = System.nanoTime();
        while (last < expected && System.nanoTime() - lastProgress < seconds(s.drainTimeout)) {
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5)); // polling is fine here: it is off every timed path
            long now = received.get();
            if (now != last) {
                last = now;
                lastProgress = System.nanoTime();
            }
        }
    }

    private synchronized Connection connect() throws JMSException {
        Connection c = factory.createConnection();
        connections.add(c);
        return c;
    }

    private synchronized void closeAll() {
        for (Connection c : connections) {
            try {
                c.close();
            } catch (JMSException | RuntimeException e) {
                error(e);
            }
        }
        connections.clear();
    }

    private void error(Throwable e) {
        errors.incrementAndGet();
        firstError.compareAndSet(null, e);
    }

    private Destination destination(Session session, int d) throws JMSException {
        String name = s.prefix + "." + d;
        return s.topic ? session.createTopic(name) : session.createQueue(name);
    }

    private boolean inWindow(long t) {
        return t >= windowStart && t < windowEnd;
    }

    /** A histogram written by one thread at a time but read by another at the end. */
    static final class Latencies {
        private final Histogram histogram = new Histogram(3);

        synchronized void record(long nanos) {
            histogram.recordValue(Math.max(0, nanos));
        }

        synchronized void addTo(Histogram target) {
            target.add(histogram);
        }
    }

    /** One consumer: its own connection and session, a listener on each of its destinations. */
    private final class ConsumerSide {
        final AtomicLong inWindow = new AtomicLong();
        final Latencies latency = new Latencies();
        private final Session session;
        private byte[] body = new byte[0];
        private long unacknowledged;

        ConsumerSide(int index) throws JMSException {
            Connection connection = connect();
            session = s.ack == Ack.TRANSACTED ? connection.createSession(true, Session.SESSION_TRANSACTED)
                    : connection.createSession(false, s.ack == Ack.CLIENT ? Session.CLIENT_ACKNOWLEDGE
                            : s.ack == Ack.DUPS_OK ? Session.DUPS_OK_ACKNOWLEDGE : Session.AUTO_ACKNOWLEDGE);
            for (int d : assignment(index, s.consumers, s.destinations)) {
                session.createConsumer(destination(session, d)).setMessageListener(this::onMessage);
                subscribers[d]++;
            }
            connection.start();
        }

        /** Runs on the session's thread, one message at a time. */
        private void onMessage(Message m) {
            long now = System.nanoTime();
            try {
                long stamp = m.getLongProperty(STAMP);
                if (m instanceof BytesMessage b) { // read the body, as an application would
                    int n = (int) b.getBodyLength();
                    if (body.length < n) {
                        body = new byte[n];
                    }
                    b.readBytes(body, n);
                }
                if (inWindow(stamp)) {
                    latency.record(now - stamp);
                }
                if (inWindow(now)) {
                    inWindow.incrementAndGet();
                }
                received.incrementAndGet();
                if ((s.ack == Ack.CLIENT || s.ack == Ack.TRANSACTED) && ++unacknowledged == s.ackBatch) {
                    unacknowledged = 0;
                    if (s.ack == Ack.CLIENT) {
                        m.acknowledge();
                    } else {
                        session.commit();
                    }
                }
            } catch (JMSException | RuntimeException e) {
                error(e);
            }
        }
    }

    /** One producer: its own connection, session and thread, sending round-robin over its destinations. */
    private final class ProducerSide {
        final int index;
        final AtomicLong inWindow = new AtomicLong();
        final Latencies latency = new Latencies();
        private final Session session;
        private final MessageProducer producer;
        private final Destination[] targets;
        private final int[] targetIndex;
        private final byte[] body;
        private final Semaphore inFlight;
        /** Transacted: sends per destination since the last commit, counted as sent once committed. */
        private final long[] uncommitted;
        private int batch;
        private long transactionStarted;
        /** With --rate: scheduled sends not made because the window ended before their turn came. */
        long behind;

        ProducerSide(int index) throws JMSException {
            this.index = index;
            Connection connection = connect();
            session = s.transacted > 0 ? connection.createSession(true, Session.SESSION_TRANSACTED)
                    : connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            producer = session.createProducer(null);
            producer.setDeliveryMode(s.persistent ? DeliveryMode.PERSISTENT : DeliveryMode.NON_PERSISTENT);
            targetIndex = assignment(index, s.producers, s.destinations);
            targets = new Destination[targetIndex.length];
            for (int k = 0; k < targets.length; k++) {
                targets[k] = destination(session, targetIndex[k]);
            }
            body = new byte[s.size];
            new SplittableRandom(index).nextBytes(body); // not all zeros, so no layer can compress it away
            inFlight = new Semaphore(s.maxInFlight);
            uncommitted = new long[s.destinations];
        }

        void run(CountDownLatch go) {
            try {
                go.await();
                long interval = s.rate > 0 ? (long) (1e9 / s.rate) : 0;
                long next = System.nanoTime();
                for (long k = 0; ; k++) {
                    long stamp;
                    if (interval > 0) {
                        // Pace against the schedule, not per send: a late send does not push the
                        // following ones back, and its lateness is in its stamp.
                        stamp = next;
                        next += interval;
                        for (long wait = stamp - System.nanoTime(); wait > 0; wait = stamp - System.nanoTime()) {
                            LockSupport.parkNanos(wait);
                        }
                    } else {
                        stamp = System.nanoTime();
                    }
                    if (stamp >= windowEnd) {
                        break;
                    }
                    if (interval > 0 && System.nanoTime() >= windowEnd) { // behind schedule: count what it owed instead of sending it late
                        behind = (windowEnd - stamp + interval - 1) / interval;
                        break;
                    }
                    send((int) (k % targets.length), stamp);
                }
                finish();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                error(e);
            } catch (JMSException | RuntimeException e) {
                error(e);
            }
        }

        private void send(int k, long stamp) throws JMSException, InterruptedException {
            BytesMessage m = session.createBytesMessage();
            m.writeBytes(body);
            m.setLongProperty(STAMP, stamp);
            int d = targetIndex[k];
            if (s.async) {
                inFlight.acquire();
                producer.send(targets[k], m, new Completion(d, System.nanoTime()));
                return;
            }
            long started = System.nanoTime();
            if (s.transacted > 0) {
                if (batch == 0) {
                    transactionStarted = started;
                }
                producer.send(targets[k], m);
                uncommitted[d]++;
                if (++batch == s.transacted) {
                    commit();
                }
            } else {
                producer.send(targets[k], m);
                sent(d, 1, started);
            }
        }

        /** The latency of a transaction is from its first send to the end of its commit. */
        private void commit() throws JMSException {
            session.commit();
            long now = System.nanoTime();
            latency.record(now - transactionStarted);
            for (int d = 0; d < uncommitted.length; d++) {
                sentPerDestination.addAndGet(d, uncommitted[d]);
                uncommitted[d] = 0;
            }
            if (inWindow(now)) {
                inWindow.addAndGet(batch);
            }
            batch = 0;
        }

        private void sent(int d, int n, long started) {
            long now = System.nanoTime();
            latency.record(now - started);
            sentPerDestination.addAndGet(d, n);
            if (inWindow(now)) {
                inWindow.addAndGet(n);
            }
        }

        /** Commits the last partial transaction, or waits for the last asynchronous sends. */
        private void finish() throws JMSException, InterruptedException {
            if (batch > 0) {
                commit();
            }
            if (s.async && !inFlight.tryAcquire(s.maxInFlight, 120, TimeUnit.SECONDS)) {
                error(new IllegalStateException("producer " + index + ": sends still unconfirmed after 120 s"));
            }
        }

        /** Completions come on the provider's thread; the permit bounds the sends in flight. */
        private final class Completion implements CompletionListener {
            private final int destination;
            private final long started;

            Completion(int destination, long started) {
                this.destination = destination;
                this.started = started;
            }

            @Override
            public void onCompletion(Message message) {
                sent(destination, 1, started);
                inFlight.release();
            }

            @Override
            public void onException(Message message, Exception exception) {
                error(exception);
                inFlight.release();
            }
        }
    }
}
