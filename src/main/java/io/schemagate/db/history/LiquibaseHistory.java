package io.schemagate.db.history;

import io.schemagate.db.AppliedMigration;
import io.schemagate.db.DatabaseConnection;
import io.schemagate.db.HistoryTable;
import io.schemagate.db.NamedRevision;
import io.schemagate.db.SchemaRevision;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/** Liquibase's {@code databasechangelog}: a row per changeset run, with its id, author, file and tag. */
public final class LiquibaseHistory implements HistoryDialect {

    @Override
    public String defaultTable() {
        return "databasechangelog";
    }

    @Override
    public boolean keepsRowPerMigration() {
        return true;
    }

    @Override
    public boolean hasOrderedVersions() {
        return false;
    }

    @Override
    public boolean recordsEveryRevision() {
        return true;
    }

    /**
     * The changesets in the order they ran; the ids and tags a pod may ask for, newest first; and its
     * lock, which a run that died holding it leaves taken until someone releases it.
     */
    @Override
    public SchemaRevision read(Connection jdbc, HistoryTable table, HistoryQueries queries) throws SQLException {
        List<AppliedMigration> rows = queries.rows(
                jdbc,
                table,
                "SELECT id, author, filename, dateexecuted, orderexecuted, exectype, md5sum, tag FROM "
                        + table.qualifiedName() + " ORDER BY orderexecuted, dateexecuted",
                (rank, result) -> {
                    Timestamp installedOn = result.getTimestamp("dateexecuted");
                    String id = result.getString("id");
                    // A changeset as Liquibase names it, file::id::author; every row is one it ran or
                    // marked ran: it records no half-applied ones.
                    return new AppliedMigration(
                            result.getInt("orderexecuted"),
                            null,
                            id,
                            result.getString("exectype"),
                            result.getString("filename") + "::" + id + "::" + result.getString("author"),
                            result.getString("md5sum"),
                            installedOn == null ? null : installedOn.toInstant(),
                            true,
                            result.getString("tag"));
                });
        Set<String> reached = new LinkedHashSet<>();
        String tag = null;
        for (int i = rows.size() - 1; i >= 0; i--) {
            AppliedMigration row = rows.get(i);
            if (row.tag() != null) {
                reached.add(row.tag());
                tag = tag == null ? row.tag() : tag;
            }
            reached.add(row.description());
        }
        List<String> last =
                rows.isEmpty() ? List.of() : List.of(rows.get(rows.size() - 1).description());
        HistoryTable lockTable = new HistoryTable(table.format(), table.schema(), table.table() + "lock");
        return SchemaRevision.named(
                rows, new NamedRevision(last, List.copyOf(reached), tag, lock(jdbc, lockTable, queries)));
    }

    private static @Nullable String lock(Connection jdbc, HistoryTable lockTable, HistoryQueries queries)
            throws SQLException {
        if (!queries.exists(jdbc, lockTable.schema(), lockTable.table())) {
            return null;
        }
        List<String> holders = queries.rows(
                jdbc,
                lockTable,
                "SELECT lockedby, lockgranted FROM " + lockTable.qualifiedName() + " WHERE locked ORDER BY id LIMIT 1",
                (rank, result) -> {
                    Timestamp granted = result.getTimestamp("lockgranted");
                    return lockTable + " is held by "
                            + Objects.requireNonNullElse(result.getString("lockedby"), "an unknown client")
                            + (granted == null ? "" : " since " + granted.toInstant());
                });
        return holders.isEmpty() ? null : holders.get(0);
    }

    /** Liquibase reads a JDBC URL from variables of its own; its usage analytics stay off. */
    @Override
    public Map<String, String> toolEnvironment(DatabaseConnection connection, Map<String, String> libpq) {
        Map<String, String> environment = new TreeMap<>();
        environment.put("LIQUIBASE_COMMAND_URL", connection.jdbcUrl());
        if (libpq.containsKey("PGUSER")) {
            environment.put("LIQUIBASE_COMMAND_USERNAME", libpq.get("PGUSER"));
        }
        if (libpq.containsKey("PGPASSWORD")) {
            environment.put("LIQUIBASE_COMMAND_PASSWORD", libpq.get("PGPASSWORD"));
        }
        environment.put("LIQUIBASE_ANALYTICS_ENABLED", "false");
        return environment;
    }
}
