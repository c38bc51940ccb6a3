package io.schemagate.db;

import java.sql.SQLException;

/**
 * The history table exists but lacks a column its engine writes: another tool's table of the same
 * name, or the wrong engine chosen. Reading it again cannot help.
 */
public final class UnexpectedHistoryTableException extends SQLException {

    public UnexpectedHistoryTableException(HistoryTable table, SQLException cause) {
        super(
                "the table " + table + " is not " + table.format() + "'s history table (" + cause.getMessage()
                        + "); choose the engine (or history format) that wrote it, or another table name",
                cause.getSQLState(),
                cause);
    }
}
