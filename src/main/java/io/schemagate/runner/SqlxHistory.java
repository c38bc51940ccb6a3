package io.schemagate.runner;

import io.schemagate.db.Migration;
import io.schemagate.db.Version;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HexFormat;

/**
 * sqlx's history table, written with sqlx's own statements: the same columns, the same rows, so that
 * sqlx-cli and the application's migrator read SchemaGate's runs as their own (it is read back
 * with {@link io.schemagate.db.SchemaHistoryReader}). The name is unqualified and unquoted, as in
 * sqlx: it lands in the first schema of the search path.
 */
final class SqlxHistory {
    private final String table;

    /** @param table checked by the settings to be a plain lowercase identifier */
    SqlxHistory(String table) {
        this.table = table;
    }

    void ensure(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE IF NOT EXISTS " + table + " ("
                    + " version BIGINT PRIMARY KEY,"
                    + " description TEXT NOT NULL,"
                    + " installed_on TIMESTAMPTZ NOT NULL DEFAULT now(),"
                    + " success BOOLEAN NOT NULL,"
                    + " checksum BYTEA NOT NULL,"
                    + " execution_time BIGINT NOT NULL)");
        }
    }

    /** In the script's transaction: applied and recorded together, or neither. */
    void record(Connection connection, Migration migration) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement("INSERT INTO " + table
                + " (version, description, success, checksum, execution_time) VALUES (?, ?, TRUE, ?, -1)")) {
            statement.setLong(1, Long.parseLong(migration.version().toString()));
            statement.setString(2, migration.name().description());
            statement.setBytes(3, HexFormat.of().parseHex(migration.checksum()));
            statement.executeUpdate();
        }
    }

    /** A migration recorded without running it (spec.adopt): as applied, in no time. */
    void adopt(Connection connection, Migration migration) throws SQLException {
        record(connection, migration);
        recordDuration(connection, migration, 0);
    }

    /** In the down script's transaction, as sqlx's revert does: reverted and forgotten together, or neither. */
    void remove(Connection connection, Version version) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement("DELETE FROM " + table + " WHERE version = ?")) {
            statement.setLong(1, Long.parseLong(version.toString()));
            statement.executeUpdate();
        }
    }

    void recordDuration(Connection connection, Migration migration, long nanos) throws SQLException {
        try (PreparedStatement statement =
                connection.prepareStatement("UPDATE " + table + " SET execution_time = ? WHERE version = ?")) {
            statement.setLong(1, nanos);
            statement.setLong(2, Long.parseLong(migration.version().toString()));
            statement.executeUpdate();
        }
    }
}
