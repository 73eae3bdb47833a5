package io.keel.broker.cli;

import java.util.concurrent.Callable;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code keel} command line: entry point of the runnable broker jar that {@code bin/keel} starts.
 *
 * <p>The broker and name server processes arrive with the broker issue; until then their subcommands
 * say so and exit with {@link #EXIT_NOT_AVAILABLE}, so scripts can tell "not built yet" from a crash.
 */
@Command(name = "keel", mixinStandardHelpOptions = true, versionProvider = KeelVersion.class,
        description = "Keel, a Jakarta Messaging provider.",
        subcommands = {KeelCommand.Broker.class, KeelCommand.NameServer.class})
public final class KeelCommand implements Callable<Integer> {

    /** Exit status of a subcommand whose process is not part of this build yet. */
    public static final int EXIT_NOT_AVAILABLE = 3;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs the command line and returns the exit status instead of exiting (for tests). */
    public static int run(String... args) {
        return new CommandLine(new KeelCommand()).execute(args);
    }

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getOut());
        return CommandLine.ExitCode.USAGE;
    }

    @Command(name = "broker", description = "Run a standalone broker with an embedded name server.")
    static final class Broker implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            spec.commandLine().getErr().println(
                    "keel broker: the broker process is not part of this build yet (see the status table in README.md)");
            return EXIT_NOT_AVAILABLE;
        }
    }

    @Command(name = "namesrv", description = "Run a name server on its own.")
    static final class NameServer implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            spec.commandLine().getErr().println(
                    "keel namesrv: the name server is not part of this build yet (see the status table in README.md)");
            return EXIT_NOT_AVAILABLE;
        }
    }
}
