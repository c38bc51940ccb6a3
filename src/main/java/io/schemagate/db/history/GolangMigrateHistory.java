package io.schemagate.db.history;

import io.schemagate.db.AppliedMigration;
import io.schemagate.db.HistoryTable;
import io.schemagate.db.SchemaRevision;
import io.schemagate.db.Version;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;

/** golang-migrate's {@code schema_migrations}: one row, the current version and whether it is dirty. */
public final class GolangMigrateHistory implements HistoryDialect {

    private static final NumberedScripts SCRIPTS = new NumberedScripts("^([0-9]+)_.*\\.up\\.[^.]+$");

    @Override
    public String defaultTable() {
        return "schema_migrations";
    }

    @Override
    public boolean keepsRowPerMigration() {
        return false;
    }

    @Override
    public Optional<Version> scriptVersion(String fileName) {
        return SCRIPTS.version(fileName);
    }

    @Override
    public SchemaRevision read(Connection jdbc, HistoryTable table, HistoryQueries queries) throws SQLException {
        return SchemaRevision.fromHistory(queries.rows(
                jdbc, table, "SELECT version, dirty FROM " + table.qualifiedName(), GolangMigrateHistory::row));
    }

    @Override
    public String repairAdvice(HistoryTable table) {
        return "the database is dirty: complete or undo that migration's changes by hand, then set the version it is"
                + " at with golang-migrate's force command, and run again";
    }

    /** The version it reached, and whether the script that got it there failed half-way (dirty): a failed row. */
    private static AppliedMigration row(int rank, ResultSet result) throws SQLException {
        return new AppliedMigration(
                rank,
                Version.parse(Long.toString(result.getLong("version"))),
                "",
                AppliedMigration.SQL_TYPE,
                null,
                null,
                null,
                !result.getBoolean("dirty"));
    }
}
