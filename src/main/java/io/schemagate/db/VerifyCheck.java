package io.schemagate.db;

import java.util.Objects;

/** A query the schema must answer with one row whose first column is true, checked after every run. */
public record VerifyCheck(String name, String sql) {
    public VerifyCheck {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(sql, "sql");
    }
}
