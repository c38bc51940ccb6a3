package io.schemagate.db;

import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Where and as whom to connect. The password never shows in {@link #toString()}.
 *
 * @param username null, with the password, for a URL that carries its own credentials
 */
public record DatabaseConnection(
        String jdbcUrl, @Nullable String username, @Nullable String password) {

    public DatabaseConnection {
        Objects.requireNonNull(jdbcUrl, "jdbcUrl");
    }

    @Override
    public String toString() {
        return "DatabaseConnection[jdbcUrl=" + JdbcUrls.withoutCredentials(jdbcUrl) + ", username=" + username + "]";
    }
}
