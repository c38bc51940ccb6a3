package io.schemagate.db;

import java.util.Objects;

/** Flyway's schema history table: the table name within the schema that holds it. */
public record HistoryTable(String schema, String table) {

    public static final String DEFAULT_TABLE = "flyway_schema_history";

    public HistoryTable {
        Objects.requireNonNull(schema, "schema");
        Objects.requireNonNull(table, "table");
    }

    /** The qualified name, quoted as Flyway creates it (case-sensitive). */
    String qualifiedName() {
        return quote(schema) + "." + quote(table);
    }

    private static String quote(String identifier) {
        return '"' + identifier.replace("\"", "\"\"") + '"';
    }

    @Override
    public String toString() {
        return schema + "." + table;
    }
}
