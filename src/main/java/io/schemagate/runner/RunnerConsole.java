package io.schemagate.runner;

import io.schemagate.db.Redactor;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;

/**
 * The runner's only way to print: Quarkus does not boot in migrate mode, so there is no logging
 * framework, and every line passes through the {@link Redactor}.
 */
public final class RunnerConsole {

    private final PrintStream out;
    private final PrintStream err;
    private final Redactor redactor;

    public RunnerConsole(PrintStream out, PrintStream err, Redactor redactor) {
        this.out = out;
        this.err = err;
        this.redactor = redactor;
    }

    public void info(String message) {
        out.println(redactor.redact(message));
    }

    public void warn(String message) {
        out.println("WARNING: " + redactor.redact(message));
    }

    public void error(String message) {
        err.println("ERROR: " + redactor.redact(message));
    }

    public void error(String message, Throwable cause) {
        StringWriter trace = new StringWriter();
        cause.printStackTrace(new PrintWriter(trace));
        err.println("ERROR: " + redactor.redact(message) + System.lineSeparator() + redactor.redact(trace.toString()));
    }

    public Redactor redactor() {
        return redactor;
    }
}
