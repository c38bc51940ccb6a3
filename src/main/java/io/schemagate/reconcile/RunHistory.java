package io.schemagate.reconcile;

import io.schemagate.api.DatabaseMigrationStatus;
import io.schemagate.api.RunStatus;
import io.schemagate.support.Timestamps;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/** Keeps lastRun and the bounded run history in status. */
final class RunHistory {
    static final int MAX_RUNS = 10;

    private RunHistory() {
    }

    /** Whether this Job's outcome still has to be recorded: it is newer than, or is, the run in progress. */
    static boolean isUnrecorded(DatabaseMigrationStatus status, JobState job) {
        RunStatus last = status.getLastRun();
        if (last == null) {
            return true;
        }
        if (job.name().equals(last.getJob())) {
            return RunRecords.RUNNING.equals(last.getOutcome());
        }
        Instant started = Timestamps.parse(last.getStartedAt());
        Instant created = Timestamps.parse(job.job().getMetadata().getCreationTimestamp());
        return started == null || created.isAfter(started);
    }

    static void record(DatabaseMigrationStatus status, RunStatus run) {
        List<RunStatus> history = new ArrayList<>();
        history.add(run);
        status.getHistory().stream()
                .filter(previous -> !Objects.equals(previous.getJob(), run.getJob()))
                .limit(MAX_RUNS - 1)
                .forEach(history::add);
        status.setHistory(history);
        status.setLastRun(run);
    }
}
