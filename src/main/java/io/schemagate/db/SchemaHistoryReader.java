package io.schemagate.db;

import io.schemagate.db.history.HistoryQueries;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Properties;

/**
 * Reads an engine's history table over plain JDBC, read-only, without the engine: the database is
 * the source of truth for which revision a schema is at.
 */
public final class SchemaHistoryReader {

    private static final String APPLICATION_NAME = "schemagate";

    private final Duration timeout;
    private final ConnectionPool pool;

    /**
     * @param timeout bounds connecting and each query, so a hung database cannot stall the caller
     * @param pool where connections are kept between reads
     */
    public SchemaHistoryReader(Duration timeout, ConnectionPool pool) {
        this.timeout = timeout;
        this.pool = pool;
    }

    /** A reader that opens a connection for each read and closes it after. */
    public SchemaHistoryReader(Duration timeout) {
        this(timeout, new ConnectionPool(0, Duration.ZERO, Clock.systemUTC()));
    }

    public SchemaHistoryReader() {
        this(Duration.ofSeconds(10));
    }

    /** @throws SQLException when the database cannot be reached or read; its SQLSTATE says why */
    public SchemaRevision read(DatabaseConnection connection, HistoryTable table) throws SQLException {
        return read(connection, table, List.of());
    }

    /**
     * The history, and the invalid indexes of the given schemas, over one connection.
     *
     * @throws SQLException when the database cannot be reached or read; its SQLSTATE says why
     */
    public SchemaRevision read(DatabaseConnection connection, HistoryTable table, List<String> schemas)
            throws SQLException {
        return read(connection, table, schemas, List.of());
    }

    /**
     * The history, the invalid indexes of the given schemas and what the verify checks find, over one
     * connection; the checks in read-only transactions ({@link SchemaChecks}).
     *
     * @throws SQLException when the database cannot be reached or read; its SQLSTATE says why (a
     *     check that fails on its own is a result, not an exception)
     */
    public SchemaRevision read(
            DatabaseConnection connection, HistoryTable table, List<String> schemas, List<VerifyCheck> checks)
            throws SQLException {
        return pool.withConnection(
                connection, () -> DriverManager.getConnection(connection.jdbcUrl(), properties(connection)), jdbc -> {
                    jdbc.setReadOnly(true);
                    SchemaRevision revision = read(jdbc, table);
                    if (!schemas.isEmpty()) {
                        revision = revision.withInvalidIndexes(InvalidIndexes.in(jdbc, schemas, queryTimeoutSeconds()));
                    }
                    return revision.withChecks(SchemaChecks.run(jdbc, checks, queryTimeoutSeconds()));
                });
    }

    /**
     * The history over a connection the caller holds: the runner's, inside its migration lock.
     *
     * @throws SQLException when the history cannot be read; its SQLSTATE says why
     */
    public SchemaRevision read(Connection jdbc, HistoryTable table) throws SQLException {
        HistoryQueries queries = new HistoryQueries(queryTimeoutSeconds());
        if (!queries.exists(jdbc, table.schema(), table.table())) {
            return SchemaRevision.withoutHistoryTable();
        }
        return table.format().dialect().read(jdbc, table, queries);
    }

    private Properties properties(DatabaseConnection connection) {
        Properties properties = new Properties();
        if (connection.username() != null) {
            properties.setProperty("user", connection.username());
        }
        if (connection.password() != null) {
            properties.setProperty("password", connection.password());
        }
        String seconds = Long.toString(Math.max(1, timeout.toSeconds()));
        properties.setProperty("connectTimeout", seconds);
        properties.setProperty("loginTimeout", seconds);
        properties.setProperty("socketTimeout", seconds);
        properties.setProperty("ApplicationName", APPLICATION_NAME);
        return properties;
    }

    private int queryTimeoutSeconds() {
        return (int) Math.max(1, timeout.toSeconds());
    }
}
