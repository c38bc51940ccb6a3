package io.schemagate.api;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;

/** Taking over a database built by hand or by another tool: its history recorded, no script run. */
public class AdoptSpec {
    @Required
    @Pattern(DatabaseMigrationSpec.TARGET_PATTERN)
    @JsonPropertyDescription("The version (for engine alembic the revision) the database is already at. The first "
            + "run records the engine's history up to it without running those scripts (Flyway's baseline, sqlx's "
            + "rows, alembic stamp, or spec.command.adoptArgs such as golang-migrate's force), then applies the rest. Done once: refused when the history table already has "
            + "rows (AdoptRefused), and recorded in status.adoption.")
    private String version;

    public AdoptSpec() {}

    public AdoptSpec(String version) {
        this.version = version;
    }

    public String getVersion() {
        return version;
    }

    public void setVersion(String version) {
        this.version = version;
    }
}
