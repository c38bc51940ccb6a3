package io.schemagate.reconcile;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.fabric8.kubernetes.api.model.ContainerStateTerminated;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.batch.v1.JobCondition;
import io.fabric8.kubernetes.api.model.batch.v1.JobSpec;
import io.schemagate.api.BackupStatus;
import io.schemagate.api.RunStatus;
import io.schemagate.contract.BackupRecord;
import io.schemagate.contract.Direction;
import io.schemagate.contract.ErrorKind;
import io.schemagate.contract.MigrationResult;
import io.schemagate.contract.Outcome;
import io.schemagate.contract.RunnerEnvironment;
import io.schemagate.support.Json;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Turns a Job and its pods into the record of a run. The essentials come from the runner's JSON
 * result in the container's termination message, never from scraping logs.
 */
public final class RunRecords {
    private static final int MAX_LOG_TAIL = 2000;
    /** Reasons of runs that ended without the runner's result: nothing says running again cannot help. */
    private static final Set<String> TRANSIENT_WITHOUT_RESULT =
            Set.of(Reasons.RUN_FAILED, Reasons.DEADLINE_EXCEEDED, Reasons.RESULT_MISSING, Reasons.COMMAND_FAILED);
    /** Failures of the steps before the migration itself: see {@link #nothingRan}. */
    private static final Set<String> NOTHING_RAN = Set.of(Reasons.SOURCE_COPY_FAILED, Reasons.TOOL_NOT_FOUND);
    /** How container runtimes report a container whose command could not be executed at all. */
    private static final Set<String> NOT_STARTED = Set.of("StartError", "ContainerCannotRun");

    private RunRecords() {}

    public static RunStatus running(JobState job) {
        RunStatus run = new RunStatus();
        run.setJob(job.name());
        run.setDigest(job.digest());
        run.setAttempt(job.attempt());
        run.setStartedAt(job.job().getMetadata().getCreationTimestamp());
        Map<String, String> annotations = job.job().getMetadata().getAnnotations();
        run.setImage(annotations == null ? null : annotations.get(Labels.IMAGE));
        run.setGeneration(annotations == null ? null : number(annotations.get(Labels.GENERATION)));
        run.setRetryRequest(annotations == null ? null : annotations.get(Labels.RETRY_REQUEST));
        run.setApprovedPlan(annotations == null ? null : annotations.get(Labels.APPROVED_PLAN));
        Approver.of(annotations).ifPresent(approver -> {
            run.setApprovedBy(approver.name());
            run.setApproverGroups(approver.groups());
        });
        run.setOutcome(Outcome.Running);
        return run;
    }

    /** The record of a finished Job, from its newest pod's runner container. */
    public static RunStatus finished(JobState job, List<Pod> pods) {
        RunStatus run = running(job);
        run.setFinishedAt(job.finishedAt().orElse(null));
        Optional<MigrationResult> stepFailure = failedStep(pods, MigrationJob.REHEARSE_CONTAINER)
                .or(() -> failedStep(pods, MigrationJob.BACKUP_CONTAINER));
        if (stepFailure.isPresent()) {
            // The rehearsal or the dump before the run failed, so nothing ran: the step's own result says why.
            apply(run, stepFailure.get());
            return run;
        }
        Optional<ContainerStateTerminated> copy =
                newestTermination(pods, MigrationJob.COPY_CONTAINER).filter(RunRecords::failed);
        if (copy.isPresent()) {
            // Nothing ran; the same image fails the same way, so only a new image or mount runs again.
            run.setOutcome(Outcome.Failed);
            run.setReason(Reasons.SOURCE_COPY_FAILED);
            run.setMessage((NOT_STARTED.contains(copy.get().getReason())
                            ? "the image has no cp to copy the scripts out with ("
                                    + copy.get().getMessage() + ")"
                            : "cp exited with code " + copy.get().getExitCode() + ": "
                                    + Optional.ofNullable(copy.get().getMessage())
                                            .map(String::strip)
                                            .orElse(""))
                    + "; mount the image instead (source.image.mount or source.workload.mount: Volume), "
                    + "or check the source's path");
            return run;
        }
        if (newestTermination(pods, MigrationJob.ADOPT_CONTAINER)
                .filter(state -> !failed(state))
                .isPresent()) {
            run.setAdopted(stampedRevision(job));
        }
        Optional<ContainerStateTerminated> tool = newestTermination(pods, MigrationJob.ADOPT_CONTAINER)
                .filter(RunRecords::failed)
                .or(() -> newestTermination(pods, MigrationJob.TOOL_CONTAINER).filter(RunRecords::failed));
        if (tool.isPresent()) {
            // The command engine's tool failed, so the runner never ran: the tool's own output says why.
            // Retried with backoff; a tool that left its history dirty stalls on the next read instead.
            run.setOutcome(Outcome.Failed);
            if (NOT_STARTED.contains(tool.get().getReason())) {
                run.setReason(Reasons.TOOL_NOT_FOUND);
                run.setMessage("the tool could not be started in its image ("
                        + tool.get().getMessage() + "); check spec.command.image and spec.command.command");
                return run;
            }
            run.setReason(Reasons.COMMAND_FAILED);
            run.setMessage("the tool exited with code " + tool.get().getExitCode());
            Optional<String> output =
                    Optional.ofNullable(tool.get().getMessage()).filter(m -> !m.isBlank());
            output.map(RunRecords::tail).ifPresent(run::setLogTail);
            output.flatMap(ToolOutput::failedRevision).ifPresent(run::setFailedMigration);
            output.flatMap(ToolOutput::sqlState).ifPresent(run::setSqlState);
            return run;
        }
        Optional<ContainerStateTerminated> terminated = newestTermination(pods, MigrationJob.RUNNER_CONTAINER);
        Optional<MigrationResult> result =
                terminated.map(ContainerStateTerminated::getMessage).flatMap(RunRecords::resultOf);
        if (result.isPresent()) {
            apply(run, result.get());
            return run;
        }
        // Without the runner's word nothing is known to have succeeded, whatever the exit code said:
        // the revision in status comes from the database, and the run is tried again if it must be.
        run.setOutcome(Outcome.Failed);
        run.setReason(reasonWithoutResult(job));
        run.setMessage(withoutResult(job, terminated));
        terminated
                .map(ContainerStateTerminated::getMessage)
                .filter(m -> !m.isBlank())
                .map(RunRecords::tail)
                .ifPresent(run::setLogTail);
        return run;
    }

    /**
     * The revisions a successful run of an engine whose revisions are ids (Alembic) reached, newest
     * first, from its runner's result; empty for the other engines and for failed runs.
     */
    public static List<String> reachedBy(List<Pod> pods) {
        return newestTermination(pods, MigrationJob.RUNNER_CONTAINER)
                .map(ContainerStateTerminated::getMessage)
                .flatMap(RunRecords::resultOf)
                .filter(result -> result.outcome() == Outcome.Succeeded && result.reached() != null)
                .map(MigrationResult::reached)
                .orElse(List.of());
    }

    /** One description of a failed run, for conditions, events and logs alike. */
    public static String describeFailure(RunStatus run) {
        StringBuilder text = new StringBuilder("run ").append(run.getJob()).append(" failed");
        if (run.getFailedMigration() != null) {
            text.append(" in ").append(run.getFailedMigration());
        }
        if (run.getSqlState() != null) {
            text.append(" (SQLSTATE ").append(run.getSqlState()).append(')');
        }
        if (run.getMessage() != null) {
            text.append(": ").append(run.getMessage());
        }
        return text.toString();
    }

    private static String reasonWithoutResult(JobState job) {
        if (job.isSucceeded()) {
            return Reasons.RESULT_MISSING;
        }
        return job.failure()
                .filter(failure -> Reasons.DEADLINE_EXCEEDED.equals(failure.getReason()))
                .map(failure -> Reasons.DEADLINE_EXCEEDED)
                .orElse(Reasons.RUN_FAILED);
    }

    /**
     * A failed run that stopped before anything could run: the scripts were not copied out, or the
     * tool could not be started. The same spec fails the same way, so it is not retried; a new spec
     * (its mount, its image) may be the fix, and nothing is to be cleaned up before it runs.
     */
    public static boolean nothingRan(RunStatus run) {
        return run.getOutcome() == Outcome.Failed && NOTHING_RAN.contains(run.getReason());
    }

    /** A failed run is worth retrying unless the runner said its cause is deterministic. */
    public static boolean isRetryable(RunStatus run) {
        if (run.getOutcome() != Outcome.Failed || nothingRan(run)) {
            return false;
        }
        try {
            return run.getReason() == null
                    || TRANSIENT_WITHOUT_RESULT.contains(run.getReason())
                    || ErrorKind.valueOf(run.getReason()).isTransient();
        } catch (IllegalArgumentException unknownReason) {
            return true;
        }
    }

    private static Optional<MigrationResult> failedStep(List<Pod> pods, String container) {
        return newestTermination(pods, container)
                .filter(RunRecords::failed)
                .map(ContainerStateTerminated::getMessage)
                .flatMap(RunRecords::resultOf);
    }

    private static boolean failed(ContainerStateTerminated state) {
        return state.getExitCode() != null && state.getExitCode() != 0;
    }

    /** The version the adopt step recorded: its container's {@code SCHEMAGATE_ADOPT}, in the Job's template. */
    private static String stampedRevision(JobState job) {
        return Optional.ofNullable(job.job().getSpec()).map(JobSpec::getTemplate).map(PodTemplateSpec::getSpec).stream()
                .flatMap(pod -> pod.getInitContainers().stream())
                .filter(container -> MigrationJob.ADOPT_CONTAINER.equals(container.getName()))
                .flatMap(container -> Optional.ofNullable(container.getEnv()).orElse(List.of()).stream())
                .filter(variable -> RunnerEnvironment.ADOPT.equals(variable.getName()))
                .map(EnvVar::getValue)
                .findFirst()
                .orElse(null);
    }

    private static void apply(RunStatus run, MigrationResult result) {
        run.setOutcome(result.outcome() == Outcome.Succeeded ? Outcome.Succeeded : Outcome.Failed);
        run.setFrom(result.from());
        run.setTo(result.to());
        run.setLatest(result.latest());
        run.setApplied(result.applied());
        run.setFailedMigration(result.failedMigration());
        run.setSqlState(result.sqlState());
        run.setReason(result.errorKind() == null ? null : result.errorKind().name());
        run.setMessage(result.message());
        run.setDirection((result.direction() == null ? Direction.Up : result.direction()).name());
        if (result.adopted() != null) {
            run.setAdopted(result.adopted());
        }
        Optional.ofNullable(result.backup()).map(RunRecords::backupStatus).ifPresent(run::setBackup);
    }

    private static BackupStatus backupStatus(BackupRecord record) {
        BackupStatus backup = new BackupStatus();
        backup.setFile(record.file());
        backup.setSizeBytes(record.sizeBytes());
        backup.setDurationMillis(record.durationMillis());
        backup.setCompletedAt(record.completedAt());
        backup.setPgDump(record.pgDump());
        return backup;
    }

    /** The runner's result in a termination message; empty for anything else the container left there. */
    static Optional<MigrationResult> resultOf(String message) {
        if (message == null || !message.startsWith("{")) {
            return Optional.empty();
        }
        try {
            return Optional.of(Json.read(message, MigrationResult.class));
        } catch (JsonProcessingException notAResult) {
            return Optional.empty();
        }
    }

    /** How the kubelet says a container was killed by the kernel for its memory limit. */
    private static final String OOM_KILLED = "OOMKilled";

    private static String withoutResult(JobState job, Optional<ContainerStateTerminated> terminated) {
        if (job.isSucceeded()) {
            return "the Job completed but its runner left no readable result, so the run does not count as"
                    + " a success; status.revision is what the database says";
        }
        String because = job.failure().map(RunRecords::describe).orElse("the Job failed");
        return terminated
                .map(t -> OOM_KILLED.equals(t.getReason())
                        ? "the runner was killed for exceeding its memory limit (OOMKilled, exit code "
                                + t.getExitCode() + "): raise spec.job.resources.limits.memory; " + because
                        : "the runner exited with code " + t.getExitCode() + " without a result; " + because)
                .orElse("no runner container finished; " + because);
    }

    private static String describe(JobCondition failure) {
        return failure.getReason() + (failure.getMessage() == null ? "" : ": " + failure.getMessage());
    }

    /** How the named container (or init container) of the newest pod ended, if it did. */
    private static Optional<ContainerStateTerminated> newestTermination(List<Pod> pods, String container) {
        return pods.stream()
                .sorted(Comparator.comparing((Pod p) -> p.getMetadata().getCreationTimestamp())
                        .reversed())
                .filter(pod -> pod.getStatus() != null)
                .flatMap(pod -> Stream.concat(
                        Optional.ofNullable(pod.getStatus().getInitContainerStatuses()).orElse(List.of()).stream(),
                        Optional.ofNullable(pod.getStatus().getContainerStatuses()).orElse(List.of()).stream()))
                .filter(status -> container.equals(status.getName()))
                .map(ContainerStatus::getState)
                .filter(state -> state != null && state.getTerminated() != null)
                .map(state -> state.getTerminated())
                .findFirst();
    }

    private static Long number(String text) {
        try {
            return text == null ? null : Long.valueOf(text);
        } catch (NumberFormatException notANumber) {
            return null;
        }
    }

    private static String tail(String text) {
        return text.length() <= MAX_LOG_TAIL ? text : text.substring(text.length() - MAX_LOG_TAIL);
    }
}
