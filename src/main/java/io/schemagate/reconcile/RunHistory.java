package io.schemagate.reconcile;

import io.schemagate.api.DatabaseMigrationStatus;
import io.schemagate.api.ImageRevision;
import io.schemagate.api.RunStatus;
import io.schemagate.contract.Outcome;
import io.schemagate.support.Timestamps;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/** Keeps lastRun, the bounded run history and the images whose migrations were applied in status. */
final class RunHistory {
    static final int MAX_RUNS = 10;
    static final int MAX_IMAGES = 20;

    private RunHistory() {}

    /** Whether this Job's outcome still has to be recorded: it is newer than, or is, the run in progress. */
    static boolean isUnrecorded(DatabaseMigrationStatus status, JobState job) {
        RunStatus last = status.getLastRun();
        if (last == null) {
            return true;
        }
        if (job.name().equals(last.getJob())) {
            return last.getOutcome() == Outcome.Running;
        }
        Instant started = Timestamps.parse(last.getStartedAt());
        Instant created = Timestamps.parse(job.job().getMetadata().getCreationTimestamp());
        return started == null || created.isAfter(started);
    }

    /**
     * How many runs in a row, this failed one included, failed for its reason with its digest, spec
     * generation and retry request: the count that ends in RetriesExhausted.
     */
    static int failuresInARow(DatabaseMigrationStatus status, RunStatus failed) {
        return status.getHistory().stream()
                .filter(run -> !run.getJob().equals(failed.getJob())
                        && run.getOutcome() != Outcome.Running
                        && Objects.equals(run.getDigest(), failed.getDigest()))
                .findFirst()
                .filter(previous -> previous.getOutcome() == Outcome.Failed
                        && Objects.equals(previous.getReason(), failed.getReason())
                        && Objects.equals(previous.getGeneration(), failed.getGeneration())
                        && Objects.equals(previous.getRetryRequest(), failed.getRetryRequest()))
                .map(previous ->
                        Optional.ofNullable(previous.getConsecutiveFailures()).orElse(1) + 1)
                .orElse(1);
    }

    static void record(DatabaseMigrationStatus status, RunStatus run) {
        status.setHistory(newestFirst(run, status.getHistory(), RunStatus::getJob, MAX_RUNS));
        status.setLastRun(run);
        // Only with the runner's result (applied is set from it): without one, what the image needs
        // is unknown, not "nothing".
        if (run.getImage() != null && run.getApplied() != null && run.getOutcome() == Outcome.Succeeded) {
            // Kept apart from the run history, and longer: pods of these images are admitted at once,
            // so an old image evicted too early would hold its pods on a rollback until it runs again.
            status.setImages(newestFirst(
                    new ImageRevision(run.getImage(), run.getLatest()),
                    status.getImages(),
                    ImageRevision::getImage,
                    MAX_IMAGES));
        }
    }

    /** The entry, then the previous ones not sharing its key, at most {@code max} in all. */
    private static <T> List<T> newestFirst(T entry, List<T> previous, Function<T, Object> key, int max) {
        List<T> entries = new ArrayList<>();
        entries.add(entry);
        previous.stream()
                .filter(earlier -> !Objects.equals(key.apply(earlier), key.apply(entry)))
                .limit(max - 1)
                .forEach(entries::add);
        return entries;
    }
}
