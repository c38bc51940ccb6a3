package io.schemagate.contract;

import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * What went wrong, as precisely as the runner can tell.
 *
 * @param failedMigration the script file name, when one migration is to blame
 * @param sqlState the SQLSTATE the database reported, when it reported one
 */
public record Failure(
        ErrorKind kind,
        @Nullable String failedMigration,
        @Nullable String sqlState,
        String message) {

    public Failure {
        Objects.requireNonNull(kind, "kind");
    }

    public static Failure of(ErrorKind kind, String message) {
        return new Failure(kind, null, null, message);
    }
}
