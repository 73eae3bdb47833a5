package io.keel.broker.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

import picocli.CommandLine;

/** The Keel version, as Maven stamped it into {@code keel-version.properties} at build time. */
public final class KeelVersion implements CommandLine.IVersionProvider {

    private static final String RESOURCE = "/io/keel/broker/keel-version.properties";

    /** Returns the version string, e.g. {@code 0.1.0-SNAPSHOT}. */
    public static String current() {
        try (InputStream in = KeelVersion.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("resource " + RESOURCE + " is missing from the broker jar");
            }
            Properties p = new Properties();
            p.load(in);
            return p.getProperty("version");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + RESOURCE, e);
        }
    }

    @Override
    public String[] getVersion() {
        return new String[] {"Keel " + current() + " (Java " + Runtime.version() + ")"};
    }
}
