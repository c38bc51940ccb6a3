package io.schemagate.reconcile;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.fabric8.kubernetes.api.model.ContainerStateTerminated;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.batch.v1.JobCondition;
import io.schemagate.api.RunStatus;
import io.schemagate.runner.ErrorKind;
import io.schemagate.runner.MigrationResult;
import io.schemagate.runner.Outcome;
import io.schemagate.support.Json;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Turns a Job and its pods into the record of a run. The essentials come from the runner's JSON
 * result in the container's termination message, never from scraping logs.
 */
public final class RunRecords {
    static final String RUNNING = "Running";
    static final String SUCCEEDED = "Succeeded";
    static final String FAILED = "Failed";
    private static final int MAX_LOG_TAIL = 2000;

    private RunRecords() {
    }

    public static RunStatus running(JobState job) {
        RunStatus run = new RunStatus();
        run.setJob(job.name());
        run.setDigest(job.digest());
        run.setAttempt(job.attempt());
        run.setStartedAt(job.job().getMetadata().getCreationTimestamp());
        Map<String, String> annotations = job.job().getMetadata().getAnnotations();
        run.setImage(annotations == null ? null : annotations.get(Labels.IMAGE));
        run.setOutcome(RUNNING);
        return run;
    }

    /** The record of a finished Job, from its newest pod's runner container. */
    public static RunStatus finished(JobState job, List<Pod> pods) {
        RunStatus run = running(job);
        run.setFinishedAt(job.finishedAt().orElse(null));
        Optional<ContainerStateTerminated> terminated = newestRunnerTermination(pods);
        Optional<MigrationResult> result = terminated.map(ContainerStateTerminated::getMessage)
                .flatMap(RunRecords::parse);
        if (result.isPresent()) {
            apply(run, result.get());
        } else {
            run.setOutcome(job.isSucceeded() ? SUCCEEDED : FAILED);
            if (!job.isSucceeded()) {
                run.setReason(Reasons.RUN_FAILED);
                run.setMessage(withoutResult(job, terminated));
                terminated.map(ContainerStateTerminated::getMessage).filter(m -> !m.isBlank())
                        .map(RunRecords::tail).ifPresent(run::setLogTail);
            }
        }
        return run;
    }

    /** A failed run is worth retrying unless the runner said its cause is deterministic. */
    public static boolean isRetryable(RunStatus run) {
        if (!FAILED.equals(run.getOutcome())) {
            return false;
        }
        try {
            return run.getReason() == null || Reasons.RUN_FAILED.equals(run.getReason())
                    || ErrorKind.valueOf(run.getReason()).isTransient();
        } catch (IllegalArgumentException unknownReason) {
            return true;
        }
    }

    private static void apply(RunStatus run, MigrationResult result) {
        run.setOutcome(result.outcome() == Outcome.Succeeded ? SUCCEEDED : FAILED);
        run.setFrom(result.from());
        run.setTo(result.to());
        run.setLatest(result.latest());
        run.setApplied(result.applied());
        run.setFailedMigration(result.failedMigration());
        run.setSqlState(result.sqlState());
        run.setReason(result.errorKind() == null ? null : result.errorKind().name());
        run.setMessage(result.message());
    }

    private static Optional<MigrationResult> parse(String message) {
        if (message == null || !message.startsWith("{")) {
            return Optional.empty();
        }
        try {
            return Optional.of(Json.read(message, MigrationResult.class));
        } catch (JsonProcessingException notAResult) {
            return Optional.empty();
        }
    }

    private static String withoutResult(JobState job, Optional<ContainerStateTerminated> terminated) {
        String because = job.failure().map(RunRecords::describe).orElse("the Job failed");
        return terminated.map(t -> "the runner exited with code " + t.getExitCode() + " without a result; " + because)
                .orElse("no runner container finished; " + because);
    }

    private static String describe(JobCondition failure) {
        return failure.getReason() + (failure.getMessage() == null ? "" : ": " + failure.getMessage());
    }

    private static Optional<ContainerStateTerminated> newestRunnerTermination(List<Pod> pods) {
        return pods.stream()
                .sorted(Comparator.comparing((Pod p) -> p.getMetadata().getCreationTimestamp()).reversed())
                .map(pod -> pod.getStatus() == null ? null : pod.getStatus().getContainerStatuses())
                .filter(statuses -> statuses != null)
                .flatMap(List::stream)
                .filter(status -> MigrationJob.RUNNER_CONTAINER.equals(status.getName()))
                .map(ContainerStatus::getState)
                .filter(state -> state != null && state.getTerminated() != null)
                .map(state -> state.getTerminated())
                .findFirst();
    }

    private static String tail(String text) {
        return text.length() <= MAX_LOG_TAIL ? text : text.substring(text.length() - MAX_LOG_TAIL);
    }
}
