package io.keel.broker.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;

import org.junit.jupiter.api.Test;

import picocli.CommandLine;

class KeelCommandTest {

    @Test
    void versionIsStampedFromThePom() {
        String version = KeelVersion.current();
        assertTrue(version.matches("\\d+\\.\\d+\\.\\d+(-SNAPSHOT)?"), "not a filtered version: " + version);
    }

    @Test
    void versionOptionPrintsTheVersionAndSucceeds() {
        StringWriter out = new StringWriter();
        CommandLine cl = new CommandLine(new KeelCommand());
        cl.setOut(new PrintWriter(out));
        assertEquals(0, cl.execute("--version"));
        assertTrue(out.toString().startsWith("Keel " + KeelVersion.current()), out.toString());
    }

    @Test
    void unknownOptionIsAUsageError() {
        CommandLine cl = new CommandLine(new KeelCommand());
        cl.setErr(new PrintWriter(new StringWriter()));
        assertEquals(CommandLine.ExitCode.USAGE, cl.execute("--no-such-option"));
    }
}
