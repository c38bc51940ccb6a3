package io.schemagate.db;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * The shape of a migration tool's history table: which columns SchemaGate reads the revision from,
 * and how the tool names its scripts, where SchemaGate can tell a script's version from its name.
 * The constants are spelled as {@code spec.command.history.format} spells them.
 */
public enum HistoryFormat {
    /** {@code flyway_schema_history}: a row per migration, with checksums. */
    flyway(HistoryTable.DEFAULT_TABLE, true, null),
    /** {@code _sqlx_migrations}: a row per migration, with SHA-384 checksums. */
    sqlx(SqlxScripts.DEFAULT_TABLE, true, null),
    /** golang-migrate's {@code schema_migrations}: one row, the current version and whether it is dirty. */
    @JsonProperty("golang-migrate")
    golangMigrate("schema_migrations", false, "^([0-9]+)_.*\\.up\\.[^.]+$"),
    /** goose's {@code goose_db_version}: a row per migration applied (and, from old versions, undone). */
    goose("goose_db_version", true, "^([0-9]+)_.*\\.(sql|go)$"),
    /** dbmate's {@code schema_migrations}: a row per migration, its version as text, no dirty flag. */
    dbmate("schema_migrations", true, "^([0-9]+)_.*\\.sql$"),
    /** Alembic's {@code alembic_version}: a row per head, its revision id; the graph is in the scripts. */
    alembic(AlembicScripts.DEFAULT_TABLE, false, null),
    /** Liquibase's {@code databasechangelog}: a row per changeset run, with its id, author, file and tag. */
    liquibase("databasechangelog", true, null);

    private final String defaultTable;
    private final boolean rowPerMigration;
    /** Null where SchemaGate cannot tell a script's version from its name. */
    private final @Nullable Pattern scriptName;

    HistoryFormat(String defaultTable, boolean rowPerMigration, @Nullable String scriptName) {
        this.defaultTable = defaultTable;
        this.rowPerMigration = rowPerMigration;
        this.scriptName = scriptName == null ? null : Pattern.compile(scriptName);
    }

    public String defaultTable() {
        return defaultTable;
    }

    /** Whether the table keeps a row for every applied migration, so that they can be counted. */
    public boolean keepsRowPerMigration() {
        return rowPerMigration;
    }

    /**
     * Whether revisions are numbers in order (every format but Alembic's and Liquibase's, whose
     * revisions are ids: reached when the history holds them, not when a higher number is applied).
     */
    public boolean hasOrderedVersions() {
        return this != alembic && this != liquibase;
    }

    /**
     * The version of a forward script of the tool that writes this format, from its file name; empty
     * for other files, and for the formats whose scripts the runner reads itself (flyway, sqlx).
     */
    public Optional<Version> scriptVersion(String fileName) {
        if (scriptName == null) {
            return Optional.empty();
        }
        Matcher match = scriptName.matcher(fileName);
        if (!match.matches() || match.group(1).length() > 18) {
            return Optional.empty();
        }
        return Optional.of(Version.parse(Long.toString(Long.parseLong(match.group(1)))));
    }

    /** The name the spec uses. */
    @Override
    public String toString() {
        return this == golangMigrate ? "golang-migrate" : name();
    }
}
