package io.keel.broker.cli;

import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import io.keel.protocol.DestinationType;
import io.keel.protocol.client.ConnectionLost;
import io.keel.protocol.client.ProtocolClient;
import io.keel.protocol.client.RemoteError;
import io.keel.protocol.command.AdminCommands;
import io.keel.protocol.command.CommandCode;
import io.keel.protocol.frame.Frame;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code keel admin}: list, create, delete, purge destinations and show broker statistics. */
@Command(name = "admin", mixinStandardHelpOptions = true, versionProvider = KeelVersion.class,
        description = "Administer a running broker.",
        subcommands = {AdminCommand.ListCmd.class, AdminCommand.Subscriptions.class, AdminCommand.Configure.class, AdminCommand.Create.class, AdminCommand.Delete.class,
            AdminCommand.Purge.class, AdminCommand.Stats.class})
final class AdminCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--broker", scope = CommandLine.ScopeType.INHERIT, defaultValue = "127.0.0.1:10911",
            description = "broker address host:port (default ${DEFAULT-VALUE})")
    String broker;

    @Option(names = "--user", scope = CommandLine.ScopeType.INHERIT,
            description = "user name, for a broker with a usersFile and allowAnonymous=false")
    String user;

    @Option(names = "--password", scope = CommandLine.ScopeType.INHERIT, description = "password of --user")
    String password;

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getOut());
        return CommandLine.ExitCode.USAGE;
    }

    /** Connects, runs one request, prints; returns the exit status. */
    static int run(CommandLine.Model.CommandSpec spec, AdminCommand options, short command,
            java.util.function.BiFunction<ProtocolClient, Integer, io.netty.buffer.ByteBuf> request,
            java.util.function.BiConsumer<Frame, PrintWriter> print) {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        String broker = options.broker;
        int colon = broker.lastIndexOf(':');
        if (colon <= 0) {
            err.println("keel admin: --broker '" + broker + "' is not host:port");
            return 2;
        }
        try (ProtocolClient c = ProtocolClient.connect(broker.substring(0, colon),
                Integer.parseInt(broker.substring(colon + 1)),
                ProtocolClient.Options.defaults().withCredentials(options.user, options.password))) {
            Frame f = c.request(id -> request.apply(c, id)).get(30, TimeUnit.SECONDS);
            try {
                print.accept(f, out);
            } finally {
                f.release();
            }
            out.flush();
            return 0;
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            err.println("keel admin: " + (cause instanceof RemoteError r ? r.code() + ": " + r.getMessage() : cause.toString()));
            return 1;
        } catch (RemoteError e) {
            err.println("keel admin: " + e.code() + ": " + e.getMessage());
            return 1;
        } catch (ConnectionLost e) {
            err.println("keel admin: " + e.getMessage());
            return 1;
        } catch (Exception e) {
            err.println("keel admin: " + e);
            return 1;
        }
    }

    static DestinationType type(boolean topic) {
        return topic ? DestinationType.TOPIC : DestinationType.QUEUE;
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List destinations with depth and consumers.")
    static final class ListCmd implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;
        @CommandLine.ParentCommand
        AdminCommand parent;

        @Override
        public Integer call() {
            return run(spec, parent, CommandCode.ADMIN_LIST,
                    (c, id) -> AdminCommands.empty(c.channel().alloc(), CommandCode.ADMIN_LIST, 0, id), (f, out) -> {
                        List<AdminCommands.DestinationInfo> list = AdminCommands.decodeList(f.body());
                        out.printf("%-6s %-40s %6s %12s %9s %9s %12s %12s %9s%n", "TYPE", "NAME", "QUEUES", "DEPTH",
                                "IN-FLIGHT", "CONSUMERS", "ENQUEUED", "DEAD-LETTER", "EXPIRED");
                        for (AdminCommands.DestinationInfo d : list) {
                            out.printf("%-6s %-40s %6d %12d %9d %9d %12d %12d %9d%n",
                                    d.type().name().toLowerCase(Locale.ROOT), d.name(), d.queueCount(), d.depth(),
                                    d.inFlight(), d.consumers(), d.enqueued(), d.deadLettered(), d.expired());
                        }
                    });
        }
    }

    @Command(name = "subscriptions", mixinStandardHelpOptions = true,
            description = "List every subscription (queues and topic subscriptions) with depth, in-flight, consumers, "
                    + "dead-lettered and expired messages.")
    static final class Subscriptions implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;
        @CommandLine.ParentCommand
        AdminCommand parent;

        @Override
        public Integer call() {
            return run(spec, parent, CommandCode.ADMIN_SUBSCRIPTIONS,
                    (c, id) -> AdminCommands.empty(c.channel().alloc(), CommandCode.ADMIN_SUBSCRIPTIONS, 0, id),
                    (f, out) -> {
                        List<AdminCommands.SubscriptionInfo> list = AdminCommands.decodeSubscriptions(f.body());
                        out.printf("%-6s %-30s %-18s %-24s %-16s %12s %9s %9s %12s %9s  %s%n", "TYPE", "DESTINATION",
                                "KIND", "NAME", "CLIENT-ID", "DEPTH", "IN-FLIGHT", "CONSUMERS", "DEAD-LETTER", "EXPIRED",
                                "SELECTOR");
                        for (AdminCommands.SubscriptionInfo s : list) {
                            out.printf("%-6s %-30s %-18s %-24s %-16s %12d %9d %9d %12d %9d  %s%n",
                                    s.type().name().toLowerCase(Locale.ROOT), s.destination(), s.kind(), dash(s.name()),
                                    dash(s.clientId()), s.depth(), s.inFlight(), s.consumers(), s.deadLettered(),
                                    s.expired(), dash(s.selector()));
                        }
                    });
        }

        private static String dash(String s) {
            return s == null ? "-" : s;
        }
    }

    /** The destination a subcommand acts on: its name and whether it is a topic. */
    static final class DestinationArg {
        @Parameters(index = "0", description = "destination name")
        String name;
        @Option(names = "--topic", description = "the destination is a topic (default: a queue)")
        boolean topic;

        String describe() {
            return (topic ? "topic" : "queue") + " '" + name + "'";
        }
    }

    /** A subcommand that sends one request naming a destination and prints the answer. */
    abstract static class DestinationCommand implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;
        @CommandLine.ParentCommand
        AdminCommand parent;
        @CommandLine.Mixin
        DestinationArg destination;

        int send(short command, int queues, java.util.function.BiConsumer<Frame, PrintWriter> print) {
            return run(spec, parent, command, (c, id) -> new AdminCommands.Target(type(destination.topic),
                    destination.name, queues).frame(c.channel().alloc(), command, id), print);
        }
    }

    @Command(name = "configure", mixinStandardHelpOptions = true,
            description = "Show or set a destination's delivery settings: maxDeliveries, redeliveryDelayMillis, "
                    + "leaseMillis, deadLetterQueue, expiryQueue (an empty value goes back to the broker default).")
    static final class Configure extends DestinationCommand {
        @Option(names = "--set", paramLabel = "KEY=VALUE", description = "a setting to change (repeatable)")
        Map<String, String> changes = new java.util.LinkedHashMap<>();

        @Override
        public Integer call() {
            return run(spec, parent, CommandCode.ADMIN_CONFIGURE, (c, id) -> new AdminCommands.Configure(
                    type(destination.topic), destination.name, changes).frame(c.channel().alloc(), id), (f, out) -> {
                        out.println("delivery settings of " + destination.describe() + ":");
                        AdminCommands.decodeStats(f.body()).forEach((k, v) -> out.printf("  %-22s %s%n", k, v));
                    });
        }
    }

    @Command(name = "create", mixinStandardHelpOptions = true, description = "Create a queue (or a topic with --topic).")
    static final class Create extends DestinationCommand {
        @Option(names = "--queues", description = "queue ids (default: the broker's defaultQueueCount)", defaultValue = "0")
        int queues;

        @Override
        public Integer call() {
            return send(CommandCode.ADMIN_CREATE, queues, (f, out) -> out.println("created " + destination.describe()));
        }
    }

    @Command(name = "delete", mixinStandardHelpOptions = true, description = "Delete a destination and its messages.")
    static final class Delete extends DestinationCommand {
        @Override
        public Integer call() {
            return send(CommandCode.ADMIN_DELETE, 0, (f, out) -> out.println("deleted " + destination.describe()));
        }
    }

    @Command(name = "purge", mixinStandardHelpOptions = true, description = "Drop every stored message of a destination.")
    static final class Purge extends DestinationCommand {
        @Override
        public Integer call() {
            return send(CommandCode.ADMIN_PURGE, 0, (f, out) -> out.println("purged " + f.body().readLong()
                    + " messages from '" + destination.name + "'"));
        }
    }

    @Command(name = "stats", mixinStandardHelpOptions = true, description = "Show broker and store statistics.")
    static final class Stats implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;
        @CommandLine.ParentCommand
        AdminCommand parent;

        @Override
        public Integer call() {
            return run(spec, parent, CommandCode.ADMIN_STATS,
                    (c, id) -> AdminCommands.empty(c.channel().alloc(), CommandCode.ADMIN_STATS, 0, id), (f, out) -> {
                        Map<String, String> stats = AdminCommands.decodeStats(f.body());
                        stats.forEach((k, v) -> out.printf("%-28s %s%n", k, v));
                    });
        }
    }
}
