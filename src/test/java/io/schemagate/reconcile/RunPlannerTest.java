package io.schemagate.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import io.schemagate.api.RunStatus;
import io.schemagate.config.SchemaGateConfig;
import io.schemagate.db.AppliedMigration;
import io.schemagate.db.Engine;
import io.schemagate.db.HistoryFormat;
import io.schemagate.db.MigrationSet;
import io.schemagate.db.SchemaRevision;
import io.schemagate.db.Version;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RunPlannerTest {
    private static final Instant NOW = Instant.parse("2026-11-21T12:00:00Z");
    private static final Map<String, String> SCRIPTS = Map.of(
            "V1__a.sql", "CREATE TABLE a (id int);",
            "V2__b.sql", "CREATE TABLE b (id int);",
            "V3__c.sql", "CREATE TABLE c (id int);");
    private static final RunSettings SETTINGS = new RunSettings(Engine.flyway, HistoryFormat.flyway,
            List.of("public"), "flyway_schema_history", "latest", false, "1", false, Map.of(), Map.of(), "10s", "0",
            false, null);

    private final RunPlanner planner = new RunPlanner(new Retry(Duration.ofSeconds(5), Duration.ofSeconds(60), 3));

    @Test
    void anEmptyDatabaseGetsAFirstRunOfAllScripts() {
        Plan plan = plan(SchemaRevision.withoutHistoryTable(), "latest", List.of(), false);

        assertThat(plan).isInstanceOfSatisfying(Plan.Start.class, start -> {
            assertThat(start.run().attempt()).isEqualTo(1);
            assertThat(start.run().jobName()).isEqualTo("orders-digestdige-1");
            assertThat(start.health().message()).contains("3 pending migrations (1, 2, 3)");
        });
    }

    @Test
    void aDatabaseAtTheLatestScriptIsUpToDate() {
        Plan plan = plan(applied(1, 2, 3), "latest", List.of(), false);

        assertThat(plan).isInstanceOf(Plan.UpToDate.class);
        assertThat(plan.health().state()).isEqualTo(Health.State.CURRENT);
        assertThat(plan.health().message()).isEqualTo("schema at version 3");
    }

    @Test
    void aTargetStopsTheRunBeforeLaterScripts() {
        assertThat(plan(applied(1, 2), "2", List.of(), false)).isInstanceOf(Plan.UpToDate.class);
        assertThat(plan(applied(1), "2", List.of(), false)).isInstanceOf(Plan.Start.class);
    }

    @Test
    void aTargetBelowTheDatabaseIsRefused() {
        Plan plan = plan(applied(1, 2, 3), "2", List.of(), false);

        assertThat(plan).isInstanceOf(Plan.Blocked.class);
        assertThat(plan.health().reason()).isEqualTo(Reasons.TARGET_BEHIND_DATABASE);
    }

    @Test
    void anEditedAppliedScriptIsAChecksumMismatch() {
        List<AppliedMigration> rows = new ArrayList<>(applied(1, 2).applied());
        rows.set(1, row(2, "V2__b.sql", Engine.flyway.checksum("something else")));

        Plan plan = plan(SchemaRevision.fromHistory(rows), "latest", List.of(), false);

        assertThat(plan.health().reason()).isEqualTo(Reasons.CHECKSUM_MISMATCH);
        assertThat(plan.health().message()).contains("V2__b.sql");
    }

    @Test
    void anInvalidIndexStallsARunThatIsDueAndNamesWhatToDo() {
        Plan due = plan(applied(1).withInvalidIndexes(List.of("public.a_idx")), "latest", List.of(), false);
        Plan current = plan(applied(1, 2, 3).withInvalidIndexes(List.of("public.a_idx")), "latest", List.of(), false);

        assertThat(due).isInstanceOf(Plan.Blocked.class);
        assertThat(due.health().reason()).isEqualTo(Reasons.INVALID_INDEX);
        assertThat(due.health().message()).contains("public.a_idx is INVALID")
                .contains("DROP INDEX CONCURRENTLY public.a_idx");
        // Nothing to run: an invalid index the migrations do not touch does not make the schema less current.
        assertThat(current).isInstanceOf(Plan.UpToDate.class);
    }

    @Test
    void suspendedStartsNothing() {
        Plan plan = plan(applied(1), "latest", List.of(), true);

        assertThat(plan).isInstanceOf(Plan.Suspended.class);
        assertThat(plan.health().state()).isEqualTo(Health.State.SUSPENDED);
    }

    @Test
    void aDeterministicFailureOfTheSameDigestStalls() {
        Plan plan = plan(applied(1), "latest", List.of(failed("MigrationFailed", 1, NOW.minusSeconds(1))), false);

        assertThat(plan).isInstanceOf(Plan.Blocked.class);
        assertThat(plan.health().reason()).isEqualTo("MigrationFailed");
    }

    @Test
    void aTransientFailureIsRetriedAfterABackoffThatDoublesPerAttempt() {
        Plan waiting = plan(applied(1), "latest", List.of(failed("DatabaseUnreachable", 2, NOW.minusSeconds(4))), false);
        Plan due = plan(applied(1), "latest", List.of(failed("DatabaseUnreachable", 2, NOW.minusSeconds(10))), false);

        assertThat(waiting).isInstanceOfSatisfying(Plan.Wait.class,
                wait -> assertThat(wait.recheckAfter()).isEqualTo(Duration.ofSeconds(6)));
        assertThat(due).isInstanceOfSatisfying(Plan.Start.class, start -> assertThat(start.run().attempt()).isEqualTo(3));
    }

    @Test
    void aFailedRunRecordedWithoutAnEndIsRetriedAfterTheBackoffFromItsStart() {
        RunStatus deleted = failed("RunFailed", 1, NOW);
        deleted.setFinishedAt(null);
        deleted.setStartedAt(NOW.minusSeconds(2).toString());
        Plan waiting = plan(applied(1), "latest", List.of(deleted), false);
        deleted.setStartedAt(NOW.minusSeconds(6).toString());
        Plan due = plan(applied(1), "latest", List.of(deleted), false);

        assertThat(waiting).isInstanceOfSatisfying(Plan.Wait.class,
                wait -> assertThat(wait.recheckAfter()).isEqualTo(Duration.ofSeconds(3)));
        assertThat(due).isInstanceOf(Plan.Start.class);
    }

    @Test
    void theSameTransientFailureMaxAttemptsTimesInARowStallsUntilTheSpecChangesOrARetryIsAsked() {
        RunStatus third = failed("DatabaseUnreachable", 3, NOW.minusSeconds(3600));
        third.setConsecutiveFailures(3);
        third.setGeneration(1L);

        Plan exhausted = plan(applied(1), "latest", List.of(third), false);
        assertThat(exhausted).isInstanceOf(Plan.Blocked.class);
        assertThat(exhausted.health().reason()).isEqualTo(Reasons.RETRIES_EXHAUSTED);
        assertThat(exhausted.health().message()).contains("failed 3 times in a row")
                .contains("schemagate.io/retry");

        third.setConsecutiveFailures(2);
        assertThat(plan(applied(1), "latest", List.of(third), false)).isInstanceOf(Plan.Start.class);
        third.setConsecutiveFailures(3);
        third.setGeneration(0L);
        assertThat(plan(applied(1), "latest", List.of(third), false)).as("a newer generation")
                .isInstanceOf(Plan.Start.class);
    }

    @Test
    void aNewRetryRequestRunsADeterministicFailureAgain() {
        RunStatus failed = failed("MigrationFailed", 1, NOW.minusSeconds(1));
        ResolvedSource source = new ResolvedSource.FromConfigMaps(MigrationSet.of(SCRIPTS), List.of("scripts"));
        RevisionView view = new RevisionView(applied(1), Optional.of(MigrationSet.of(SCRIPTS)), Version.parse("latest"),
                false);

        Plan plan = planner.plan(new Observation("orders", 1, "please", false, source, SETTINGS, view, "digestdigest",
                "db", List.of(), List.of(failed), Optional.empty(), NOW));

        assertThat(plan).isInstanceOfSatisfying(Plan.Start.class, start -> {
            assertThat(start.run().attempt()).isEqualTo(2);
            assertThat(start.run().retryRequest()).isEqualTo("please");
        });
    }

    @Test
    void backoffIsCapped() {
        assertThat(planner.backoff(1)).isEqualTo(Duration.ofSeconds(5));
        assertThat(planner.backoff(3)).isEqualTo(Duration.ofSeconds(20));
        assertThat(planner.backoff(30)).isEqualTo(Duration.ofSeconds(60));
    }

    private Plan plan(SchemaRevision revision, String target, List<RunStatus> history, boolean suspended) {
        ResolvedSource source = new ResolvedSource.FromConfigMaps(MigrationSet.of(SCRIPTS), List.of("scripts"));
        RevisionView view = new RevisionView(revision, Optional.of(MigrationSet.of(SCRIPTS)), Version.parse(target),
                false);
        return planner.plan(new Observation("orders", 1, null, suspended, source, SETTINGS, view, "digestdigest", "db",
                List.of(), history, Optional.empty(), NOW));
    }

    private static SchemaRevision applied(int... versions) {
        List<AppliedMigration> rows = new ArrayList<>();
        for (int version : versions) {
            String script = "V" + version + "__" + (char) ('a' + version - 1) + ".sql";
            rows.add(row(version, script, Engine.flyway.checksum(SCRIPTS.get(script))));
        }
        return SchemaRevision.fromHistory(rows);
    }

    private static AppliedMigration row(int version, String script, String checksum) {
        return new AppliedMigration(version, Version.parse(Integer.toString(version)), script, "SQL", script, checksum,
                NOW, true);
    }

    private static RunStatus failed(String reason, int attempt, Instant finishedAt) {
        RunStatus run = new RunStatus();
        run.setJob("orders-digestdige-" + attempt);
        run.setDigest("digestdigest");
        run.setAttempt(attempt);
        run.setOutcome("Failed");
        run.setReason(reason);
        run.setFinishedAt(finishedAt.toString());
        return run;
    }

    private record Retry(Duration initialBackoff, Duration maxBackoff, int maxAttempts)
            implements SchemaGateConfig.Retry {
    }
}
