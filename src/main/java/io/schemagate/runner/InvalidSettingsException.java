package io.schemagate.runner;

import java.util.List;

/** The runner's environment is unusable; the message names every bad variable and why. */
public final class InvalidSettingsException extends Exception {

    private final List<String> problems;

    public InvalidSettingsException(List<String> problems) {
        super(String.join("; ", problems));
        this.problems = List.copyOf(problems);
    }

    public List<String> problems() {
        return problems;
    }
}
