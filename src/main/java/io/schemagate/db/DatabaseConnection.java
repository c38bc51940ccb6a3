package io.schemagate.db;

import java.util.Objects;

/** Where and as whom to connect. The password never shows in {@link #toString()}. */
public record DatabaseConnection(String jdbcUrl, String username, String password) {

    public DatabaseConnection {
        Objects.requireNonNull(jdbcUrl, "jdbcUrl");
    }

    @Override
    public String toString() {
        return "DatabaseConnection[jdbcUrl=" + JdbcUrls.withoutCredentials(jdbcUrl) + ", username=" + username + "]";
    }
}
