package io.schemagate.reconcile;

/**
 * A run the planner decided to start: which scripts, with which settings, under which Job name, and
 * for which generation and retry request of the resource.
 */
public record PlannedRun(ResolvedSource source, RunSettings settings, String digest, int attempt,
        String databaseKey, String jobName, long generation, String retryRequest) {
}
