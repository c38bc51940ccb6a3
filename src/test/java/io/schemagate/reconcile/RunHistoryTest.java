package io.schemagate.reconcile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.schemagate.api.DatabaseMigrationStatus;
import io.schemagate.api.ImageRevision;
import io.schemagate.api.RunStatus;
import io.schemagate.contract.Outcome;
import org.junit.jupiter.api.Test;

class RunHistoryTest {

    @Test
    void keepsTheTenNewestRunsNewestFirst() {
        DatabaseMigrationStatus status = new DatabaseMigrationStatus();
        for (int i = 1; i <= 12; i++) {
            RunHistory.record(status, run("job-" + i, Outcome.Succeeded));
        }

        assertThat(status.getHistory())
                .hasSize(10)
                .first()
                .extracting(RunStatus::getJob)
                .isEqualTo("job-12");
        assertThat(status.getHistory()).last().extracting(RunStatus::getJob).isEqualTo("job-3");
        assertThat(status.getLastRun().getJob()).isEqualTo("job-12");
    }

    @Test
    void aFinishedRunReplacesItsRunningRecord() {
        DatabaseMigrationStatus status = new DatabaseMigrationStatus();
        RunHistory.record(status, run("job-1", Outcome.Succeeded));
        RunHistory.record(status, run("job-2", Outcome.Running));
        RunHistory.record(status, run("job-2", Outcome.Failed));

        assertThat(status.getHistory())
                .extracting(RunStatus::getJob, RunStatus::getOutcome)
                .containsExactly(tuple("job-2", Outcome.Failed), tuple("job-1", Outcome.Succeeded));
    }

    @Test
    void remembersEachImageOnceNewestFirstAndOnlyWithTheRunnersResult() {
        DatabaseMigrationStatus status = new DatabaseMigrationStatus();
        RunHistory.record(status, imageRun("job-1", "acme/orders:1.0", "3", Outcome.Succeeded, 3));
        RunHistory.record(status, imageRun("job-2", "acme/orders:1.1", "4", Outcome.Failed, 0));
        RunHistory.record(status, imageRun("job-3", "acme/orders:1.1", "4", Outcome.Succeeded, 1));
        RunHistory.record(status, imageRun("job-4", "acme/orders:1.0", "3", Outcome.Succeeded, 0));
        // Succeeded, but the runner left no result: what the image needs is not known.
        RunHistory.record(status, imageRun("job-5", "acme/orders:1.2", null, Outcome.Succeeded, null));

        assertThat(status.getImages())
                .extracting(ImageRevision::getImage, ImageRevision::getLatest)
                .containsExactly(tuple("acme/orders:1.0", "3"), tuple("acme/orders:1.1", "4"));
    }

    private static RunStatus imageRun(String job, String image, String latest, Outcome outcome, Integer applied) {
        RunStatus run = run(job, outcome);
        run.setImage(image);
        run.setLatest(latest);
        run.setApplied(applied);
        return run;
    }

    private static RunStatus run(String job, Outcome outcome) {
        RunStatus run = new RunStatus();
        run.setJob(job);
        run.setOutcome(outcome);
        return run;
    }
}
