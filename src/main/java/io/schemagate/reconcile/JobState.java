package io.schemagate.reconcile;

import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobCondition;
import java.util.Optional;

/** Reads what SchemaGate needs from one of its Jobs: labels it set, and whether the Job has ended. */
public record JobState(Job job) {

    public String name() {
        return job.getMetadata().getName();
    }

    /** The full digest of the run, kept in an annotation: a label value could not hold it. */
    public String digest() {
        return job.getMetadata().getAnnotations() == null ? null
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
        return condition("Complete").isPresent() || condition("Failed").isPresent();
    }

    public boolean isSucceeded() {
        return condition("Complete").isPresent();
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

    /** When the Job ended, from its terminal condition. */
    public Optional<String> finishedAt() {
        return condition("Complete").or(() -> condition("Failed")).map(JobCondition::getLastTransitionTime);
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
