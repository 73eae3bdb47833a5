package io.keel.broker.bench;

import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.StringJoiner;

/**
 * Runs the end-to-end benchmark in a JVM of its own per broker: this JVM starts one child per broker
 * (the same main class with {@code bench.brokers} set to that broker and {@code bench.jvm=shared}),
 * one after the other, echoes what it prints and collects its {@code RESULT} lines for the ratios.
 *
 * <p>Why: two brokers in one JVM share its heap, its collector, Netty's classes and the JIT's
 * profiles of them; measured here, Artemis's case 2 run just before Keel's case 3 cost Keel's case 3
 * about 10% (docs/benchmarks.md). In a child, each broker's cases run as they would in a service of
 * its own, after its own earlier cases.
 *
 * <p>The child gets this JVM's class path (under {@code exec:java}, the URLs of the context class
 * loader, which holds the project's test class path; else {@code java.class.path}), its {@code -Xms}
 * and {@code -Xmx}, then the options in {@code bench.jvmArgs} (split at spaces; default
 * {@link #DEFAULT_JVM_ARGS}, which come later and so win), and every system property starting with
 * {@code bench.}, {@code keel.} or {@code org.slf4j.}.
 */
final class BrokerJvms {

    private static final String RESULT_PREFIX = "RESULT ";
    /**
     * The heap of each child unless {@code bench.jvmArgs} says otherwise: what Artemis's launcher
     * gives a new broker instance ({@code artemis.profile}), for both brokers. Without it a child had
     * the JVM's default start heap (1/64 of the memory) and G1 ran concurrent cycles as soon as
     * case 3's 10,000 queues filled the old generation of that small heap.
     */
    static final String DEFAULT_JVM_ARGS = "-Xms512m -Xmx2g";

    private BrokerJvms() {
    }

    /**
     * Runs every broker in a child JVM under {@code base}, one after the other, and adds the figures
     * they printed to {@code figures} (name to value) and their lines to {@code lines}. A child that exits with an error leaves an
     * {@code e2e.<broker>.jvm_failed} figure.
     */
    static void runEach(List<String> brokers, Path base, Map<String, Double> figures, Map<String, String> lines)
            throws Exception {
        for (String broker : brokers) {
            List<String> command = command(broker, base);
            System.out.printf("%n== %s in a JVM of its own ==%n", broker);
            System.out.flush();
            Process child = new ProcessBuilder(command).redirectErrorStream(true).start();
            try (BufferedReader out = new BufferedReader(
                    new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line = out.readLine(); line != null; line = out.readLine()) {
                    if (line.startsWith(RESULT_PREFIX)) {
                        String[] kv = line.substring(RESULT_PREFIX.length()).split("=", 2);
                        figures.put(kv[0], Double.parseDouble(kv[1]));
                        lines.put(kv[0], line);
                    } else {
                        System.out.println(line);
                    }
                }
            } finally {
                int exit = child.waitFor();
                if (exit != 0) {
                    System.out.printf("%s: the benchmark JVM exited with %d%n", broker, exit);
                    figures.put("e2e." + broker + ".jvm_failed", 1.0);
                }
            }
        }
    }

    private static List<String> command(String broker, Path base) throws URISyntaxException {
        List<String> command = new ArrayList<>();
        command.add(Paths.get(System.getProperty("java.home"), "bin", "java").toString());
        for (String arg : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (arg.startsWith("-Xmx") || arg.startsWith("-Xms")) {
                command.add(arg);
            }
        }
        String extra = System.getProperty("bench.jvmArgs", DEFAULT_JVM_ARGS).trim();
        if (!extra.isEmpty()) {
            command.addAll(List.of(extra.split("\\s+")));
        }
        Properties props = System.getProperties();
        for (String name : props.stringPropertyNames()) {
            if ((name.startsWith("bench.") || name.startsWith("keel.") || name.startsWith("org.slf4j."))
                    && !name.equals("bench.brokers") && !name.equals("bench.jvm") && !name.equals("bench.dir")
                    && !name.equals("bench.jvmArgs")) {
                command.add("-D" + name + "=" + props.getProperty(name));
            }
        }
        command.add("-Dbench.brokers=" + broker);
        command.add("-Dbench.jvm=shared");
        command.add("-Dbench.child=true");
        command.add("-Dbench.dir=" + base);
        command.add("-cp");
        command.add(classPath());
        command.add(EndToEndBenchmark.class.getName());
        return command;
    }

    /** The class path this code was loaded from: the context loader's URLs under exec:java. */
    static String classPath() throws URISyntaxException {
        ClassLoader loader = Thread.currentThread().getContextClassLoader();
        if (loader instanceof URLClassLoader urls && urls.getURLs().length > 0) {
            StringJoiner cp = new StringJoiner(File.pathSeparator);
            for (URL url : urls.getURLs()) {
                cp.add(Paths.get(url.toURI()).toString());
            }
            return cp.toString();
        }
        return System.getProperty("java.class.path");
    }
}
