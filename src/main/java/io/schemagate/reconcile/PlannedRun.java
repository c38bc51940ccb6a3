package io.schemagate.reconcile;

import io.schemagate.runner.Direction;

/**
 * A run the planner decided to start: which scripts, with which settings, under which Job name, and
 * for which generation and retry request of the resource.
 *
 * @param from the revision the database was at when the run was planned, as status shows it; null when none
 * @param direction down reverts the migrations above the target (spec.downgrade)
 * @param adopt the version to record the history up to before migrating (spec.adopt, not carried out
 *     yet); null for none
 */
public record PlannedRun(ResolvedSource source, RunSettings settings, String digest, int attempt,
        String databaseKey, String jobName, long generation, String retryRequest, String from, Direction direction,
        String adopt) {

    /** A run that migrates up and adopts nothing. */
    public PlannedRun(ResolvedSource source, RunSettings settings, String digest, int attempt, String databaseKey,
            String jobName, long generation, String retryRequest, String from) {
        this(source, settings, digest, attempt, databaseKey, jobName, generation, retryRequest, from, Direction.Up,
                null);
    }

    /** The Secret that hands the tool of the alembic or command engine its connection; owned by the run's Job. */
    public String connectionSecret() {
        return jobName + "-connection";
    }

    /** What the alembic or command engine's tool runs in this direction. */
    public RunSettings.Tool tool() {
        return direction == Direction.Down ? settings.downTool() : settings.tool();
    }
}
