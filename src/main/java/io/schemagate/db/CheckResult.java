package io.schemagate.db;

import org.jspecify.annotations.Nullable;

/**
 * What a {@link VerifyCheck} found.
 *
 * @param returned what the query gave, in words: "true", "false", "no row", "2 rows", or the
 *     database's error message
 * @param sqlState the SQLSTATE when the query failed; null otherwise
 */
public record CheckResult(
        String name,
        boolean passed,
        String returned,
        @Nullable String sqlState) {

    public boolean failedToRun() {
        return sqlState != null;
    }
}
