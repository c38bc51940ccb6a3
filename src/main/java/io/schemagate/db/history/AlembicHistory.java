package io.schemagate.db.history;

import io.schemagate.db.AlembicScripts;
import io.schemagate.db.HistoryTable;
import io.schemagate.db.NamedRevision;
import io.schemagate.db.SchemaRevision;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;

/**
 * Alembic's {@code alembic_version}: a row per head, its revision id, and nothing else: which
 * revisions lie below the heads is in the scripts.
 */
public final class AlembicHistory implements HistoryDialect {

    @Override
    public String defaultTable() {
        return AlembicScripts.DEFAULT_TABLE;
    }

    @Override
    public boolean keepsRowPerMigration() {
        return false;
    }

    @Override
    public boolean hasOrderedVersions() {
        return false;
    }

    @Override
    public SchemaRevision read(Connection jdbc, HistoryTable table, HistoryQueries queries) throws SQLException {
        List<String> heads = queries.rows(
                jdbc,
                table,
                "SELECT version_num FROM " + table.qualifiedName() + " ORDER BY version_num",
                (rank, row) -> row.getString(1));
        return SchemaRevision.named(List.of(), NamedRevision.ofHeads(heads));
    }

    /** Its current label is the heads, comma-separated. */
    @Override
    public List<String> revisionsOf(String current) {
        return NamedRevision.headsOf(current);
    }
}
