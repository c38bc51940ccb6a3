package io.schemagate.runner;

import com.google.errorprone.annotations.Immutable;
import io.schemagate.contract.MigrationResult;
import java.util.Optional;

/**
 * What the runner needs of an engine: how a run applies (or, for a tool that ran before it, reports)
 * and how the engine's settings read. The engines implement it; the runner is handed them by name
 * and never asks a name what it means.
 */
@Immutable
public interface EngineSteps {

    /** Applies the run, or reports where the engine's tool, which ran before, left the database. */
    MigrationResult migrate(RunnerSettings settings, RunnerConsole console);

    /** Whether a rehearsal can apply the run to a scratch copy: not where the tool runs in a container of its own. */
    boolean rehearses();

    /** Whether targets and adopted revisions are versions; else the tool's own revision ids. */
    default boolean revisionsAreVersions() {
        return true;
    }

    /** Why the tool cannot use a history table of this name; empty when it can. */
    default Optional<String> tableProblem(String table) {
        return Optional.empty();
    }
}
