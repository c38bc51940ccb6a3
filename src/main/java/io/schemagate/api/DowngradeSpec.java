package io.schemagate.api;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;

/** Whether a target below the database's revision may run the engine's down path. */
public class DowngradeSpec {
    @Default("false")
    @JsonPropertyDescription("When true, a spec.target below the current revision reverts the migrations above it: "
            + "sqlx's .down.sql scripts, alembic downgrade <target>, or spec.command.downArgs. Never for Flyway, "
            + "whose free edition has no down path. When false such a target is refused (TargetBehindDatabase). "
            + "Only an explicit target migrates down: 'latest', and a Deployment's rollback, never do.")
    private boolean allowed;

    public DowngradeSpec() {}

    public DowngradeSpec(boolean allowed) {
        this.allowed = allowed;
    }

    public boolean isAllowed() {
        return allowed;
    }

    public void setAllowed(boolean allowed) {
        this.allowed = allowed;
    }
}
