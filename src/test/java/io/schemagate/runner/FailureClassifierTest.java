package io.schemagate.runner;

import static org.assertj.core.api.Assertions.assertThat;

import io.schemagate.contract.ErrorKind;
import io.schemagate.contract.Failure;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.sql.SQLException;
import java.util.List;
import org.flywaydb.core.api.CoreErrorCode;
import org.flywaydb.core.api.ErrorDetails;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.MigrationInfo;
import org.flywaydb.core.api.output.ValidateOutput;
import org.flywaydb.core.api.output.ValidateResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.postgresql.util.PSQLException;
import org.postgresql.util.PSQLState;

class FailureClassifierTest {

    private final FailureClassifier classifier = new FailureClassifier();

    @ParameterizedTest
    @CsvSource({
        "28P01, AuthenticationFailed",
        "28000, AuthenticationFailed",
        "08001, DatabaseUnreachable",
        "08006, DatabaseUnreachable",
        "57P03, DatabaseUnreachable",
        "53300, DatabaseUnreachable",
        "3D000, DatabaseUnreachable",
        "42501, Unknown"
    })
    void classifiesConnectionFailuresBySqlState(String sqlState, ErrorKind kind) {
        FlywayException error = new FlywayException(
                "Unable to obtain connection from database", new SQLException("FATAL: refused", sqlState));

        Failure failure = classifier.classify(error);

        assertThat(failure.kind()).isEqualTo(kind);
        assertThat(failure.sqlState()).isEqualTo(sqlState);
        assertThat(failure.message()).contains("FATAL: refused");
    }

    @Test
    void theInnermostSqlStateWins() {
        SQLException inner =
                new PSQLException("FATAL: password authentication failed for user \"app\"", PSQLState.INVALID_PASSWORD);
        SQLException outer = new SQLException("wrapper", "HY000", inner);

        Failure failure = classifier.classify(new FlywayException("Unable to obtain connection", outer));

        assertThat(failure.kind()).isEqualTo(ErrorKind.AuthenticationFailed);
        assertThat(failure.sqlState()).isEqualTo("28P01");
        assertThat(failure.message())
                .isEqualTo("The database refused the credentials:"
                        + " FATAL: password authentication failed for user \"app\"");
    }

    @Test
    void networkErrorsWithoutSqlStateAreUnreachable() {
        Failure refused = classifier.classify(new FlywayException("x", new ConnectException("Connection refused")));
        Failure unknownHost = classifier.classify(new FlywayException(
                "x",
                new PSQLException(
                        "The connection attempt failed.",
                        PSQLState.CONNECTION_UNABLE_TO_CONNECT,
                        new UnknownHostException("db.invalid"))));

        assertThat(refused.kind()).isEqualTo(ErrorKind.DatabaseUnreachable);
        assertThat(refused.sqlState()).isNull();
        assertThat(unknownHost.kind()).isEqualTo(ErrorKind.DatabaseUnreachable);
        assertThat(unknownHost.message())
                .isEqualTo("Cannot connect to the database:"
                        + " The connection attempt failed. (UnknownHostException: db.invalid)");
    }

    @Test
    void flywayConfigurationErrorsAreInvalidConfiguration() {
        assertThat(classifier
                        .classify(new FlywayException(
                                "Found non-empty schema(s) but no schema history table",
                                CoreErrorCode.NON_EMPTY_SCHEMA_WITHOUT_SCHEMA_HISTORY_TABLE))
                        .kind())
                .isEqualTo(ErrorKind.InvalidConfiguration);
        assertThat(classifier
                        .classify(new FlywayException(
                                "Found more than one migration with version 1",
                                CoreErrorCode.DUPLICATE_VERSIONED_MIGRATION))
                        .kind())
                .isEqualTo(ErrorKind.InvalidConfiguration);
        assertThat(classifier
                        .classify(new FlywayException("Invalid SQL filenames found:\r\nV1_x.sql"))
                        .message())
                .isEqualTo("Invalid SQL filenames found: V1_x.sql");
        assertThat(classifier
                        .classify(new FlywayException(
                                "Unable to parse statement in V1__x.sql",
                                new FlywayException("No value provided for placeholder: ${owner}")))
                        .kind())
                .isEqualTo(ErrorKind.InvalidConfiguration);
    }

    @Test
    void aLockTimeoutOutsideAScriptIsTheMigrationLockAndTransient() {
        Failure failure = classifier.classify(new FlywayException(
                "Unable to obtain the schema history lock",
                new SQLException("ERROR: canceling statement due to lock timeout", "55P03")));

        assertThat(failure.kind()).isEqualTo(ErrorKind.LockTimeout);
        assertThat(failure.kind().isTransient()).isTrue();
        assertThat(failure.message()).contains("another migration of this database holds");
    }

    @Test
    void anythingElseIsUnknownAndTransient() {
        Failure failure = classifier.classify(new IllegalStateException("boom\nsecond line"));

        assertThat(failure.kind()).isEqualTo(ErrorKind.Unknown);
        assertThat(failure.kind().exitCode()).isEqualTo(2);
        assertThat(failure.message()).isEqualTo("IllegalStateException: boom second line");
    }

    @Test
    void aChecksumMismatchOutranksOtherValidationErrors() {
        ValidateResult result = invalid(
                output(
                        "3",
                        "",
                        CoreErrorCode.APPLIED_VERSIONED_MIGRATION_NOT_RESOLVED,
                        "Detected applied migration not resolved locally: 3"),
                output(
                        "2",
                        "/migrations/app/V2__orders.sql",
                        CoreErrorCode.CHECKSUM_MISMATCH,
                        "Migration checksum mismatch for migration version 2"));

        Failure failure = classifier.classify(result, new MigrationInfo[0]);

        assertThat(failure.kind()).isEqualTo(ErrorKind.ChecksumMismatch);
        assertThat(failure.failedMigration()).isEqualTo("V2__orders.sql");
        assertThat(failure.sqlState()).isNull();
        assertThat(failure.message())
                .startsWith("Validation failed: ")
                .contains("not resolved locally: 3")
                .contains("checksum mismatch for migration version 2");
    }

    @ParameterizedTest
    @CsvSource({
        "APPLIED_VERSIONED_MIGRATION_NOT_RESOLVED, MissingMigration",
        "APPLIED_REPEATABLE_MIGRATION_NOT_RESOLVED, MissingMigration",
        "FAILED_VERSIONED_MIGRATION, MigrationFailed",
        "DESCRIPTION_MISMATCH, ChecksumMismatch",
        "RESOLVED_VERSIONED_MIGRATION_NOT_APPLIED, InvalidConfiguration",
        "OUTDATED_REPEATABLE_MIGRATION, InvalidConfiguration",
        "VALIDATE_ERROR, Unknown"
    })
    void mapsFlywayValidationCodes(CoreErrorCode code, ErrorKind kind) {
        Failure failure = classifier.classify(invalid(output("1", "", code, "problem")), new MigrationInfo[0]);

        assertThat(failure.kind()).isEqualTo(kind);
        assertThat(failure.failedMigration()).isNull();
    }

    private static ValidateResult invalid(ValidateOutput... outputs) {
        ErrorDetails summary = new ErrorDetails(CoreErrorCode.VALIDATE_ERROR, "Migrations have failed validation");
        return new ValidateResult("11", "db", summary, false, 0, List.of(outputs), List.of());
    }

    private static ValidateOutput output(String version, String path, CoreErrorCode code, String message) {
        return new ValidateOutput(version, "description", path, new ErrorDetails(code, message));
    }
}
