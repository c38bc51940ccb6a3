package io.schemagate.db.history;

import io.schemagate.db.AppliedMigration;
import io.schemagate.db.HistoryTable;
import io.schemagate.db.SchemaRevision;
import io.schemagate.db.SqlxScripts;
import io.schemagate.db.Version;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;

/** {@code _sqlx_migrations}: a row per migration, with SHA-384 checksums; a failed one leaves it dirty. */
public final class SqlxHistory implements HistoryDialect {

    @Override
    public String defaultTable() {
        return SqlxScripts.DEFAULT_TABLE;
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
                "SELECT version, description, encode(checksum, 'hex') AS checksum, installed_on, success FROM "
                        + table.qualifiedName() + " ORDER BY version",
                SqlxHistory::row));
    }

    @Override
    public String repairAdvice(HistoryTable table) {
        return "the database is dirty: complete or undo that migration's changes by hand, then delete its row from "
                + table + " and run again";
    }

    /** sqlx keeps no rank, script name nor type: its rows are ordered by version and all plain SQL. */
    private static AppliedMigration row(int rank, ResultSet result) throws SQLException {
        Timestamp installedOn = result.getTimestamp("installed_on");
        return new AppliedMigration(
                rank,
                Version.parse(Long.toString(result.getLong("version"))),
                result.getString("description"),
                AppliedMigration.SQL_TYPE,
                null,
                result.getString("checksum"),
                installedOn == null ? null : installedOn.toInstant(),
                result.getBoolean("success"));
    }
}
