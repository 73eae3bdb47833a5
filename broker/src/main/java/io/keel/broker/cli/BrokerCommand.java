package io.keel.broker.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

import io.keel.broker.Broker;
import io.keel.broker.BrokerStartException;
import io.keel.broker.config.BrokerConfig;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code keel broker}: runs a broker until SIGTERM (or Ctrl-C), then shuts it down gracefully. */
@Command(name = "broker", mixinStandardHelpOptions = true, versionProvider = KeelVersion.class,
        description = "Run a broker. Standalone by default: an embedded name server, the default data directory.")
final class BrokerCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--data-dir", description = "data directory (config key dataDir)")
    Path dataDir;

    @Option(names = "--config", description = "properties file with broker config keys")
    Path configFile;

    @Option(names = "--set", paramLabel = "KEY=VALUE", description = "override one config key (repeatable)")
    List<String> overrides = new ArrayList<>();

    @Override
    public Integer call() throws Exception {
        List<String> all = new ArrayList<>(overrides);
        if (dataDir != null) {
            all.add("dataDir=" + dataDir.toAbsolutePath());
        }
        BrokerConfig config;
        try {
            config = BrokerConfig.load(configFile, all);
        } catch (IllegalArgumentException | java.io.IOException e) {
            spec.commandLine().getErr().println("keel broker: " + e.getMessage());
            return 2;
        }
        Broker broker;
        Broker.serviceDefaults();
        try {
            broker = Broker.start(config);
        } catch (BrokerStartException e) {
            spec.commandLine().getErr().println("keel broker: " + e.getMessage());
            return 2;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            broker.close();
            stopped.countDown();
        }, "keel-shutdown"));
        spec.commandLine().getOut().println("Keel " + KeelVersion.current() + " " + broker.describe());
        spec.commandLine().getOut().flush();
        stopped.await();
        return 0;
    }

    /** The table of config keys for the help text. */
    static String keyTable() {
        StringBuilder sb = new StringBuilder();
        for (BrokerConfig.Key k : BrokerConfig.KEYS) {
            sb.append(String.format("  %-26s %-12s %s%n", k.name(), k.defaultValue().isEmpty() ? "(none)" : k.defaultValue(),
                    k.description()));
        }
        return sb.toString();
    }
}
