package io.schemagate.reconcile;

import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobCondition;
import io.schemagate.support.Timestamps;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Reads what SchemaGate needs from one of its Jobs: labels it set, and whether the Job has ended.
 *
 * @param podSucceededAt when the Job's newest pod ended in phase Succeeded, while the Job itself does
 *     not say it ended yet; null otherwise
 */
public record JobState(Job job, String podSucceededAt) {

    /** The Job as the Job controller reports it. */
    public JobState(Job job) {
        this(job, null);
    }

    /**
     * The Job as its pods tell it as well: ended once its newest pod Succeeded. The Job controller
     * batches pod updates for a second before it writes Complete, and the pods waiting for this run
     * need not wait for that. Only success is taken from the pod: a failed pod may still be
     * retried, so a failure waits for the Job's own verdict.
     */
    public static JobState of(Job job, List<Pod> pods) {
        JobState reported = new JobState(job);
        if (reported.isFinished()) {
            return reported;
        }
        return pods.stream()
                .filter(pod -> pod.getMetadata().getCreationTimestamp() != null)
                .max(Comparator.comparing(
                        pod -> Timestamps.parse(pod.getMetadata().getCreationTimestamp())))
                .filter(pod -> pod.getStatus() != null
                        && "Succeeded".equals(pod.getStatus().getPhase()))
                .map(pod -> new JobState(job, endOf(pod)))
                .orElse(reported);
    }

    /** When the pod's last container ended; the pod has just Succeeded, so now when it does not say. */
    private static String endOf(Pod pod) {
        return Optional.ofNullable(pod.getStatus().getContainerStatuses()).orElse(List.of()).stream()
                .map(ContainerStatus::getState)
                .filter(state -> state != null && state.getTerminated() != null)
                .map(state -> state.getTerminated().getFinishedAt())
                .filter(Objects::nonNull)
                .max(Comparator.comparing(Timestamps::parse))
                .orElseGet(() -> Timestamps.format(Instant.now()));
    }

    public String name() {
        return job.getMetadata().getName();
    }

    /** The full digest of the run, kept in an annotation: a label value could not hold it. */
    public String digest() {
        return job.getMetadata().getAnnotations() == null
                ? null
                : job.getMetadata().getAnnotations().get(Labels.DIGEST);
    }

    public int attempt() {
        String attempt = job.getMetadata().getLabels().get(Labels.ATTEMPT);
        try {
            return attempt == null ? 0 : Integer.parseInt(attempt);
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    public boolean isFinished() {
        return condition("Complete").isPresent() || condition("Failed").isPresent() || podSucceededAt != null;
    }

    public boolean isSucceeded() {
        return condition("Complete").isPresent() || podSucceededAt != null;
    }

    public boolean isActive() {
        return job.getMetadata().getDeletionTimestamp() == null && !isFinished();
    }

    public boolean isFor(String digest) {
        return digest.equals(digest());
    }

    /** Why Kubernetes failed the Job (for example DeadlineExceeded), when it did. */
    public Optional<JobCondition> failure() {
        return condition("Failed");
    }

    /** When the Job ended, from its terminal condition, or from its pod when that ended first. */
    public Optional<String> finishedAt() {
        return condition("Complete")
                .or(() -> condition("Failed"))
                .map(JobCondition::getLastTransitionTime)
                .or(() -> Optional.ofNullable(podSucceededAt));
    }

    private Optional<JobCondition> condition(String type) {
        if (job.getStatus() == null || job.getStatus().getConditions() == null) {
            return Optional.empty();
        }
        return job.getStatus().getConditions().stream()
                .filter(c -> type.equals(c.getType()) && "True".equals(c.getStatus()))
                .findFirst();
    }
}
