package io.schemagate.contract;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.schemagate.db.Redactor;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class MigrationResultTest {

    @Test
    void writesOneCompactObjectWithEveryField() {
        MigrationResult result = MigrationResult.failed(
                        new Failure(
                                ErrorKind.MigrationFailed,
                                "V6__add_index.sql",
                                "42P01",
                                "relation \"x\" does not exist"),
                        "3",
                        "5",
                        2)
                .withDurationMillis(123);

        assertThat(result.toJson())
                .isEqualTo("{\"outcome\":\"Failed\",\"errorKind\":\"MigrationFailed\","
                        + "\"from\":\"3\",\"to\":\"5\",\"latest\":null,\"applied\":2,"
                        + "\"failedMigration\":\"V6__add_index.sql\",\"sqlState\":\"42P01\","
                        + "\"message\":\"relation \\\"x\\\" does not exist\",\"durationMillis\":123}");
    }

    @Test
    void aSuccessHasNullErrorFields() throws Exception {
        JsonNode json = new ObjectMapper()
                .readTree(MigrationResult.succeeded(null, "3", "3", 3).toJson());

        assertThat(json.get("outcome").asText()).isEqualTo("Succeeded");
        assertThat(json.get("from").isNull()).isTrue();
        assertThat(json.get("errorKind").isNull()).isTrue();
        assertThat(json.get("failedMigration").isNull()).isTrue();
        assertThat(json.get("sqlState").isNull()).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"x", "é", "\"", "\n", "漢", "😀"})
    void cutsALongMessageToFitTheTerminationMessage(String unit) throws Exception {
        String message = unit.repeat(20_000);
        MigrationResult result = MigrationResult.failed(Failure.of(ErrorKind.Unknown, message), "1", "1", 0);

        String json = result.toJson();

        assertThat(json.getBytes(StandardCharsets.UTF_8).length)
                .isLessThanOrEqualTo(MigrationResult.MAX_JSON_BYTES)
                .isGreaterThan(MigrationResult.MAX_JSON_BYTES - 100);
        String cut = new ObjectMapper().readTree(json).get("message").asText();
        assertThat(cut).endsWith("...").startsWith(unit);
        String kept = cut.substring(0, cut.length() - "...".length());
        assertThat(kept.codePoints()).allMatch(codePoint -> codePoint == unit.codePointAt(0));
    }

    /** A failure whose kind the runner did not name (or this operator cannot read) is retried. */
    @Test
    void aFailureWithoutAKindExitsAsATransientOne() {
        MigrationResult failed = new MigrationResult(
                Outcome.Failed, null, null, null, null, 0, null, null, "m", 0, null, null, null, null);

        assertThat(failed.exitCode()).isEqualTo(ErrorKind.TRANSIENT_EXIT_CODE);
    }

    @Test
    void exitCodesFollowTheErrorKind() {
        assertThat(MigrationResult.succeeded("1", "2", "2", 1).exitCode()).isZero();
        for (ErrorKind kind : ErrorKind.values()) {
            int exitCode =
                    MigrationResult.failed(Failure.of(kind, "m"), null, null, 0).exitCode();
            assertThat(exitCode).isEqualTo(kind.isTransient() ? 2 : 1);
        }
        assertThat(ErrorKind.values())
                .filteredOn(ErrorKind::isTransient)
                .containsExactly(
                        ErrorKind.LockTimeout,
                        ErrorKind.StatementTimeout,
                        ErrorKind.DatabaseUnreachable,
                        ErrorKind.AuthenticationFailed,
                        ErrorKind.Unknown);
    }

    @Test
    void redactsTheFreeTextFields() {
        Redactor redactor = Redactor.forCredentials("jdbc:postgresql://db/app", "s3cret");
        MigrationResult result = MigrationResult.failed(Failure.of(ErrorKind.Unknown, "it was s3cret"), null, null, 0);

        assertThat(result.redacted(redactor).message()).isEqualTo("it was ****");
    }
}
