package io.schemagate.runner;

import io.schemagate.contract.ErrorKind;
import io.schemagate.contract.Failure;
import io.schemagate.db.SqlStates;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.flywaydb.core.api.CoreErrorCode;
import org.flywaydb.core.api.ErrorCode;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.MigrationInfo;
import org.flywaydb.core.api.output.ValidateOutput;
import org.flywaydb.core.api.output.ValidateResult;
import org.flywaydb.core.internal.exception.FlywayMigrateException;

/**
 * Turns what Flyway and the JDBC driver report into a {@link Failure}: the kind from the SQLSTATE,
 * Flyway's error codes and exception types (never from message text), the blamed script and a
 * one-line message.
 * Messages never quote SQL statements: placeholders may have put secrets into them.
 */
final class FailureClassifier {

    private static final List<Class<? extends Exception>> NETWORK_ERRORS = List.of(
            ConnectException.class,
            UnknownHostException.class,
            NoRouteToHostException.class,
            SocketTimeoutException.class);
    private static final Set<CoreErrorCode> CONFIGURATION_CODES = Set.of(
            CoreErrorCode.CONFIGURATION,
            CoreErrorCode.JDBC_DRIVER,
            CoreErrorCode.NON_EMPTY_SCHEMA_WITHOUT_SCHEMA_HISTORY_TABLE,
            CoreErrorCode.DUPLICATE_VERSIONED_MIGRATION,
            CoreErrorCode.DUPLICATE_REPEATABLE_MIGRATION,
            CoreErrorCode.DUPLICATE_UNDO_MIGRATION,
            CoreErrorCode.DUPLICATE_DELETED_MIGRATION);

    Failure classify(Throwable error) {
        String sqlState = sqlState(error).orElse(null);
        if (error instanceof FlywayMigrateException migration) {
            return migrationFailure(migration, sqlState);
        }
        if (SqlStates.isAuthentication(sqlState)) {
            return new Failure(
                    ErrorKind.AuthenticationFailed,
                    null,
                    sqlState,
                    "The database refused the credentials: " + rootMessage(error));
        }
        if (isUnreachable(error, sqlState)) {
            return new Failure(
                    ErrorKind.DatabaseUnreachable,
                    null,
                    sqlState,
                    "Cannot connect to the database: " + rootMessage(error));
        }
        // Outside a script, the one lock a run waits for is the engine's own: another run holds it.
        if (SqlStates.LOCK_NOT_AVAILABLE.equals(sqlState)) {
            return new Failure(
                    ErrorKind.LockTimeout,
                    null,
                    sqlState,
                    "Waited longer than the lock timeout for the"
                            + " migration lock, which another migration of this database holds; nothing was changed: "
                            + rootMessage(error));
        }
        // Flyway's own refusals (bad names, duplicate versions, an unparsable script, a missing
        // placeholder) come without a database error: only a change to the scripts or settings helps.
        if (error instanceof FlywayException flyway
                && (sqlState == null || isConfigurationError(flyway.getErrorCode()))) {
            return new Failure(ErrorKind.InvalidConfiguration, null, sqlState, oneLine(error.getMessage()));
        }
        return new Failure(ErrorKind.Unknown, null, sqlState, unknown(error));
    }

    /**
     * @param known every migration Flyway knows of, to name the script of an applied migration that
     *     is no longer among the scripts
     */
    Failure classify(ValidateResult result, MigrationInfo[] known) {
        List<ValidateOutput> invalid = result.invalidMigrations == null ? List.of() : result.invalidMigrations;
        if (invalid.isEmpty()) {
            ErrorCode code = result.errorDetails == null ? null : result.errorDetails.errorCode;
            String message = result.errorDetails == null ? "Validation failed" : result.errorDetails.errorMessage;
            return Failure.of(kindOf(code), oneLine(message));
        }
        ValidateOutput worst = invalid.stream()
                .min(Comparator.comparingInt(output -> severity(kindOf(output.errorDetails.errorCode))))
                .orElseThrow();
        String message = invalid.stream()
                .map(output -> oneLine(output.errorDetails.errorMessage))
                .collect(Collectors.joining(" | ", "Validation failed: ", ""));
        return new Failure(kindOf(worst.errorDetails.errorCode), scriptOf(worst, known), null, message);
    }

    private Failure migrationFailure(FlywayMigrateException error, String sqlState) {
        return scriptFailure(fileName(error.getMigration().getScript()), error.getLineNumber(), error, sqlState);
    }

    /** A script that failed to run, whichever engine ran it. */
    Failure scriptFailure(String script, SQLException error) {
        return scriptFailure(script, 0, error, sqlState(error).orElse(null));
    }

    /** @param line where in the script, when the engine knows it; 0 otherwise */
    private Failure scriptFailure(String script, int line, Throwable error, String sqlState) {
        if (sqlState != null && isUnreachable(error, sqlState)) {
            return new Failure(
                    ErrorKind.DatabaseUnreachable,
                    script,
                    sqlState,
                    "Lost the database while applying " + script + ": " + rootMessage(error));
        }
        String where = line > 0 ? " at line " + line : "";
        String cause = sqlState == null ? error.getMessage() : rootMessage(error);
        if (SqlStates.LOCK_NOT_AVAILABLE.equals(sqlState)) {
            return new Failure(
                    ErrorKind.LockTimeout,
                    script,
                    sqlState,
                    "Migration " + script + where
                            + " waited longer than the lock timeout for a lock other transactions hold, and was rolled"
                            + " back: " + oneLine(cause));
        }
        if (SqlStates.QUERY_CANCELED.equals(sqlState)) {
            return new Failure(
                    ErrorKind.StatementTimeout,
                    script,
                    sqlState,
                    "Migration " + script + where + " was canceled, by the statement timeout or an administrator: "
                            + oneLine(cause));
        }
        return new Failure(
                ErrorKind.MigrationFailed,
                script,
                sqlState,
                "Migration " + script + " failed" + where + ": " + oneLine(cause));
    }

    private static ErrorKind kindOf(ErrorCode code) {
        if (!(code instanceof CoreErrorCode core)) {
            return ErrorKind.Unknown;
        }
        return switch (core) {
            case FAILED_VERSIONED_MIGRATION, FAILED_REPEATABLE_MIGRATION, FAILED_BASELINE_MIGRATION ->
                ErrorKind.MigrationFailed;
            case CHECKSUM_MISMATCH, DESCRIPTION_MISMATCH, TYPE_MISMATCH -> ErrorKind.ChecksumMismatch;
            case APPLIED_VERSIONED_MIGRATION_NOT_RESOLVED, APPLIED_REPEATABLE_MIGRATION_NOT_RESOLVED ->
                ErrorKind.MissingMigration;
            // A script added below the current version while out-of-order is off, and the like.
            case RESOLVED_VERSIONED_MIGRATION_NOT_APPLIED,
                    RESOLVED_REPEATABLE_MIGRATION_NOT_APPLIED,
                    OUTDATED_REPEATABLE_MIGRATION,
                    SCHEMA_DOES_NOT_EXIST -> ErrorKind.InvalidConfiguration;
            default -> isConfigurationError(core) ? ErrorKind.InvalidConfiguration : ErrorKind.Unknown;
        };
    }

    /** Lower is reported first when several migrations fail validation. */
    private static int severity(ErrorKind kind) {
        return switch (kind) {
            case MigrationFailed -> 0;
            case ChecksumMismatch -> 1;
            case MissingMigration -> 2;
            case InvalidConfiguration -> 3;
            default -> 4;
        };
    }

    private static boolean isConfigurationError(ErrorCode code) {
        return code instanceof CoreErrorCode core && CONFIGURATION_CODES.contains(core);
    }

    private static boolean isUnreachable(Throwable error, String sqlState) {
        if (SqlStates.isUnreachable(sqlState)) {
            return true;
        }
        return causes(error).anyMatch(cause -> NETWORK_ERRORS.stream().anyMatch(type -> type.isInstance(cause)));
    }

    /** The SQLSTATE closest to the database, or null when none was reported. */
    static String sqlStateOf(Throwable error) {
        return sqlState(error).orElse(null);
    }

    /** The SQLSTATE closest to the database: the innermost SQL exception that has one. */
    private static Optional<String> sqlState(Throwable error) {
        return causes(error)
                .filter(SQLException.class::isInstance)
                .map(cause -> ((SQLException) cause).getSQLState())
                .filter(state -> state != null && !state.isBlank())
                .reduce((outer, inner) -> inner);
    }

    /**
     * What the database or the network said, without Flyway's framing: the innermost SQL exception's
     * message, followed by the low-level cause when there is one (an unknown host, say).
     */
    private static String rootMessage(Throwable error) {
        Throwable root = causes(error).reduce((outer, inner) -> inner).orElse(error);
        Optional<SQLException> sql = causes(error)
                .filter(SQLException.class::isInstance)
                .map(SQLException.class::cast)
                .reduce((outer, inner) -> inner);
        if (sql.isEmpty()) {
            return oneLine(describe(root));
        }
        String message = sql.get().getMessage();
        return oneLine(root == sql.get() ? message : message + " (" + describe(root) + ")");
    }

    /** The error itself, and what caused it when its own message does not already say. */
    private static String unknown(Throwable error) {
        String outer = oneLine(describe(error));
        String root = rootMessage(error);
        return error.getCause() == null || outer.contains(root) ? outer : outer + " (caused by " + root + ")";
    }

    private static String describe(Throwable error) {
        String message = error.getMessage();
        return message == null || message.isBlank()
                ? error.getClass().getSimpleName()
                : error.getClass().getSimpleName() + ": " + message;
    }

    private static Stream<Throwable> causes(Throwable error) {
        return Stream.iterate(error, cause -> cause != null, Throwable::getCause)
                .limit(20);
    }

    private static String scriptOf(ValidateOutput output, MigrationInfo[] known) {
        if (output.filepath != null && !output.filepath.isBlank()) {
            return fileName(output.filepath);
        }
        return Arrays.stream(known)
                .filter(info -> output.version.isEmpty()
                        ? info.getVersion() == null && output.description.equals(info.getDescription())
                        : info.getVersion() != null
                                && output.version.equals(info.getVersion().getVersion()))
                .map(MigrationInfo::getScript)
                .findFirst()
                .map(FailureClassifier::fileName)
                .orElse(null);
    }

    private static String fileName(String script) {
        return script == null ? null : Path.of(script).getFileName().toString();
    }

    private static String oneLine(String text) {
        return text == null ? "" : text.replaceAll("\\s+", " ").trim();
    }
}
