package io.keel.broker.cli;

import java.util.concurrent.Callable;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code keel} command line: entry point of the runnable broker jar that {@code bin/keel} starts.
 *
 * <p>Exit status: 0 after a clean stop, 1 when an admin request failed, 2 when a process could not
 * start (bad configuration, port in use, data directory locked).
 */
@Command(name = "keel", mixinStandardHelpOptions = true, versionProvider = KeelVersion.class,
        description = "Keel, a Jakarta Messaging provider.",
        subcommands = {BrokerCommand.class, NameServerCommand.class, AdminCommand.class, UsersCommand.class})
public final class KeelCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** The command line, with the broker's config keys filled into its help. */
    public static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new KeelCommand());
        CommandLine broker = cl.getSubcommands().get("broker");
        broker.getCommandSpec().usageMessage().description(
                "Run a broker. Standalone by default: an embedded name server, the default data directory.",
                "Config keys (--set key=value), with defaults:", BrokerCommand.keyTable());
        return cl;
    }

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getOut());
        return CommandLine.ExitCode.USAGE;
    }
}
