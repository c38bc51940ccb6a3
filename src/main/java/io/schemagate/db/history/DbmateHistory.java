package io.schemagate.db.history;

import io.schemagate.db.AppliedMigration;
import io.schemagate.db.HistoryTable;
import io.schemagate.db.SchemaRevision;
import io.schemagate.db.SqlStates;
import io.schemagate.db.UnexpectedHistoryTableException;
import io.schemagate.db.Version;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;

/** dbmate's {@code schema_migrations}: a row per migration, its version as text, no dirty flag. */
public final class DbmateHistory implements HistoryDialect {

    private static final NumberedScripts SCRIPTS = new NumberedScripts("^([0-9]+)_.*\\.sql$");

    @Override
    public String defaultTable() {
        return "schema_migrations";
    }

    @Override
    public boolean keepsRowPerMigration() {
        return true;
    }

    @Override
    public Optional<Version> scriptVersion(String fileName) {
        return SCRIPTS.version(fileName);
    }

    @Override
    public SchemaRevision read(Connection jdbc, HistoryTable table, HistoryQueries queries) throws SQLException {
        if (queries.hasColumn(jdbc, table, "dirty")) {
            // golang-migrate's table of the same name, whose single row dbmate's reading would misread.
            throw new UnexpectedHistoryTableException(
                    table, new SQLException("it has golang-migrate's dirty column", SqlStates.UNDEFINED_COLUMN));
        }
        return SchemaRevision.fromHistory(queries.rows(
                jdbc, table, "SELECT version FROM " + table.qualifiedName() + " ORDER BY version", DbmateHistory::row));
    }

    /** dbmate keeps versions as text: the numeric prefix of each script's name. */
    private static AppliedMigration row(int rank, ResultSet result) throws SQLException {
        String version = result.getString("version").trim();
        if (!Version.isValid(version)) {
            throw new SQLException("dbmate version '" + version + "' is not a number", SqlStates.UNDEFINED_COLUMN);
        }
        return new AppliedMigration(
                rank, Version.parse(version), "", AppliedMigration.SQL_TYPE, null, null, null, true);
    }
}
