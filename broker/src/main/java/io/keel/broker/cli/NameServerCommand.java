package io.keel.broker.cli;

import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

import io.keel.broker.config.BrokerConfig;
import io.keel.broker.namesrv.NameServer;
import io.keel.broker.transport.ServerTransport;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code keel namesrv}: a name server on its own, until SIGTERM. */
@Command(name = "namesrv", mixinStandardHelpOptions = true, versionProvider = KeelVersion.class,
        description = "Run a name server on its own (brokers register with it; clients ask it for routes).")
final class NameServerCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--listen", description = "address to bind (default ${DEFAULT-VALUE})", defaultValue = "127.0.0.1")
    String listen;

    @Option(names = "--port", description = "port (default ${DEFAULT-VALUE})", defaultValue = "9876")
    int port;

    @Option(names = "--expiry-millis", description = "drop a broker silent this long (default ${DEFAULT-VALUE})",
            defaultValue = "120000")
    long expiryMillis;

    @Override
    public Integer call() throws Exception {
        BrokerConfig defaults = BrokerConfig.defaults();
        NameServer ns;
        try {
            ns = NameServer.start(listen, port, expiryMillis, defaults.heartbeatMillis(), defaults.maxFrameSize(), 0);
        } catch (ServerTransport.PortInUseException e) {
            spec.commandLine().getErr().println("keel namesrv: cannot start: " + e.getMessage());
            return 2;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            ns.close();
            stopped.countDown();
        }, "keel-shutdown"));
        spec.commandLine().getOut().println("Keel " + KeelVersion.current() + " name server listening on " + listen + ":"
                + ns.port());
        spec.commandLine().getOut().flush();
        stopped.await();
        return 0;
    }
}
