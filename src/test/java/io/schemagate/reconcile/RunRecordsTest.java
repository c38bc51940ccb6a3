package io.schemagate.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.schemagate.api.DatabaseMigrationStatus;
import io.schemagate.api.RunStatus;
import io.schemagate.contract.BackupRecord;
import io.schemagate.contract.ErrorKind;
import io.schemagate.contract.Failure;
import io.schemagate.contract.MigrationResult;
import io.schemagate.contract.Outcome;
import java.util.List;
import org.junit.jupiter.api.Test;

class RunRecordsTest {

    @Test
    void aCompletedJobWithoutTheRunnersResultIsNotASuccess() {
        RunStatus run = RunRecords.finished(job("Complete", null), List.of(pod(0, "")));

        assertThat(run.getOutcome()).isEqualTo(Outcome.Failed);
        assertThat(run.getReason()).isEqualTo(Reasons.RESULT_MISSING);
        assertThat(run.getMessage()).contains("no readable result").contains("status.revision");
        assertThat(RunRecords.isRetryable(run)).isTrue();
    }

    @Test
    void aRunnerKilledByItsMemoryLimitSaysSoAndWhatToRaise() {
        Pod killed = pod(137, "");
        killed.getStatus()
                .getContainerStatuses()
                .get(0)
                .getState()
                .getTerminated()
                .setReason("OOMKilled");

        RunStatus run = RunRecords.finished(job("Failed", "PodFailurePolicy"), List.of(killed));

        assertThat(run.getOutcome()).isEqualTo(Outcome.Failed);
        assertThat(run.getReason()).isEqualTo(Reasons.RUN_FAILED);
        assertThat(run.getMessage())
                .startsWith("the runner was killed for exceeding its memory limit (OOMKilled, exit code 137)")
                .contains("spec.job.resources.limits.memory");
    }

    @Test
    void aRunStoppedAtItsDeadlineSaysSo() {
        RunStatus run = RunRecords.finished(job("Failed", "DeadlineExceeded"), List.of());

        assertThat(run.getReason()).isEqualTo(Reasons.DEADLINE_EXCEEDED);
        assertThat(run.getMessage()).contains("DeadlineExceeded");
        assertThat(RunRecords.isRetryable(run)).isTrue();
    }

    @Test
    void aResultOfANewerRunnerIsReadWithoutTheFieldsAndKindsThisOperatorDoesNotKnow() {
        String newer = "{\"outcome\":\"Succeeded\",\"errorKind\":null,\"from\":\"1\",\"to\":\"3\",\"latest\":\"3\","
                + "\"applied\":2,\"durationMillis\":5,\"engine\":\"flyway\",\"warnings\":[\"x\"]}";
        String newerFailure = "{\"outcome\":\"Failed\",\"errorKind\":\"SomethingNew\",\"applied\":0}";
        String unknownOutcome = "{\"outcome\":\"PartlySucceeded\",\"applied\":1}";

        RunStatus succeeded = RunRecords.finished(job("Complete", null), List.of(pod(0, newer)));
        RunStatus failed = RunRecords.finished(job("Failed", "PodFailurePolicy"), List.of(pod(2, newerFailure)));
        RunStatus unknown = RunRecords.finished(job("Complete", null), List.of(pod(0, unknownOutcome)));

        assertThat(succeeded.getOutcome()).isEqualTo(Outcome.Succeeded);
        assertThat(succeeded.getTo()).isEqualTo("3");
        assertThat(failed.getReason()).isEqualTo("Unknown");
        assertThat(RunRecords.isRetryable(failed)).isTrue();
        assertThat(unknown.getOutcome()).isEqualTo(Outcome.Failed);
    }

    @Test
    void aFailedBackupIsTheRunsFailureAndASuccessfulOneIsPartOfTheRunsRecord() {
        String backupFailed = MigrationResult.failed(
                        Failure.of(
                                ErrorKind.BackupFailed,
                                "the backup volume at /schemagate/backup is not writable; nothing was migrated"),
                        null,
                        null,
                        0)
                .toJson();
        BackupRecord dump =
                new BackupRecord("orders-20261202T033000123Z.dump", 48_213, 412, "2026-12-02T03:30:00Z", "pg_dump 15");
        String reverted = MigrationResult.succeeded("3", "1", "3", 2)
                .reverted()
                .withBackup(dump)
                .toJson();
        Pod failedDump = new PodBuilder(pod(0, ""))
                .editStatus()
                .withContainerStatuses()
                .addNewInitContainerStatus()
                .withName(MigrationJob.BACKUP_CONTAINER)
                .withNewState()
                .withNewTerminated()
                .withExitCode(1)
                .withMessage(backupFailed)
                .endTerminated()
                .endState()
                .endInitContainerStatus()
                .endStatus()
                .build();

        RunStatus failed = RunRecords.finished(job("Failed", "PodFailurePolicy"), List.of(failedDump));
        RunStatus succeeded = RunRecords.finished(job("Complete", null), List.of(pod(0, reverted)));

        assertThat(failed.getReason()).isEqualTo(Reasons.BACKUP_FAILED);
        assertThat(failed.getMessage()).contains("not writable; nothing was migrated");
        assertThat(RunRecords.isRetryable(failed)).isFalse();
        assertThat(succeeded.getDirection()).isEqualTo("Down");
        assertThat(succeeded.getMessage()).isEqualTo("Reverted 2 migrations; the schema went down from version 3 to 1");
        assertThat(succeeded.getBackup().getFile()).isEqualTo("orders-20261202T033000123Z.dump");
        assertThat(succeeded.getBackup().getSizeBytes()).isEqualTo(48_213);
        assertThat(succeeded.getBackup().getDurationMillis()).isEqualTo(412);
        assertThat(succeeded.getBackup().getPgDump()).isEqualTo("pg_dump 15");
    }

    @Test
    void scriptsThatCouldNotBeCopiedOutOfTheImageStallTheRunWithWhatToDo() {
        Pod noCp = copyFailed(128, "StartError", "exec: \"cp\": executable file not found in $PATH");
        Pod noPath = copyFailed(1, "Error", "cp: cannot stat '/migrations/.': No such file or directory\n");

        RunStatus distroless = RunRecords.finished(job("Failed", "BackoffLimitExceeded"), List.of(noCp));
        RunStatus wrongPath = RunRecords.finished(job("Failed", "BackoffLimitExceeded"), List.of(noPath));

        assertThat(distroless.getReason()).isEqualTo(Reasons.SOURCE_COPY_FAILED);
        assertThat(distroless.getMessage())
                .startsWith("the image has no cp")
                .contains("executable file not found")
                .contains("mount: Volume");
        assertThat(wrongPath.getReason()).isEqualTo(Reasons.SOURCE_COPY_FAILED);
        assertThat(wrongPath.getMessage())
                .startsWith("cp exited with code 1: cp: cannot stat '/migrations/.'")
                .contains("check the source's path");
        assertThat(List.of(distroless, wrongPath)).noneMatch(RunRecords::isRetryable);
    }

    @Test
    void countsTheSameFailureInARowOnlyForOneDigestSpecAndRetryRequest() {
        DatabaseMigrationStatus status = new DatabaseMigrationStatus();
        RunStatus first = failure("orders-d-1", "DatabaseUnreachable", 1L, null);
        first.setConsecutiveFailures(RunHistory.failuresInARow(status, first));
        RunHistory.record(status, first);
        RunStatus second = failure("orders-d-2", "DatabaseUnreachable", 1L, null);
        second.setConsecutiveFailures(RunHistory.failuresInARow(status, second));
        RunHistory.record(status, second);

        assertThat(second.getConsecutiveFailures()).isEqualTo(2);
        assertThat(RunHistory.failuresInARow(status, failure("orders-d-3", "AuthenticationFailed", 1L, null)))
                .as("another reason")
                .isEqualTo(1);
        assertThat(RunHistory.failuresInARow(status, failure("orders-d-3", "DatabaseUnreachable", 2L, null)))
                .as("another generation")
                .isEqualTo(1);
        assertThat(RunHistory.failuresInARow(status, failure("orders-d-3", "DatabaseUnreachable", 1L, "again")))
                .as("a retry request")
                .isEqualTo(1);
        assertThat(RunHistory.failuresInARow(status, failure("orders-d-3", "DatabaseUnreachable", 1L, null)))
                .isEqualTo(3);
    }

    private static RunStatus failure(String job, String reason, Long generation, String retryRequest) {
        RunStatus run = new RunStatus();
        run.setJob(job);
        run.setDigest("d");
        run.setOutcome(Outcome.Failed);
        run.setReason(reason);
        run.setGeneration(generation);
        run.setRetryRequest(retryRequest);
        return run;
    }

    private static JobState job(String condition, String reason) {
        Job job = new JobBuilder()
                .withNewMetadata()
                .withName("orders-abc-1")
                .withCreationTimestamp("2026-12-01T10:00:00Z")
                .addToLabels(Labels.ATTEMPT, "1")
                .addToAnnotations(Labels.DIGEST, "abc")
                .addToAnnotations(Labels.GENERATION, "4")
                .endMetadata()
                .withNewStatus()
                .addNewCondition()
                .withType(condition)
                .withStatus("True")
                .withReason(reason)
                .withMessage(reason == null ? null : "Job was active longer than specified deadline")
                .withLastTransitionTime("2026-12-01T10:01:00Z")
                .endCondition()
                .endStatus()
                .build();
        return new JobState(job);
    }

    /** A pod whose copy init container failed, so that its runner never started. */
    private static Pod copyFailed(int exitCode, String reason, String message) {
        return new PodBuilder()
                .withNewMetadata()
                .withName("orders-abc-1-x")
                .withCreationTimestamp("2026-12-01T10:00:01Z")
                .endMetadata()
                .withNewStatus()
                .addNewInitContainerStatus()
                .withName(MigrationJob.COPY_CONTAINER)
                .withNewState()
                .withNewTerminated()
                .withExitCode(exitCode)
                .withReason(reason)
                .withMessage(message)
                .endTerminated()
                .endState()
                .endInitContainerStatus()
                .addNewContainerStatus()
                .withName(MigrationJob.RUNNER_CONTAINER)
                .withNewState()
                .withNewWaiting()
                .withReason("PodInitializing")
                .endWaiting()
                .endState()
                .endContainerStatus()
                .endStatus()
                .build();
    }

    private static Pod pod(int exitCode, String terminationMessage) {
        return new PodBuilder()
                .withNewMetadata()
                .withName("orders-abc-1-x")
                .withCreationTimestamp("2026-12-01T10:00:01Z")
                .endMetadata()
                .withNewStatus()
                .addNewContainerStatus()
                .withName(MigrationJob.RUNNER_CONTAINER)
                .withNewState()
                .withNewTerminated()
                .withExitCode(exitCode)
                .withMessage(terminationMessage)
                .endTerminated()
                .endState()
                .endContainerStatus()
                .endStatus()
                .build();
    }
}
