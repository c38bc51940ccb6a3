package io.schemagate.reconcile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.schemagate.api.DatabaseMigrationStatus;
import io.schemagate.api.RunStatus;
import org.junit.jupiter.api.Test;

class RunHistoryTest {

    @Test
    void keepsTheTenNewestRunsNewestFirst() {
        DatabaseMigrationStatus status = new DatabaseMigrationStatus();
        for (int i = 1; i <= 12; i++) {
            RunHistory.record(status, run("job-" + i, "Succeeded"));
        }

        assertThat(status.getHistory()).hasSize(10).first().extracting(RunStatus::getJob).isEqualTo("job-12");
        assertThat(status.getHistory()).last().extracting(RunStatus::getJob).isEqualTo("job-3");
        assertThat(status.getLastRun().getJob()).isEqualTo("job-12");
    }

    @Test
    void aFinishedRunReplacesItsRunningRecord() {
        DatabaseMigrationStatus status = new DatabaseMigrationStatus();
        RunHistory.record(status, run("job-1", "Succeeded"));
        RunHistory.record(status, run("job-2", "Running"));
        RunHistory.record(status, run("job-2", "Failed"));

        assertThat(status.getHistory()).extracting(RunStatus::getJob, RunStatus::getOutcome)
                .containsExactly(tuple("job-2", "Failed"),
                        tuple("job-1", "Succeeded"));
    }

    private static RunStatus run(String job, String outcome) {
        RunStatus run = new RunStatus();
        run.setJob(job);
        run.setOutcome(outcome);
        return run;
    }
}
