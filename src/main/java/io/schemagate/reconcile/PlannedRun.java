package io.schemagate.reconcile;

/**
 * A run the planner decided to start: which scripts, with which settings, under which Job name, and
 * for which generation and retry request of the resource.
 *
 * @param from the revision the database was at when the run was planned, as status shows it; null when none
 */
public record PlannedRun(ResolvedSource source, RunSettings settings, String digest, int attempt,
        String databaseKey, String jobName, long generation, String retryRequest, String from) {

    /** The Secret that hands the tool of the alembic or command engine its connection; owned by the run's Job. */
    public String connectionSecret() {
        return jobName + "-connection";
    }
}
