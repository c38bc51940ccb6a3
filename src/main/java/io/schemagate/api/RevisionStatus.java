package io.schemagate.api;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.List;

/** The schema revision as the database's history table tells it. */
public class RevisionStatus {
    @JsonPropertyDescription("Highest successfully applied version; absent while the schema has none. Alembic: "
            + "the heads in alembic_version, comma-separated; Liquibase: the id of the changeset run last.")
    private String current;

    @JsonPropertyDescription("The version the resource asks for, with 'latest' resolved when the scripts are known.")
    private String target;

    @JsonPropertyDescription("Number of successfully applied versioned migrations; absent for a tool whose "
            + "history keeps only the current version (golang-migrate).")
    private Integer applied;

    @JsonPropertyDescription("Versions declared by the source, up to the target, not yet applied.")
    private List<String> pending;

    @JsonPropertyDescription("Set when the database differs from what the source declares in a way no run "
            + "explains: a version applied that the source lacks, or an applied script whose content changed.")
    private String drift;

    @JsonPropertyDescription("Revisions that are ids (Alembic, Liquibase), newest first: those a pod's "
            + "schemagate.io/revision may name and find met. Alembic: the heads and every revision below them in the "
            + "scripts' graph, as the last run found them; Liquibase: the ids and tags of the changesets run. Cut at "
            + "about 2,500 bytes, the oldest left out.")
    private List<String> reached;

    @JsonPropertyDescription("Liquibase: the newest tag in databasechangelog.")
    private String tag;

    @JsonPropertyDescription("Liquibase: who holds databasechangeloglock, and since when; a run that died "
            + "holding it blocks every later one until it is released (liquibase release-locks).")
    private String lock;

    @JsonPropertyDescription("Indexes of the managed schemas that PostgreSQL marks invalid, left by an "
            + "interrupted concurrent index build; no run starts while there are any.")
    private List<String> invalidIndexes;

    public List<String> getInvalidIndexes() {
        return invalidIndexes;
    }

    public void setInvalidIndexes(List<String> invalidIndexes) {
        this.invalidIndexes = invalidIndexes;
    }

    public List<String> getReached() {
        return reached;
    }

    public void setReached(List<String> reached) {
        this.reached = reached;
    }

    public String getTag() {
        return tag;
    }

    public void setTag(String tag) {
        this.tag = tag;
    }

    public String getLock() {
        return lock;
    }

    public void setLock(String lock) {
        this.lock = lock;
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
