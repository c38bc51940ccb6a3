package io.schemagate.db.history;

import io.schemagate.db.AppliedMigration;
import io.schemagate.db.HistoryTable;
import io.schemagate.db.SchemaRevision;
import io.schemagate.db.Version;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.Optional;

/** goose's {@code goose_db_version}: a row per migration applied (and, from old versions, undone). */
public final class GooseHistory implements HistoryDialect {

    private static final NumberedScripts SCRIPTS = new NumberedScripts("^([0-9]+)_.*\\.(sql|go)$");

    @Override
    public String defaultTable() {
        return "goose_db_version";
    }

    @Override
    public boolean keepsRowPerMigration() {
        return true;
    }

    @Override
    public Optional<Version> scriptVersion(String fileName) {
        return SCRIPTS.version(fileName);
    }

    /**
     * The newest row of each version says whether it is applied: goose before 3.x wrote a row with
     * is_applied = false when it undid one. Version 0 is goose's own first row.
     */
    @Override
    public SchemaRevision read(Connection jdbc, HistoryTable table, HistoryQueries queries) throws SQLException {
        return SchemaRevision.fromHistory(queries.rows(
                jdbc,
                table,
                "SELECT version, tstamp FROM (SELECT DISTINCT ON (version_id) version_id AS version,"
                        + " is_applied, tstamp FROM " + table.qualifiedName() + " WHERE version_id > 0"
                        + " ORDER BY version_id, id DESC) AS newest WHERE is_applied ORDER BY version",
                GooseHistory::row));
    }

    private static AppliedMigration row(int rank, ResultSet result) throws SQLException {
        Timestamp installedOn = result.getTimestamp("tstamp");
        return new AppliedMigration(
                rank,
                Version.parse(Long.toString(result.getLong("version"))),
                "",
                AppliedMigration.SQL_TYPE,
                null,
                null,
                installedOn == null ? null : installedOn.toInstant(),
                true);
    }
}
