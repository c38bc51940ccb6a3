package io.schemagate.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A Job's end, as the Job controller reports it and as its pods tell it a second earlier. */
class JobStateTest {
    private static final Job ACTIVE = new JobBuilder()
            .withNewMetadata()
            .withName("orders-abc-1")
            .withCreationTimestamp("2026-12-01T10:00:00Z")
            .endMetadata()
            .withNewStatus()
            .withActive(1)
            .endStatus()
            .build();

    @Test
    void aJobWhoseNewestPodSucceededHasSucceededAtTheEndOfItsContainer() {
        JobState state = JobState.of(
                ACTIVE,
                List.of(
                        pod("orders-abc-1-a", "2026-12-01T10:00:01Z", "Failed", "2026-12-01T10:00:03Z"),
                        pod("orders-abc-1-b", "2026-12-01T10:00:05Z", "Succeeded", "2026-12-01T10:00:07Z")));

        assertThat(state.isFinished()).isTrue();
        assertThat(state.isSucceeded()).isTrue();
        assertThat(state.isActive()).isFalse();
        assertThat(state.finishedAt()).contains("2026-12-01T10:00:07Z");
    }

    @Test
    void aFailedPodLeavesTheVerdictToTheJobWhichMayStillRetryIt() {
        JobState state = JobState.of(
                ACTIVE,
                List.of(
                        pod("orders-abc-1-b", "2026-12-01T10:00:05Z", "Succeeded", "2026-12-01T10:00:07Z"),
                        pod("orders-abc-1-c", "2026-12-01T10:00:09Z", "Failed", "2026-12-01T10:00:10Z")));

        assertThat(state.isFinished()).isFalse();
        assertThat(state.isActive()).isTrue();
        assertThat(state.finishedAt()).isEmpty();
    }

    @Test
    void theJobsOwnVerdictComesFirst() {
        Job failed = new JobBuilder(ACTIVE)
                .editStatus()
                .withActive(0)
                .addNewCondition()
                .withType("Failed")
                .withStatus("True")
                .withReason("DeadlineExceeded")
                .withLastTransitionTime("2026-12-01T10:00:08Z")
                .endCondition()
                .endStatus()
                .build();

        JobState state = JobState.of(
                failed, List.of(pod("orders-abc-1-b", "2026-12-01T10:00:05Z", "Succeeded", "2026-12-01T10:00:07Z")));

        assertThat(state.isSucceeded()).isFalse();
        assertThat(state.finishedAt()).contains("2026-12-01T10:00:08Z");
    }

    @Test
    void aRunningPodChangesNothing() {
        JobState state = JobState.of(
                ACTIVE,
                List.of(new PodBuilder(pod("orders-abc-1-a", "2026-12-01T10:00:01Z", "Running", null)).build()));

        assertThat(state.isActive()).isTrue();
    }

    private static Pod pod(String name, String created, String phase, String finishedAt) {
        PodBuilder pod = new PodBuilder()
                .withNewMetadata()
                .withName(name)
                .withCreationTimestamp(created)
                .endMetadata()
                .withNewStatus()
                .withPhase(phase)
                .endStatus();
        if (finishedAt != null) {
            pod.editStatus()
                    .addNewContainerStatus()
                    .withName(MigrationJob.RUNNER_CONTAINER)
                    .withNewState()
                    .withNewTerminated()
                    .withExitCode("Succeeded".equals(phase) ? 0 : 1)
                    .withFinishedAt(finishedAt)
                    .endTerminated()
                    .endState()
                    .endContainerStatus()
                    .endStatus();
        }
        return pod.build();
    }
}
