package io.keel.broker.cli;

import java.io.BufferedReader;
import java.io.Console;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

import io.keel.broker.auth.PasswordHash;
import io.keel.broker.auth.UsersFile;
import io.keel.broker.config.BrokerConfig;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code keel users}: edits the users file the broker authenticates against (config key usersFile).
 * The broker picks up changes at the next login; no restart. Exit status: 0 done, 1 refused (unknown
 * user, user exists, unreadable file), 2 bad usage or a malformed file.
 */
@Command(name = "users", mixinStandardHelpOptions = true, versionProvider = KeelVersion.class,
        description = "Manage the broker's users file (config key usersFile).",
        subcommands = {UsersCommand.Add.class, UsersCommand.Remove.class, UsersCommand.ListCmd.class})
final class UsersCommand implements Callable<Integer> {

    static final String DEFAULT_FILE = "users.properties";

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--file", scope = CommandLine.ScopeType.INHERIT, paramLabel = "PATH",
            description = "the users file; default: usersFile of --config, else ./" + DEFAULT_FILE)
    Path file;

    @Option(names = "--config", scope = CommandLine.ScopeType.INHERIT, paramLabel = "FILE",
            description = "broker config file whose usersFile to edit")
    Path config;

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getOut());
        return CommandLine.ExitCode.USAGE;
    }

    /** The file to work on: --file, else the broker config's usersFile, else ./users.properties. */
    Path target() throws IOException {
        if (file != null) {
            return file.toAbsolutePath();
        }
        if (config != null) {
            Path p;
            try {
                p = BrokerConfig.load(config, List.of()).usersFile();
            } catch (NoSuchFileException e) {
                throw new IllegalArgumentException("broker config file " + config + " does not exist");
            }
            if (p == null) {
                throw new IllegalArgumentException("broker config " + config + " sets no usersFile; give --file PATH");
            }
            return p;
        }
        return Path.of(DEFAULT_FILE).toAbsolutePath();
    }

    /** Runs an action on the users file, turning failures into a message on stderr and an exit status. */
    int run(CommandLine.Model.CommandSpec sub, Action action) {
        PrintWriter err = sub.commandLine().getErr();
        try {
            int status = action.run(target(), sub.commandLine().getOut());
            sub.commandLine().getOut().flush();
            return status;
        } catch (IllegalArgumentException e) {
            // UsersFileException is one: it names the file, line and rule.
            err.println("keel users: " + e.getMessage());
            return 2;
        } catch (NoSuchFileException e) {
            err.println("keel users: users file " + e.getFile() + " does not exist");
            return 1;
        } catch (IOException e) {
            err.println("keel users: " + e);
            return 1;
        } finally {
            err.flush();
        }
    }

    interface Action {
        int run(Path file, PrintWriter out) throws IOException;
    }

    @Command(name = "add", mixinStandardHelpOptions = true,
            description = "Add a user (creates the file if needed). Without --password the password is asked for "
                    + "on the terminal (twice), or read as one line from standard input when there is no terminal.")
    static final class Add implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;
        @CommandLine.ParentCommand
        UsersCommand parent;
        @Parameters(paramLabel = "NAME", description = "user name: 1-128 of A-Z a-z 0-9 . _ @ -")
        String name;
        @Option(names = "--password", description = "the password (visible to other local users in the process list; "
                + "prefer the prompt)")
        String password;
        @Option(names = "--force", description = "change the password of an existing user")
        boolean force;
        @Option(names = "--iterations", defaultValue = "" + PasswordHash.DEFAULT_ITERATIONS,
                description = "PBKDF2 iterations (default ${DEFAULT-VALUE}; more is slower for the broker and for attackers)")
        int iterations;

        @Override
        public Integer call() {
            return parent.run(spec, (path, out) -> {
                if (!UsersFile.validName(name)) {
                    throw new IllegalArgumentException("user name '" + name + "' must be 1 to 128 characters of "
                            + "A-Z a-z 0-9 . _ @ -");
                }
                PasswordHash.checkIterations(iterations);
                UsersFile current = existing(path);
                boolean exists = current.users().containsKey(name);
                if (exists && !force) {
                    spec.commandLine().getErr().println("keel users: user '" + name + "' already exists in " + path
                            + "; add --force to change the password");
                    return 1;
                }
                char[] pw = password != null ? password.toCharArray() : askPassword();
                if (pw == null) {
                    spec.commandLine().getErr().println("keel users: no password given (--password, the terminal or "
                            + "standard input)");
                    return 1;
                }
                String encoded;
                try {
                    encoded = PasswordHash.encode(pw, iterations);
                } finally {
                    Arrays.fill(pw, '\0');
                }
                current.withUser(name, encoded).write();
                out.println((exists ? "changed the password of user '" : "added user '") + name + "' in " + path);
                return 0;
            });
        }

        private char[] askPassword() throws IOException {
            Console console = System.console();
            if (console != null) {
                char[] first = console.readPassword("Password for %s: ", name);
                char[] second = first == null ? null : console.readPassword("Again: ");
                if (first != null && !Arrays.equals(first, second)) {
                    throw new IllegalArgumentException("the two passwords differ");
                }
                return first;
            }
            // Not closed: closing would close System.in for the rest of the JVM.
            String line = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
            return line == null ? null : line.toCharArray();
        }
    }

    @Command(name = "remove", mixinStandardHelpOptions = true, description = "Remove a user.")
    static final class Remove implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;
        @CommandLine.ParentCommand
        UsersCommand parent;
        @Parameters(paramLabel = "NAME", description = "user name")
        String name;

        @Override
        public Integer call() {
            return parent.run(spec, (path, out) -> {
                UsersFile current = UsersFile.read(path);
                if (!current.users().containsKey(name)) {
                    spec.commandLine().getErr().println("keel users: user '" + name + "' is not in users file " + path);
                    return 1;
                }
                current.without(name).write();
                out.println("removed user '" + name + "' from " + path);
                return 0;
            });
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true,
            description = "List the users, each with how its password is stored.")
    static final class ListCmd implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;
        @CommandLine.ParentCommand
        UsersCommand parent;

        @Override
        public Integer call() {
            return parent.run(spec, (path, out) -> {
                for (Map.Entry<String, PasswordHash> e : UsersFile.read(path).users().entrySet()) {
                    PasswordHash h = e.getValue();
                    out.println(e.getKey() + "  " + (h.scheme().equals(PasswordHash.PLAIN) ? "plain (unsafe)"
                            : h.scheme() + ", " + h.iterations() + " iterations"));
                }
                return 0;
            });
        }
    }

    private static UsersFile existing(Path path) throws IOException {
        try {
            return UsersFile.read(path);
        } catch (NoSuchFileException e) {
            return UsersFile.empty(path);
        }
    }
}
