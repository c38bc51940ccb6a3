package io.schemagate.db;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * The shape of a migration tool's history table: which columns SchemaGate reads the revision from.
 * The constants are spelled as {@code spec.command.history.format} spells them.
 */
public enum HistoryFormat {
    /** {@code flyway_schema_history}: a row per migration, with checksums. */
    flyway(HistoryTable.DEFAULT_TABLE, true),
    /** {@code _sqlx_migrations}: a row per migration, with SHA-384 checksums. */
    sqlx(SqlxScripts.DEFAULT_TABLE, true),
    /** golang-migrate's {@code schema_migrations}: one row, the current version and whether it is dirty. */
    @JsonProperty("golang-migrate")
    golangMigrate("schema_migrations", false);

    private final String defaultTable;
    private final boolean rowPerMigration;

    HistoryFormat(String defaultTable, boolean rowPerMigration) {
        this.defaultTable = defaultTable;
        this.rowPerMigration = rowPerMigration;
    }

    public String defaultTable() {
        return defaultTable;
    }

    /** Whether the table keeps a row for every applied migration, so that they can be counted. */
    public boolean keepsRowPerMigration() {
        return rowPerMigration;
    }

    /** The name the spec uses. */
    @Override
    public String toString() {
        return this == golangMigrate ? "golang-migrate" : name();
    }
}
