package io.keel.broker.auth;

import java.nio.file.Path;

/** A users file breaks a rule of its format; the message names the file, the line and the rule. */
public final class UsersFileException extends IllegalArgumentException {

    private final Path file;
    private final int line;

    /** {@code line} counts from 1; 0 means the file as a whole. */
    public UsersFileException(Path file, int line, String rule) {
        super("users file " + file + (line > 0 ? " line " + line : "") + ": " + rule);
        this.file = file;
        this.line = line;
    }

    public Path file() {
        return file;
    }

    public int line() {
        return line;
    }
}
