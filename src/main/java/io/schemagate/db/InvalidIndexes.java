package io.schemagate.db;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;

/**
 * Indexes PostgreSQL marks invalid in the given schemas: what an interrupted or failed
 * {@code CREATE INDEX CONCURRENTLY} or {@code REINDEX CONCURRENTLY} leaves behind. The index exists
 * but is never used, and the script that creates it fails on it ("relation already exists") until
 * someone drops or rebuilds it. Builds still in progress are invalid too, and are not reported.
 */
public final class InvalidIndexes {
    /** An empty list of schemas means the session's current schema, as it does for Flyway. */
    private static final String QUERY = "SELECT n.nspname, c.relname FROM pg_catalog.pg_index i"
            + " JOIN pg_catalog.pg_class c ON c.oid = i.indexrelid"
            + " JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace"
            + " WHERE NOT i.indisvalid"
            + " AND n.nspname = ANY (coalesce(?, ARRAY[current_schema()::text]))"
            + " AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_stat_progress_create_index p"
            + " WHERE p.index_relid = i.indexrelid)"
            + " ORDER BY 1, 2";

    private InvalidIndexes() {}

    /** Qualified names ({@code schema.index}) of the invalid indexes, sorted. */
    public static List<String> in(Connection connection, List<String> schemas, int timeoutSeconds) throws SQLException {
        List<String> names = new ArrayList<>();
        try (PreparedStatement statement = connection.prepareStatement(QUERY)) {
            if (schemas.isEmpty()) {
                statement.setNull(1, Types.ARRAY);
            } else {
                statement.setArray(1, connection.createArrayOf("text", schemas.toArray()));
            }
            statement.setQueryTimeout(timeoutSeconds);
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    names.add(rows.getString(1) + "." + rows.getString(2));
                }
            }
        }
        return names;
    }

    /** What to tell a user about them: what they are and what to do. */
    public static String describe(List<String> names) {
        String first = names.get(0);
        return (names.size() == 1 ? "index " + first + " is" : "indexes " + String.join(", ", names) + " are")
                + " INVALID: a concurrent index build or reindex was interrupted or failed and left "
                + (names.size() == 1 ? "it" : "them") + " unusable. Drop " + (names.size() == 1 ? "it" : "each")
                + " (DROP INDEX CONCURRENTLY " + first + ";) so that the migration that creates it builds it"
                + " again, or rebuild it in place (REINDEX INDEX CONCURRENTLY " + first + ";)";
    }
}
