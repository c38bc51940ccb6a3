package io.schemagate.api;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.kubernetes.api.model.Condition;
import java.util.ArrayList;
import java.util.List;

/** What SchemaGate observed: the revision read from the database and the runs that got it there. */
public class DatabaseMigrationStatus {
    @JsonPropertyDescription("The metadata.generation this status describes.")
    private Long observedGeneration;

    @JsonPropertyDescription("Ready, Reconciling and Stalled, with kstatus semantics.")
    private List<Condition> conditions = new ArrayList<>();

    @JsonPropertyDescription("The schema revision, as read from the database's history table.")
    private RevisionStatus revision;

    @JsonPropertyDescription("What each of spec.verify's checks found when the database was last read.")
    private List<VerifyStatus> verify;

    @JsonPropertyDescription("The revision at which every check of spec.verify last passed: pods needing more "
            + "stay held while a check fails.")
    private String verifiedRevision;

    @JsonPropertyDescription(
            "Risky statements the change policy found in the pending scripts (spec.policy), at most 50.")
    private List<FindingStatus> findings;

    @JsonPropertyDescription("The run waiting for approval (spec.approval), with the digest that approves it.")
    private PlanStatus plan;

    @JsonPropertyDescription("Set once spec.adopt was carried out: the history was recorded, no script run.")
    private AdoptionStatus adoption;

    @JsonPropertyDescription("The migration set currently declared by the source.")
    private SourceStatus source;

    @JsonPropertyDescription("The latest migration run.")
    private RunStatus lastRun;

    @JsonPropertyDescription("The most recent runs, newest first (at most 10).")
    private List<RunStatus> history = new ArrayList<>();

    @JsonPropertyDescription("Images whose migrations were applied, newest first (at most 20), with the version "
            + "each needs; pods of an image not listed wait until a run for it succeeds.")
    private List<ImageRevision> images = new ArrayList<>();

    @JsonPropertyDescription("Pods currently held back by SchemaGate's scheduling gate.")
    private Integer gatedPods;

    public Long getObservedGeneration() {
        return observedGeneration;
    }

    public void setObservedGeneration(Long observedGeneration) {
        this.observedGeneration = observedGeneration;
    }

    public List<Condition> getConditions() {
        return conditions;
    }

    public void setConditions(List<Condition> conditions) {
        this.conditions = conditions;
    }

    public RevisionStatus getRevision() {
        return revision;
    }

    public void setRevision(RevisionStatus revision) {
        this.revision = revision;
    }

    public SourceStatus getSource() {
        return source;
    }

    public void setSource(SourceStatus source) {
        this.source = source;
    }

    public RunStatus getLastRun() {
        return lastRun;
    }

    public void setLastRun(RunStatus lastRun) {
        this.lastRun = lastRun;
    }

    public List<RunStatus> getHistory() {
        return history;
    }

    public void setHistory(List<RunStatus> history) {
        this.history = history;
    }

    public Integer getGatedPods() {
        return gatedPods;
    }

    public void setGatedPods(Integer gatedPods) {
        this.gatedPods = gatedPods;
    }

    public List<ImageRevision> getImages() {
        return images;
    }

    public void setImages(List<ImageRevision> images) {
        this.images = images;
    }

    public List<VerifyStatus> getVerify() {
        return verify;
    }

    public void setVerify(List<VerifyStatus> verify) {
        this.verify = verify;
    }

    public String getVerifiedRevision() {
        return verifiedRevision;
    }

    public void setVerifiedRevision(String verifiedRevision) {
        this.verifiedRevision = verifiedRevision;
    }

    public AdoptionStatus getAdoption() {
        return adoption;
    }

    public void setAdoption(AdoptionStatus adoption) {
        this.adoption = adoption;
    }

    public PlanStatus getPlan() {
        return plan;
    }

    public void setPlan(PlanStatus plan) {
        this.plan = plan;
    }

    public List<FindingStatus> getFindings() {
        return findings;
    }

    public void setFindings(List<FindingStatus> findings) {
        this.findings = findings;
    }
}
