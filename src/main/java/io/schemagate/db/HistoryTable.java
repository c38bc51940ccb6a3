package io.schemagate.db;

import java.util.Objects;

/** A tool's history table: its format (and so its columns), its schema and name. */
public record HistoryTable(HistoryFormat format, String schema, String table) {

    public static final String DEFAULT_TABLE = "flyway_schema_history";

    public HistoryTable {
        Objects.requireNonNull(format, "format");
        Objects.requireNonNull(schema, "schema");
        Objects.requireNonNull(table, "table");
    }

    /** Flyway's history table of that name. */
    public HistoryTable(String schema, String table) {
        this(HistoryFormat.flyway, schema, table);
    }

    /** The qualified name, quoted as the engines create it (case-sensitive). */
    public String qualifiedName() {
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
