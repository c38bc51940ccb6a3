package io.schemagate.api;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.schemagate.contract.Outcome;
import java.util.List;

/** One migration run: a Job, what it found and what it did. */
public class RunStatus {
    @JsonPropertyDescription("Name of the Job.")
    private String job;

    @JsonPropertyDescription("Digest of the migration set the run applied.")
    private String digest;

    @JsonPropertyDescription("Attempt number for this digest, from 1.")
    private Integer attempt;

    @JsonPropertyDescription("The image whose scripts the run applied (image and workload sources).")
    private String image;

    @JsonPropertyDescription("Highest version among the scripts the run found.")
    private String latest;

    @JsonPropertyDescription("Running, Succeeded or Failed.")
    private Outcome outcome;

    @JsonPropertyDescription("When the Job was created.")
    private String startedAt;

    @JsonPropertyDescription("When the run ended.")
    private String finishedAt;

    @JsonPropertyDescription("Schema version before the run.")
    private String from;

    @JsonPropertyDescription("Schema version after the run.")
    private String to;

    @JsonPropertyDescription("Number of migrations the run applied.")
    private Integer applied;

    @JsonPropertyDescription("The script that failed.")
    private String failedMigration;

    @JsonPropertyDescription("SQLSTATE of the failure, when the database reported one.")
    private String sqlState;

    @JsonPropertyDescription("Machine-readable cause of a failure, the same as the Ready condition's reason.")
    private String reason;

    @JsonPropertyDescription("What happened, in words.")
    private String message;

    @JsonPropertyDescription("The end of the runner's log when the run failed without a result.")
    private String logTail;

    @JsonPropertyDescription("Up for a run that applied migrations, Down for one that reverted them (spec.downgrade).")
    private String direction;

    @JsonPropertyDescription("The dump taken before the run (spec.backup).")
    private BackupStatus backup;

    @JsonPropertyDescription("The version this run recorded as applied without running its scripts (spec.adopt).")
    private String adopted;

    @JsonPropertyDescription("The digest of the plan approved for this run (spec.approval).")
    private String approvedPlan;

    @JsonPropertyDescription(
            "Who approved the plan, as the API server named them when they annotated " + "schemagate.io/approve.")
    private String approvedBy;

    @JsonPropertyDescription("The approver's groups, as the API server stated them.")
    private List<String> approverGroups;

    @JsonPropertyDescription("The resource's generation the run was started for.")
    private Long generation;

    @JsonPropertyDescription("The value of the annotation schemagate.io/retry when the run was started.")
    private String retryRequest;

    @JsonPropertyDescription("How many runs of this digest in a row, this one included, failed for this reason "
            + "with the same spec and retry request.")
    private Integer consecutiveFailures;

    public String getApprovedPlan() {
        return approvedPlan;
    }

    public void setApprovedPlan(String approvedPlan) {
        this.approvedPlan = approvedPlan;
    }

    public String getApprovedBy() {
        return approvedBy;
    }

    public void setApprovedBy(String approvedBy) {
        this.approvedBy = approvedBy;
    }

    public List<String> getApproverGroups() {
        return approverGroups;
    }

    public void setApproverGroups(List<String> approverGroups) {
        this.approverGroups = approverGroups;
    }

    public String getDirection() {
        return direction;
    }

    public void setDirection(String direction) {
        this.direction = direction;
    }

    public BackupStatus getBackup() {
        return backup;
    }

    public void setBackup(BackupStatus backup) {
        this.backup = backup;
    }

    public String getAdopted() {
        return adopted;
    }

    public void setAdopted(String adopted) {
        this.adopted = adopted;
    }

    public Long getGeneration() {
        return generation;
    }

    public void setGeneration(Long generation) {
        this.generation = generation;
    }

    public String getRetryRequest() {
        return retryRequest;
    }

    public void setRetryRequest(String retryRequest) {
        this.retryRequest = retryRequest;
    }

    public Integer getConsecutiveFailures() {
        return consecutiveFailures;
    }

    public void setConsecutiveFailures(Integer consecutiveFailures) {
        this.consecutiveFailures = consecutiveFailures;
    }

    public String getJob() {
        return job;
    }

    public void setJob(String job) {
        this.job = job;
    }

    public String getDigest() {
        return digest;
    }

    public void setDigest(String digest) {
        this.digest = digest;
    }

    public Integer getAttempt() {
        return attempt;
    }

    public void setAttempt(Integer attempt) {
        this.attempt = attempt;
    }

    public Outcome getOutcome() {
        return outcome;
    }

    public void setOutcome(Outcome outcome) {
        this.outcome = outcome;
    }

    public String getStartedAt() {
        return startedAt;
    }

    public void setStartedAt(String startedAt) {
        this.startedAt = startedAt;
    }

    public String getFinishedAt() {
        return finishedAt;
    }

    public void setFinishedAt(String finishedAt) {
        this.finishedAt = finishedAt;
    }

    public String getFrom() {
        return from;
    }

    public void setFrom(String from) {
        this.from = from;
    }

    public String getTo() {
        return to;
    }

    public void setTo(String to) {
        this.to = to;
    }

    public Integer getApplied() {
        return applied;
    }

    public void setApplied(Integer applied) {
        this.applied = applied;
    }

    public String getFailedMigration() {
        return failedMigration;
    }

    public void setFailedMigration(String failedMigration) {
        this.failedMigration = failedMigration;
    }

    public String getSqlState() {
        return sqlState;
    }

    public void setSqlState(String sqlState) {
        this.sqlState = sqlState;
    }

    public String getReason() {
        return reason;
    }

    public void setReason(String reason) {
        this.reason = reason;
    }

    public String getMessage() {
        return message;
    }

    public void setMessage(String message) {
        this.message = message;
    }

    public String getLogTail() {
        return logTail;
    }

    public void setLogTail(String logTail) {
        this.logTail = logTail;
    }

    public String getImage() {
        return image;
    }

    public void setImage(String image) {
        this.image = image;
    }

    public String getLatest() {
        return latest;
    }

    public void setLatest(String latest) {
        this.latest = latest;
    }
}
