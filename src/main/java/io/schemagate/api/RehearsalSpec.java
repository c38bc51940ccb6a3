package io.schemagate.api;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;

/** A rehearsal of every run on a schema-only copy of the database first (docs/review.md). */
public class RehearsalSpec {
    @Default("false")
    @JsonPropertyDescription("When true, every run first applies its scripts to a scratch database on the same "
            + "server, made from a schema-only copy of the migrated schemas and the history table's rows, and drops "
            + "it afterwards whatever happens; a failure there stalls the resource (RehearsalFailed) with the real "
            + "database untouched. Engines flyway and sqlx. The role needs CREATEDB, unless database is set.")
    private boolean enabled;

    @Pattern("^[A-Za-z_][A-Za-z0-9_$]{0,62}$")
    @JsonPropertyDescription("A scratch database of the same server to rehearse in, for a role without CREATEDB: "
            + "its copies of the migrated schemas are dropped before and after each rehearsal. Unset: a database "
            + "<database>_sg_rehearsal_<random> is created and dropped.")
    private String database;

    public boolean isEnabled() {
        return enabled;
    }

    public void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }

    public String getDatabase() {
        return database;
    }

    public void setDatabase(String database) {
        this.database = database;
    }
}
