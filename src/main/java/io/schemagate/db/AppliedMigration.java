package io.schemagate.db;

import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * One row of an engine's history table (Flyway's columns; other engines' rows are read into them).
 *
 * @param version null for repeatable migrations and Flyway's schema-creation marker
 * @param type Flyway's migration type: SQL, JDBC, BASELINE, SCHEMA, DELETE, ...
 * @param script the file name; null where the engine records none (sqlx)
 * @param checksum as {@link Engine#checksum} renders it; null for rows Flyway writes without one
 *     (baseline, schema creation)
 * @param success false when the migration failed (only possible for non-transactional scripts
 *     on PostgreSQL, which Flyway then cannot roll back)
 * @param tag Liquibase: the tag set on this changeset's row; null otherwise
 */
public record AppliedMigration(
        int installedRank,
        @Nullable Version version,
        String description,
        String type,
        @Nullable String script,
        @Nullable String checksum,
        @Nullable Instant installedOn,
        boolean success,
        @Nullable String tag) {

    /** A row of an engine that tags none. */
    public AppliedMigration(
            int installedRank,
            @Nullable Version version,
            String description,
            String type,
            @Nullable String script,
            @Nullable String checksum,
            @Nullable Instant installedOn,
            boolean success) {
        this(installedRank, version, description, type, script, checksum, installedOn, success, null);
    }

    /** Flyway's marker for a migration that was deleted from the history with {@code repair}. */
    static final String DELETE_TYPE = "DELETE";

    static final String BASELINE_TYPE = "BASELINE";
    public static final String SQL_TYPE = "SQL";

    /** What names the migration in a message: its script, or its version and description. */
    public String label() {
        return script != null ? script : version + " (" + description + ")";
    }

    public boolean isVersioned() {
        return version != null;
    }

    boolean isUndo() {
        return type.startsWith("UNDO");
    }
}
