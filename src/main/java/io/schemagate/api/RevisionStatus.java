package io.schemagate.api;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.List;

/** The schema revision as the database's history table tells it. */
public class RevisionStatus {
    @JsonPropertyDescription("Highest successfully applied version; absent while the schema has none.")
    private String current;

    @JsonPropertyDescription("The version the resource asks for, with 'latest' resolved when the scripts "
            + "are known.")
    private String target;

    @JsonPropertyDescription("Number of successfully applied versioned migrations; absent for a tool whose "
            + "history keeps only the current version (golang-migrate).")
    private Integer applied;

    @JsonPropertyDescription("Versions declared by the source, up to the target, not yet applied.")
    private List<String> pending;

    @JsonPropertyDescription("Set when the database differs from what the source declares in a way no run "
            + "explains: a version applied that the source lacks, or an applied script whose content changed.")
    private String drift;

    @JsonPropertyDescription("Indexes of the managed schemas that PostgreSQL marks invalid, left by an "
            + "interrupted concurrent index build; no run starts while there are any.")
    private List<String> invalidIndexes;

    public List<String> getInvalidIndexes() {
        return invalidIndexes;
    }

    public void setInvalidIndexes(List<String> invalidIndexes) {
        this.invalidIndexes = invalidIndexes;
    }

    public String getCurrent() {
        return current;
    }

    public void setCurrent(String current) {
        this.current = current;
    }

    public String getTarget() {
        return target;
    }

    public void setTarget(String target) {
        this.target = target;
    }

    public Integer getApplied() {
        return applied;
    }

    public void setApplied(Integer applied) {
        this.applied = applied;
    }

    public List<String> getPending() {
        return pending;
    }

    public void setPending(List<String> pending) {
        this.pending = pending;
    }

    public String getDrift() {
        return drift;
    }

    public void setDrift(String drift) {
        this.drift = drift;
    }

}
