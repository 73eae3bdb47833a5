package io.keel.samples.perf;

import java.io.PrintWriter;
import java.lang.reflect.InvocationTargetException;
import java.net.URI;
import java.util.Locale;
import java.util.concurrent.Callable;

import io.keel.jms.KeelConnectionFactory;
import jakarta.jms.ConnectionFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * A JMS-level benchmark: producers and consumers on any {@link ConnectionFactory}, through the
 * standard API only, so that two providers run identical code (docs/benchmarks.md, "JMS-level").
 * The provider is chosen by the URL's scheme: {@code keel://} is Keel's own factory, {@code tcp://}
 * Apache ActiveMQ Artemis's Jakarta client, and {@code --factory-class} any other provider whose
 * factory has a public constructor taking the URL.
 */
@Command(name = "jmsperf", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Measures throughput and end-to-end latency of a JMS provider through the Jakarta Messaging API.")
public final class JmsPerf implements Callable<Integer> {

    /** Artemis's Jakarta factory; loaded by name so that this code depends on the JMS API only. */
    static final String ARTEMIS_FACTORY = "org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory";

    /** How consumers acknowledge; CLIENT and TRANSACTED acknowledge/commit every {@code --ack-batch} messages. */
    public enum Ack { AUTO, DUPS_OK, CLIENT, TRANSACTED }

    @Spec
    CommandSpec spec;

    @Option(names = "--url", required = true,
            description = "keel://host:port (Keel), tcp://host:port (Artemis), or any URL with --factory-class")
    String url;

    @Option(names = "--factory-class", description = "ConnectionFactory class with a public (String url) constructor")
    String factoryClass;

    @Option(names = {"-p", "--producers"}, defaultValue = "1", description = "producer threads, each with its own connection (default ${DEFAULT-VALUE})")
    int producers;

    @Option(names = {"-c", "--consumers"}, defaultValue = "1", description = "consumers, each with its own connection and session (default ${DEFAULT-VALUE})")
    int consumers;

    @Option(names = {"-d", "--destinations"}, defaultValue = "1", description = "destinations <prefix>.0 .. <prefix>.N-1 (default ${DEFAULT-VALUE})")
    int destinations;

    @Option(names = "--topic", description = "topics (non-durable subscribers) instead of queues")
    boolean topic;

    @Option(names = "--prefix", defaultValue = "perf", description = "destination name prefix (default ${DEFAULT-VALUE})")
    String prefix;

    @Option(names = {"-s", "--size"}, defaultValue = "1024", description = "body bytes of each BytesMessage (default ${DEFAULT-VALUE})")
    int size;

    @Option(names = "--persistent", description = "persistent messages (the default)")
    boolean persistentFlag;

    @Option(names = "--non-persistent", description = "non-persistent messages")
    boolean nonPersistentFlag;

    /** Set by {@link #validate()} from the two flags above (plain flags: picocli sets them and nothing else). */
    boolean persistent;

    @Option(names = "--transacted", defaultValue = "0", paramLabel = "BATCH",
            description = "transacted producers committing every BATCH sends (0 = not transacted)")
    int transacted;

    @Option(names = "--async", description = "sends with a CompletionListener instead of waiting for each send")
    boolean async;

    @Option(names = "--max-in-flight", defaultValue = "256", description = "with --async: unconfirmed sends per producer (default ${DEFAULT-VALUE})")
    int maxInFlight;

    @Option(names = "--rate", defaultValue = "0", description = "messages/s per producer, 0 = as fast as possible (default ${DEFAULT-VALUE})")
    double rate;

    @Option(names = "--duration", defaultValue = "10", description = "measured seconds (default ${DEFAULT-VALUE})")
    double duration;

    @Option(names = "--warmup", defaultValue = "3", description = "seconds of sending before the measurement (default ${DEFAULT-VALUE})")
    double warmup;

    @Option(names = "--ack", defaultValue = "AUTO", description = "consumer acknowledge mode: ${COMPLETION-CANDIDATES} (default ${DEFAULT-VALUE})")
    Ack ack;

    @Option(names = "--ack-batch", defaultValue = "100", description = "messages per acknowledge() or commit() with --ack client/transacted (default ${DEFAULT-VALUE})")
    int ackBatch;

    @Option(names = "--drain-timeout", defaultValue = "30", description = "seconds without progress after which the drain gives up (default ${DEFAULT-VALUE})")
    double drainTimeout;

    @Option(names = "--result-prefix", defaultValue = "jmsperf", description = "name prefix of the RESULT lines (default ${DEFAULT-VALUE})")
    String resultPrefix;

    /** The figures of the last {@link #call()}, for programs that run the command (the side-by-side runner, tests). */
    private PerfResult result;

    public static void main(String[] args) {
        System.exit(new CommandLine(new JmsPerf()).setCaseInsensitiveEnumValuesAllowed(true).execute(args));
    }

    /**
     * Runs the command with these arguments, printing to {@code out}, and returns its figures (null if
     * the arguments were refused; picocli has printed why).
     */
    public static PerfResult run(PrintWriter out, String... args) {
        JmsPerf perf = new JmsPerf();
        int code = new CommandLine(perf).setCaseInsensitiveEnumValuesAllowed(true).setOut(out).setErr(out).execute(args);
        out.flush();
        return code == 0 ? perf.result : null;
    }

    @Override
    public Integer call() throws Exception {
        validate();
        ConnectionFactory factory = factory(url, factoryClass);
        try {
            result = new PerfRun(this, factory).run();
        } finally {
            if (factory instanceof AutoCloseable c) { // Artemis's factory holds a server locator
                c.close();
            }
        }
        PrintWriter out = spec.commandLine().getOut();
        result.print(out, resultPrefix);
        out.flush();
        return result.errors() == 0 && result.undelivered() == 0 ? 0 : 1;
    }

    private void validate() {
        String problem = producers < 1 ? "--producers must be at least 1"
                : consumers < 0 ? "--consumers must not be negative"
                : destinations < 1 ? "--destinations must be at least 1"
                : size < 0 ? "--size must not be negative"
                : transacted < 0 ? "--transacted must not be negative"
                : transacted > 0 && async ? "--transacted and --async do not go together"
                : maxInFlight < 1 ? "--max-in-flight must be at least 1"
                : rate < 0 ? "--rate must not be negative"
                : duration <= 0 ? "--duration must be positive"
                : warmup < 0 ? "--warmup must not be negative"
                : ackBatch < 1 ? "--ack-batch must be at least 1"
                : persistentFlag && nonPersistentFlag ? "--persistent and --non-persistent do not go together"
                : null;
        if (problem != null) {
            throw new CommandLine.ParameterException(spec.commandLine(), problem);
        }
        persistent = !nonPersistentFlag;
    }

    /** The provider's factory for this URL (see the class comment). */
    static ConnectionFactory factory(String url, String factoryClass) throws ReflectiveOperationException {
        if (factoryClass != null) {
            return byName(factoryClass, url);
        }
        String scheme = URI.create(url.split(",", 2)[0]).getScheme();
        switch (scheme == null ? "" : scheme.toLowerCase(Locale.ROOT)) {
            case "keel":
                return new KeelConnectionFactory(url);
            case "tcp":
                return byName(ARTEMIS_FACTORY, url);
            default:
                throw new IllegalArgumentException("--url " + url
                        + ": unknown scheme; use keel:// (Keel), tcp:// (Artemis) or --factory-class");
        }
    }

    private static ConnectionFactory byName(String className, String url) throws ReflectiveOperationException {
        try {
            return (ConnectionFactory) Class.forName(className).getConstructor(String.class).newInstance(url);
        } catch (InvocationTargetException e) {
            if (e.getCause() instanceof RuntimeException r) { // e.g. a malformed URL: report it, not the wrapper
                throw r;
            }
            throw e;
        }
    }

    /** One line saying what this run does, for the report. */
    String describe() {
        return String.format(Locale.ROOT,
                "%s: %d producer(s), %d consumer(s), %d %s %s.0..%d, %d B, %s, %s, ack %s, rate %s, %s s after %s s warm-up",
                url, producers, consumers, destinations, topic ? "topic(s)" : "queue(s)", prefix, destinations - 1, size,
                persistent ? "persistent" : "non-persistent",
                transacted > 0 ? "transactions of " + transacted : async ? "async sends (" + maxInFlight + " in flight)" : "sync sends",
                ack.name().toLowerCase(Locale.ROOT), rate > 0 ? rate + "/s per producer" : "max", duration, warmup);
    }
}
