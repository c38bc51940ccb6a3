package io.schemagate.reconcile;

import io.schemagate.api.DatabaseMigrationStatus;
import io.schemagate.api.ImageRevision;
import io.schemagate.api.RunStatus;
import io.schemagate.support.Timestamps;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/** Keeps lastRun, the bounded run history and the images whose migrations were applied in status. */
final class RunHistory {
    static final int MAX_RUNS = 10;
    static final int MAX_IMAGES = 20;

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
        // Only with the runner's result (applied is set from it): without one, what the image needs
        // is unknown, not "nothing".
        if (run.getImage() != null && run.getApplied() != null && RunRecords.SUCCEEDED.equals(run.getOutcome())) {
            rememberImage(status, new ImageRevision(run.getImage(), run.getLatest()));
        }
    }

    /**
     * Kept apart from the run history, and longer: pods of these images are admitted at once, so an
     * old image evicted too early would hold its pods on a rollback until a run for it succeeds.
     */
    private static void rememberImage(DatabaseMigrationStatus status, ImageRevision image) {
        List<ImageRevision> images = new ArrayList<>();
        images.add(image);
        status.getImages().stream()
                .filter(previous -> !Objects.equals(previous.getImage(), image.getImage()))
                .limit(MAX_IMAGES - 1)
                .forEach(images::add);
        status.setImages(images);
    }
}
