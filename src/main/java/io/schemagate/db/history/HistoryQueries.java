package io.schemagate.db.history;

import io.schemagate.db.HistoryTable;
import io.schemagate.db.SqlStates;
import io.schemagate.db.UnexpectedHistoryTableException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/** The queries every dialect reads with, each bounded by one timeout so a hung database cannot stall. */
public final class HistoryQueries {

    /** Reads one row of a result; rank is its place in the result, from 1. */
    @FunctionalInterface
    public interface RowReader<T> {
        T read(int rank, ResultSet row) throws SQLException;
    }

    private final int timeoutSeconds;

    public HistoryQueries(int timeoutSeconds) {
        this.timeoutSeconds = timeoutSeconds;
    }

    /**
     * The rows a query over the history table returns, each read by the dialect.
     *
     * @throws UnexpectedHistoryTableException when a column the dialect reads is not there
     */
    public <T> List<T> rows(Connection jdbc, HistoryTable table, String sql, RowReader<T> reader) throws SQLException {
        List<T> rows = new ArrayList<>();
        try (Statement statement = jdbc.createStatement()) {
            statement.setQueryTimeout(timeoutSeconds);
            try (ResultSet result = statement.executeQuery(sql)) {
                while (result.next()) {
                    rows.add(reader.read(rows.size() + 1, result));
                }
            }
        } catch (SQLException e) {
            throw SqlStates.UNDEFINED_COLUMN.equals(e.getSQLState())
                    ? new UnexpectedHistoryTableException(table, e)
                    : e;
        }
        return rows;
    }

    public boolean exists(Connection jdbc, String schema, String table) throws SQLException {
        return found(jdbc, "SELECT 1 FROM pg_catalog.pg_tables WHERE schemaname = ? AND tablename = ?", schema, table);
    }

    public boolean hasColumn(Connection jdbc, HistoryTable table, String column) throws SQLException {
        return found(
                jdbc,
                "SELECT 1 FROM information_schema.columns WHERE table_schema = ? AND table_name = ?"
                        + " AND column_name = ?",
                table.schema(),
                table.table(),
                column);
    }

    private boolean found(Connection jdbc, String sql, String... parameters) throws SQLException {
        try (PreparedStatement statement = jdbc.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                statement.setString(i + 1, parameters[i]);
            }
            statement.setQueryTimeout(timeoutSeconds);
            try (ResultSet result = statement.executeQuery()) {
                return result.next();
            }
        }
    }
}
