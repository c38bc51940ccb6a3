package io.schemagate.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import io.schemagate.api.ImageSource;
import io.schemagate.api.RunStatus;
import io.schemagate.config.SchemaGateConfig;
import io.schemagate.contract.Direction;
import io.schemagate.contract.Outcome;
import io.schemagate.db.AppliedMigration;
import io.schemagate.db.Engine;
import io.schemagate.db.HistoryFormat;
import io.schemagate.db.MigrationSet;
import io.schemagate.db.NamedRevision;
import io.schemagate.db.SchemaRevision;
import io.schemagate.db.ScriptConvention;
import io.schemagate.db.Version;
import io.schemagate.engine.Engines;
import io.schemagate.engine.RunSettings;
import io.schemagate.policy.Finding;
import io.schemagate.policy.PolicyAction;
import io.schemagate.policy.RiskClass;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RunPlannerTest {
    private static final Instant NOW = Instant.parse("2026-11-21T12:00:00Z");
    private static final Map<String, String> SCRIPTS = Map.of(
            "V1__a.sql", "CREATE TABLE a (id int);",
            "V2__b.sql", "CREATE TABLE b (id int);",
            "V3__c.sql", "CREATE TABLE c (id int);");
    private static final RunSettings SETTINGS = new RunSettings(
            Engines.of(Engine.flyway),
            HistoryFormat.flyway,
            List.of("public"),
            "flyway_schema_history",
            "latest",
            false,
            "1",
            false,
            Map.of(),
            Map.of(),
            "10s",
            "0",
            false,
            null,
            null,
            false,
            null,
            null,
            null,
            null);

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
    void aTargetBelowTheDatabaseMigratesDownWhenDowngradesAreAllowed() {
        Plan refused = plan(applied(1, 2, 3), "2", List.of(), false);
        Plan down = plan(allowingDowngrade(SETTINGS, "2"), applied(1, 2, 3), "2", false);

        assertThat(refused.health().message()).contains("set spec.downgrade.allowed: true to migrate down");
        assertThat(down).isInstanceOfSatisfying(Plan.Start.class, start -> {
            assertThat(start.run().direction()).isEqualTo(Direction.Down);
            assertThat(start.health().message()).endsWith("started: migrating down from 3 to 2 (spec.downgrade)");
        });
        assertThat(plan(allowingDowngrade(SETTINGS, "2"), applied(1, 2), "2", false))
                .as("once it is down")
                .isInstanceOf(Plan.UpToDate.class);
    }

    @Test
    void onlyAnExplicitTargetMigratesDownAndOnlyToAnAppliedVersion() {
        Plan latest = plan(allowingDowngrade(SETTINGS, "latest"), applied(1, 2, 3), "latest", false);
        Plan neverApplied = plan(allowingDowngrade(SETTINGS, "2"), applied(1, 3), "2", false);

        assertThat(latest).isInstanceOf(Plan.UpToDate.class);
        assertThat(neverApplied).isInstanceOf(Plan.Blocked.class);
        assertThat(neverApplied.health().reason()).isEqualTo(Reasons.DOWNGRADE_NOT_POSSIBLE);
        assertThat(neverApplied.health().message()).contains("target 2 is not an applied version (applied: 1, 3)");
    }

    @Test
    void revisionsThatAreIdsMigrateDownToOneStatusShowsAsReachedBelowTheHeads() {
        RunSettings alembic = new RunSettings(
                Engines.of(Engine.alembic),
                HistoryFormat.alembic,
                List.of("public"),
                "alembic_version",
                "a1",
                false,
                "1",
                false,
                Map.of(),
                Map.of(),
                "10s",
                "0",
                false,
                new RunSettings.Tool(null, List.of("alembic"), List.of("upgrade", "a1")),
                new RunSettings.Tool(null, List.of("alembic"), List.of("downgrade", "a1")),
                true,
                null,
                null,
                null,
                null);
        SchemaRevision atC3 = SchemaRevision.named(List.of(), new NamedRevision(List.of("c3"), List.of(), null, null));
        ImageSource app = new ImageSource();
        app.setRef("example.com/app:2");
        app.setPath("/app");
        ResolvedSource image = new ResolvedSource.FromImage(app, ImageSource.Mount.Volume);
        RevisionView view = new RevisionView(atC3, Optional.empty(), Version.LATEST, false);

        Plan down = planner.plan(new Observation(
                "orders",
                1,
                null,
                false,
                image,
                alembic,
                view,
                "digestdigest",
                "db",
                List.of(),
                List.of(),
                Optional.empty(),
                NOW,
                List.of("c3", "b2", "a1"),
                false,
                Approval.NOT_REQUIRED,
                PolicyReview.NONE));
        Plan unknown = planner.plan(new Observation(
                "orders",
                1,
                null,
                false,
                image,
                alembic,
                view,
                "digestdigest",
                "db",
                List.of(),
                List.of(),
                Optional.empty(),
                NOW,
                List.of("c3", "b2"),
                false,
                Approval.NOT_REQUIRED,
                PolicyReview.NONE));

        assertThat(down).isInstanceOfSatisfying(Plan.Start.class, start -> {
            assertThat(start.run().direction()).isEqualTo(Direction.Down);
            assertThat(start.run().tool().args()).containsExactly("downgrade", "a1");
        });
        assertThat(unknown)
                .isInstanceOfSatisfying(
                        Plan.Start.class,
                        start -> assertThat(start.run().direction()).isEqualTo(Direction.Up));
    }

    @Test
    void adoptionIsPlannedOnceAndOnlyForAnEmptyHistoryAndAVersionOfTheSource() {
        RunSettings adopting = adopting("2");

        Plan first = plan(adopting, SchemaRevision.withoutHistoryTable(), "latest", false);
        Plan withRows = plan(adopting, applied(1), "latest", false);
        Plan unknown = plan(adopting("7"), SchemaRevision.withoutHistoryTable(), "latest", false);
        Plan afterwards = plan(adopting, applied(1, 2), "latest", true);

        assertThat(first)
                .isInstanceOfSatisfying(
                        Plan.Start.class,
                        start -> assertThat(start.run().adopt()).isEqualTo("2"));
        assertThat(withRows.health().reason()).isEqualTo(Reasons.ADOPT_REFUSED);
        assertThat(withRows.health().message())
                .contains("already records revision 1")
                .contains("remove spec.adopt");
        assertThat(unknown.health().reason()).isEqualTo(Reasons.ADOPT_REFUSED);
        assertThat(unknown.health().message()).contains("7 is not the version of any script");
        assertThat(afterwards)
                .isInstanceOfSatisfying(
                        Plan.Start.class,
                        start -> assertThat(start.run().adopt())
                                .as("adopted already")
                                .isNull());
    }

    @Test
    void aRunThatNeedsApprovalStartsOnlyWithItsPlansDigest() {
        Plan awaiting = plan(SETTINGS, applied(1), "latest", false, new Approval(true, null), Optional.empty());
        String digest = ((Plan.AwaitingApproval) awaiting).run().planDigest();
        Plan wrong =
                plan(SETTINGS, applied(1), "latest", false, new Approval(true, "0123456789abcdef"), Optional.empty());
        Plan approved = plan(SETTINGS, applied(1), "latest", false, new Approval(true, digest), Optional.empty());
        Plan movedOn = plan(SETTINGS, applied(1, 2), "latest", false, new Approval(true, digest), Optional.empty());

        assertThat(awaiting.health().reason()).isEqualTo(Reasons.AWAITING_APPROVAL);
        assertThat(awaiting.health().state()).isEqualTo(Health.State.PROGRESSING);
        assertThat(awaiting.health().message())
                .isEqualTo("2 pending migrations (2, 3) waits for approval of plan " + digest
                        + " (status.plan): kubectl annotate dbm/orders --overwrite schemagate.io/approve=" + digest);
        assertThat(digest).hasSize(16).matches("[0-9a-f]+");
        assertThat(wrong).isInstanceOf(Plan.AwaitingApproval.class);
        assertThat(approved)
                .isInstanceOfSatisfying(
                        Plan.Start.class,
                        start -> assertThat(start.run().approvedPlan()).isEqualTo(digest));
        assertThat(movedOn)
                .as("the database moved: a new plan")
                .isInstanceOfSatisfying(
                        Plan.AwaitingApproval.class,
                        next -> assertThat(next.run().planDigest()).isNotEqualTo(digest));
        assertThat(plan(SETTINGS, applied(1), "latest", false, new Approval(true, null), Optional.of("shop/other-1")))
                .as("asked before waiting for another run")
                .isInstanceOf(Plan.AwaitingApproval.class);
    }

    /** Where the webhook checks approvals, an approval counts only with whoever gave it on record. */
    @Test
    void aCheckedApprovalCountsOnlyWithItsApproverRecorded() {
        String digest = ((Plan.AwaitingApproval)
                        plan(SETTINGS, applied(1), "latest", false, new Approval(true, null), Optional.empty()))
                .run()
                .planDigest();
        Approver bob = new Approver("bob", List.of("system:authenticated", "dba"));

        Plan unrecorded =
                plan(SETTINGS, applied(1), "latest", false, new Approval(true, digest, null, true), Optional.empty());
        Plan recorded =
                plan(SETTINGS, applied(1), "latest", false, new Approval(true, digest, bob, true), Optional.empty());

        assertThat(unrecorded).isInstanceOf(Plan.AwaitingApproval.class);
        assertThat(unrecorded.health().message()).endsWith("schemagate.io/approve=" + digest + RunPlanner.UNRECORDED);
        assertThat(recorded).isInstanceOfSatisfying(Plan.Start.class, start -> {
            assertThat(start.run().approvedPlan()).isEqualTo(digest);
            assertThat(start.run().approver()).isEqualTo(bob);
        });
    }

    @Test
    void theChangePolicyRefusesAsksForApprovalOrLetsARunGoAsSpecPolicySays() {
        Finding drop = new Finding(
                RiskClass.destructive,
                "drop-table",
                "V2__b.sql",
                3,
                "DROP TABLE a",
                "DROP TABLE deletes the table",
                "drop it later",
                false);
        Plan refused = plan(
                SETTINGS,
                applied(1),
                "latest",
                false,
                Approval.NOT_REQUIRED,
                Optional.empty(),
                new PolicyReview(List.of(new PolicyReview.Judged(drop, PolicyAction.Refuse)), null));
        Plan toApprove = plan(
                SETTINGS,
                applied(1),
                "latest",
                false,
                Approval.NOT_REQUIRED,
                Optional.empty(),
                new PolicyReview(List.of(new PolicyReview.Judged(drop, PolicyAction.RequireApproval)), null));
        Plan warned = plan(
                SETTINGS,
                applied(1),
                "latest",
                false,
                Approval.NOT_REQUIRED,
                Optional.empty(),
                new PolicyReview(List.of(new PolicyReview.Judged(drop, PolicyAction.Warn)), null));
        Plan unchecked = plan(
                SETTINGS,
                applied(1),
                "latest",
                false,
                Approval.NOT_REQUIRED,
                Optional.empty(),
                new PolicyReview(List.of(), "libpg_query is not at /opt/schemagate/lib/libpg_query.so"));

        assertThat(refused.health().reason()).isEqualTo(Reasons.POLICY_VIOLATION);
        assertThat(refused.health().state()).isEqualTo(Health.State.STALLED);
        assertThat(refused.health().message())
                .contains("refuses V2__b.sql:3 drop-table (DROP TABLE deletes the table; instead, drop it later)")
                .contains("-- schemagate:allow drop-table")
                .contains("spec.policy.destructive");
        assertThat(toApprove)
                .isInstanceOfSatisfying(
                        Plan.AwaitingApproval.class,
                        awaiting -> assertThat(awaiting.health().message())
                                .contains("the change policy asks for it: V2__b.sql:3 drop-table"));
        String digest = ((Plan.AwaitingApproval) toApprove).run().planDigest();
        assertThat(plan(
                        SETTINGS,
                        applied(1),
                        "latest",
                        false,
                        new Approval(false, digest),
                        Optional.empty(),
                        new PolicyReview(List.of(new PolicyReview.Judged(drop, PolicyAction.RequireApproval)), null)))
                .isInstanceOf(Plan.Start.class);
        assertThat(warned).isInstanceOf(Plan.Start.class);
        assertThat(unchecked.health().reason()).isEqualTo(Reasons.POLICY_VIOLATION);
        assertThat(unchecked.health().message()).contains("cannot review").contains("no run starts unchecked");
    }

    @Test
    void anEditedAppliedScriptIsAChecksumMismatch() {
        List<AppliedMigration> rows = new ArrayList<>(applied(1, 2).applied());
        rows.set(1, row(2, "V2__b.sql", ScriptConvention.FLYWAY.checksum("something else")));

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
        assertThat(due.health().message())
                .contains("public.a_idx is INVALID")
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

    /** The scripts could not be copied out, or the tool could not be started: nothing ran. */
    @ParameterizedTest
    @ValueSource(strings = {Reasons.SOURCE_COPY_FAILED, Reasons.TOOL_NOT_FOUND})
    void aRunThatStoppedBeforeAnythingRanRunsAgainOnlyForANewSpec(String reason) {
        RunStatus stopped = failed(reason, 1, NOW.minusSeconds(1));
        stopped.setGeneration(1L);
        Plan same = plan(applied(1), "latest", List.of(stopped), false);
        stopped.setGeneration(0L);
        Plan newer = plan(applied(1), "latest", List.of(stopped), false);

        assertThat(same).isInstanceOf(Plan.Blocked.class);
        assertThat(same.health().reason()).isEqualTo(reason);
        assertThat(newer)
                .as("a newer generation, with mount: Volume or another image say")
                .isInstanceOfSatisfying(
                        Plan.Start.class,
                        start -> assertThat(start.run().attempt()).isEqualTo(2));
    }

    @Test
    void aTransientFailureIsRetriedAfterABackoffThatDoublesPerAttempt() {
        Plan waiting =
                plan(applied(1), "latest", List.of(failed("DatabaseUnreachable", 2, NOW.minusSeconds(4))), false);
        Plan due = plan(applied(1), "latest", List.of(failed("DatabaseUnreachable", 2, NOW.minusSeconds(10))), false);

        assertThat(waiting)
                .isInstanceOfSatisfying(
                        Plan.Wait.class, wait -> assertThat(wait.recheckAfter()).isEqualTo(Duration.ofSeconds(6)));
        assertThat(due)
                .isInstanceOfSatisfying(
                        Plan.Start.class,
                        start -> assertThat(start.run().attempt()).isEqualTo(3));
    }

    @Test
    void aFailedRunRecordedWithoutAnEndIsRetriedAfterTheBackoffFromItsStart() {
        RunStatus deleted = failed("RunFailed", 1, NOW);
        deleted.setFinishedAt(null);
        deleted.setStartedAt(NOW.minusSeconds(2).toString());
        Plan waiting = plan(applied(1), "latest", List.of(deleted), false);
        deleted.setStartedAt(NOW.minusSeconds(6).toString());
        Plan due = plan(applied(1), "latest", List.of(deleted), false);

        assertThat(waiting)
                .isInstanceOfSatisfying(
                        Plan.Wait.class, wait -> assertThat(wait.recheckAfter()).isEqualTo(Duration.ofSeconds(3)));
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
        assertThat(exhausted.health().message())
                .contains("failed 3 times in a row")
                .contains("schemagate.io/retry");

        third.setConsecutiveFailures(2);
        assertThat(plan(applied(1), "latest", List.of(third), false)).isInstanceOf(Plan.Start.class);
        third.setConsecutiveFailures(3);
        third.setGeneration(0L);
        assertThat(plan(applied(1), "latest", List.of(third), false))
                .as("a newer generation")
                .isInstanceOf(Plan.Start.class);
    }

    @Test
    void aNewRetryRequestRunsADeterministicFailureAgain() {
        RunStatus failed = failed("MigrationFailed", 1, NOW.minusSeconds(1));
        ResolvedSource source = new ResolvedSource.FromConfigMaps(MigrationSet.of(SCRIPTS), List.of("scripts"));
        RevisionView view =
                new RevisionView(applied(1), Optional.of(MigrationSet.of(SCRIPTS)), Version.parse("latest"), false);

        Plan plan = planner.plan(new Observation(
                "orders",
                1,
                "please",
                false,
                source,
                SETTINGS,
                view,
                "digestdigest",
                "db",
                List.of(),
                List.of(failed),
                Optional.empty(),
                NOW));

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
        RevisionView view =
                new RevisionView(revision, Optional.of(MigrationSet.of(SCRIPTS)), Version.parse(target), false);
        return planner.plan(new Observation(
                "orders",
                1,
                null,
                suspended,
                source,
                SETTINGS,
                view,
                "digestdigest",
                "db",
                List.of(),
                history,
                Optional.empty(),
                NOW));
    }

    private Plan plan(RunSettings settings, SchemaRevision revision, String target, boolean adopted) {
        return plan(settings, revision, target, adopted, Approval.NOT_REQUIRED, Optional.empty());
    }

    private Plan plan(
            RunSettings settings,
            SchemaRevision revision,
            String target,
            boolean adopted,
            Approval approval,
            Optional<String> otherRun) {
        return plan(settings, revision, target, adopted, approval, otherRun, PolicyReview.NONE);
    }

    private Plan plan(
            RunSettings settings,
            SchemaRevision revision,
            String target,
            boolean adopted,
            Approval approval,
            Optional<String> otherRun,
            PolicyReview policy) {
        ResolvedSource source = new ResolvedSource.FromConfigMaps(MigrationSet.of(SCRIPTS), List.of("scripts"));
        RevisionView view =
                new RevisionView(revision, Optional.of(MigrationSet.of(SCRIPTS)), Version.parse(target), false);
        return planner.plan(new Observation(
                "orders",
                1,
                null,
                false,
                source,
                settings,
                view,
                "digestdigest",
                "db",
                List.of(),
                List.of(),
                otherRun,
                NOW,
                List.of(),
                adopted,
                approval,
                policy));
    }

    private static RunSettings allowingDowngrade(RunSettings settings, String target) {
        return new RunSettings(
                settings.engine(),
                settings.format(),
                settings.schemas(),
                settings.table(),
                target,
                false,
                "1",
                false,
                Map.of(),
                Map.of(),
                "10s",
                "0",
                false,
                null,
                null,
                true,
                null,
                null,
                null,
                null);
    }

    private static RunSettings adopting(String version) {
        return new RunSettings(
                Engines.of(Engine.flyway),
                HistoryFormat.flyway,
                List.of("public"),
                "flyway_schema_history",
                "latest",
                false,
                "1",
                false,
                Map.of(),
                Map.of(),
                "10s",
                "0",
                false,
                null,
                null,
                false,
                version,
                null,
                null,
                null);
    }

    private static SchemaRevision applied(int... versions) {
        List<AppliedMigration> rows = new ArrayList<>();
        for (int version : versions) {
            String script = "V" + version + "__" + (char) ('a' + version - 1) + ".sql";
            rows.add(row(version, script, ScriptConvention.FLYWAY.checksum(SCRIPTS.get(script))));
        }
        return SchemaRevision.fromHistory(rows);
    }

    private static AppliedMigration row(int version, String script, String checksum) {
        return new AppliedMigration(
                version, Version.parse(Integer.toString(version)), script, "SQL", script, checksum, NOW, true);
    }

    private static RunStatus failed(String reason, int attempt, Instant finishedAt) {
        RunStatus run = new RunStatus();
        run.setJob("orders-digestdige-" + attempt);
        run.setDigest("digestdigest");
        run.setAttempt(attempt);
        run.setOutcome(Outcome.Failed);
        run.setReason(reason);
        run.setFinishedAt(finishedAt.toString());
        return run;
    }

    private record Retry(Duration initialBackoff, Duration maxBackoff, int maxAttempts)
            implements SchemaGateConfig.Retry {}
}
