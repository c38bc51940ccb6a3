package io.schemagate.reconcile;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a failed tool's own output names, read from the tail it left as its termination message: the
 * revision Alembic was running when it failed, and a SQLSTATE where the driver printed one. Only
 * these two facts are taken from it; the output itself is shown as it is.
 */
final class ToolOutput {
    /** Alembic logs each step before running it: {@code Running upgrade <from> -> <to>, <message>}. */
    private static final Pattern ALEMBIC_STEP = Pattern.compile("Running upgrade (\\S*) -> ([^,\\s]+)");
    /** libpq-style drivers print {@code SQLSTATE: 42P01} or {@code SQLSTATE 42P01} when asked to. */
    private static final Pattern SQLSTATE = Pattern.compile("SQLSTATE[:\\s]+\\[?([0-9A-Z]{5})\\b");

    private ToolOutput() {}

    /** The revision of the last step Alembic started: the one that failed, since it stopped there. */
    static Optional<String> failedRevision(String output) {
        Matcher step = ALEMBIC_STEP.matcher(output);
        String last = null;
        while (step.find()) {
            last = step.group(2);
        }
        return Optional.ofNullable(last);
    }

    static Optional<String> sqlState(String output) {
        Matcher state = SQLSTATE.matcher(output);
        return state.find() ? Optional.of(state.group(1)) : Optional.empty();
    }
}
