package io.schemagate.api;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import java.util.Map;

/** Settings of the Job that runs a migration. */
public class JobSpec {
    @JsonPropertyDescription("Service account of the Job's pod. Defaults to the namespace's default one.")
    private String serviceAccountName;

    @JsonPropertyDescription("Compute resources of the runner container.")
    private ResourceRequirements resources;

    @Default("600")
    @Min(1)
    @JsonPropertyDescription("Seconds a run may take before Kubernetes stops it and it counts as failed.")
    private Long activeDeadlineSeconds = 600L;

    @Default("0")
    @Min(0)
    @Max(10)
    @JsonPropertyDescription("Retries of the pod within one Job for transient failures (database "
            + "unreachable). A failed script is never retried: it needs a fix.")
    private Integer backoffLimit = 0;

    @Default("86400")
    @Min(0)
    @JsonPropertyDescription("Seconds a finished Job (and its logs) is kept before Kubernetes deletes it.")
    private Integer ttlSecondsAfterFinished = 86400;

    @JsonPropertyDescription("Extra labels for the Job's pod.")
    private Map<String, String> podLabels;

    @JsonPropertyDescription("Extra annotations for the Job's pod.")
    private Map<String, String> podAnnotations;

    public String getServiceAccountName() {
        return serviceAccountName;
    }

    public void setServiceAccountName(String serviceAccountName) {
        this.serviceAccountName = serviceAccountName;
    }

    public ResourceRequirements getResources() {
        return resources;
    }

    public void setResources(ResourceRequirements resources) {
        this.resources = resources;
    }

    public Long getActiveDeadlineSeconds() {
        return activeDeadlineSeconds;
    }

    public void setActiveDeadlineSeconds(Long activeDeadlineSeconds) {
        this.activeDeadlineSeconds = activeDeadlineSeconds;
    }

    public Integer getBackoffLimit() {
        return backoffLimit;
    }

    public void setBackoffLimit(Integer backoffLimit) {
        this.backoffLimit = backoffLimit;
    }

    public Integer getTtlSecondsAfterFinished() {
        return ttlSecondsAfterFinished;
    }

    public void setTtlSecondsAfterFinished(Integer ttlSecondsAfterFinished) {
        this.ttlSecondsAfterFinished = ttlSecondsAfterFinished;
    }

    public Map<String, String> getPodLabels() {
        return podLabels;
    }

    public void setPodLabels(Map<String, String> podLabels) {
        this.podLabels = podLabels;
    }

    public Map<String, String> getPodAnnotations() {
        return podAnnotations;
    }

    public void setPodAnnotations(Map<String, String> podAnnotations) {
        this.podAnnotations = podAnnotations;
    }
}
