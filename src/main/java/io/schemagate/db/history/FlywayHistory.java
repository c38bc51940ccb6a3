package io.schemagate.db.history;

import io.schemagate.db.AppliedMigration;
import io.schemagate.db.HistoryTable;
import io.schemagate.db.SchemaRevision;
import io.schemagate.db.Version;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;

/** {@code flyway_schema_history}: a row per migration, ranked, with checksums and failures. */
public final class FlywayHistory implements HistoryDialect {

    @Override
    public String defaultTable() {
        return HistoryTable.DEFAULT_TABLE;
    }

    @Override
    public boolean keepsRowPerMigration() {
        return true;
    }

    @Override
    public SchemaRevision read(Connection jdbc, HistoryTable table, HistoryQueries queries) throws SQLException {
        return SchemaRevision.fromHistory(queries.rows(
                jdbc,
                table,
                "SELECT installed_rank, version, description, type, script, checksum, installed_on, success FROM "
                        + table.qualifiedName() + " ORDER BY installed_rank",
                FlywayHistory::row));
    }

    @Override
    public String repairAdvice(HistoryTable table) {
        return "repair the schema and its history (flyway repair), then run again";
    }

    private static AppliedMigration row(int rank, ResultSet result) throws SQLException {
        String version = result.getString("version");
        Timestamp installedOn = result.getTimestamp("installed_on");
        return new AppliedMigration(
                result.getInt("installed_rank"),
                version == null ? null : Version.parse(version),
                result.getString("description"),
                result.getString("type"),
                result.getString("script"),
                result.getString("checksum"),
                installedOn == null ? null : installedOn.toInstant(),
                result.getBoolean("success"));
    }
}
