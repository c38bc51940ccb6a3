package io.schemagate.db.history;

import com.google.errorprone.annotations.Immutable;
import io.schemagate.db.DatabaseConnection;
import io.schemagate.db.HistoryTable;
import io.schemagate.db.SchemaRevision;
import io.schemagate.db.Version;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** One tool's history table, as SchemaGate reads it without the tool; stateless, shared by every reader. */
@Immutable
public interface HistoryDialect {

    /** The table's name when the spec names none. */
    String defaultTable();

    /** Whether the table keeps a row for every applied migration, so that they can be counted. */
    boolean keepsRowPerMigration();

    /**
     * Whether revisions are numbers in order; not for ids (Alembic's, Liquibase's), which are reached
     * when the history holds them, not when a higher number is applied.
     */
    default boolean hasOrderedVersions() {
        return true;
    }

    /**
     * The version of a forward script of the tool from its file name; empty for other files, and for
     * the tools whose scripts the runner reads itself (Flyway, sqlx).
     */
    default Optional<Version> scriptVersion(String fileName) {
        return Optional.empty();
    }

    /**
     * The revision the table records; called once the table is known to exist.
     *
     * @throws SQLException when the table cannot be read; an {@link
     *     io.schemagate.db.UnexpectedHistoryTableException} when its columns are not the tool's
     */
    SchemaRevision read(Connection jdbc, HistoryTable table, HistoryQueries queries) throws SQLException;

    /**
     * What to do about a failed row, in the tool's own terms. Most tables record no failures: a row
     * reads as failed only from a tool that writes one.
     */
    default String repairAdvice(HistoryTable table) {
        return "repair the schema and its history by hand, then run again";
    }

    /** The revisions a current label of the history names: one, unless the tool keeps several heads. */
    default List<String> revisionsOf(String current) {
        return List.of(current);
    }

    /**
     * Of a history whose revisions are ids: whether the table alone tells every revision reached
     * (Liquibase's changesets), rather than only the heads the scripts' graph lies below (Alembic's).
     */
    default boolean recordsEveryRevision() {
        return false;
    }

    /**
     * Variables the tool reads its connection from besides libpq's, given libpq's.
     *
     * @param libpq {@code PGHOST} and the rest, as {@link io.schemagate.db.ToolConnection} sets them
     */
    default Map<String, String> toolEnvironment(DatabaseConnection connection, Map<String, String> libpq) {
        return Map.of();
    }
}
