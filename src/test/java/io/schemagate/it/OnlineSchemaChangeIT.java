package io.schemagate.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.schemagate.api.ConfigMapSource;
import io.schemagate.api.DatabaseMigration;
import io.schemagate.api.RunStatus;
import io.schemagate.contract.Outcome;
import io.schemagate.reconcile.Labels;
import io.schemagate.testbed.TestNamespace;
import io.schemagate.testsupport.Corpora;
import io.schemagate.testsupport.TestDatabases;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Schema changes made while an application uses the database, through real Jobs: concurrent index
 * builds and other statements that cannot run in a transaction, what a failed concurrent build leaves
 * behind, and locks held by application transactions.
 */
@ExtendWith(TestNamespace.Extension.class)
class OnlineSchemaChangeIT {
    /**
     * A public real-world Flyway set (Dependency-Track's), read where CI keeps it beside the checkout:
     * see its PROVENANCE.txt. Upstream runs it without placeholder replacement, which SchemaGate
     * cannot turn off; no script contains a placeholder, so replacing them changes nothing. Upstream
     * also baselines on migrate, for databases Liquibase managed before; an empty database must not
     * be baselined, which is SchemaGate's default.
     */
    private static final String DEPENDENCY_TRACK = "flyway-dependencytrack/migration";

    /** Ours, on Dependency-Track's tables: concurrent builds in a row, between transactional changes. */
    private static final Map<String, String> ONLINE_CHANGES = Map.of(
            "V202606010001__component_purl_lower_idx.sql",
            "CREATE INDEX CONCURRENTLY \"COMPONENT_PURL_LOWER_IDX\" ON \"COMPONENT\" (lower(\"PURL\"));",
            "V202606010002__project_supplier_idx.sql",
            "CREATE INDEX CONCURRENTLY \"PROJECT_SUPPLIER_IDX\" ON \"PROJECT\" (\"SUPPLIER\");",
            "V202606010003__add_component_note.sql",
            "ALTER TABLE \"COMPONENT\" ADD COLUMN \"NOTE\" text;",
            "V202606010004__component_note_idx.sql",
            "CREATE INDEX CONCURRENTLY \"COMPONENT_NOTE_IDX\" ON \"COMPONENT\" (\"NOTE\") WHERE \"NOTE\" IS NOT NULL;",
            "V202606010005__reindex_component_group.sql",
            "REINDEX INDEX CONCURRENTLY \"COMPONENT_GROUP_IDX\";",
            "V202606010006__vacuum_component.sql",
            "VACUUM (ANALYZE) \"COMPONENT\";",
            "V202606010007__add_project_note.sql",
            "ALTER TABLE \"PROJECT\" ADD COLUMN \"NOTE\" text;");

    private static final String CREATE_ACCOUNTS = "CREATE TABLE accounts (id int PRIMARY KEY, email text);\n"
            + "INSERT INTO accounts VALUES (1, 'a@example.com');";

    @RegisterExtension
    static final SharedOperator operator = new SharedOperator();

    @RegisterExtension
    final TestDatabases database = new TestDatabases();

    private Scenario scenario;
    private JobLedger jobs;

    @BeforeEach
    void setUp(TestNamespace namespace) {
        scenario = new Scenario(namespace, database);
        scenario.credentials();
        jobs = new JobLedger(namespace);
    }

    @AfterEach
    void tearDown() {
        jobs.close();
    }

    @Test
    void concurrentIndexBuildsOnARealWorldSchemaEndReadyQuickly() throws Exception {
        Map<String, String> corpus = read(Corpora.folder(DEPENDENCY_TRACK));
        assertThat(corpus.values()).as("scripts with placeholders").noneMatch(script -> script.contains("${"));
        scenario.scripts("dependency-track", corpus);
        scenario.scripts("online-changes", ONLINE_CHANGES);

        Instant applied = Instant.now();
        scenario.apply(
                "dtrack",
                "dependency-track",
                spec -> spec.getSource()
                        .setConfigMaps(List.of(
                                new ConfigMapSource("dependency-track"), new ConfigMapSource("online-changes"))));
        DatabaseMigration ready = scenario.awaitReady("dtrack");
        Duration applyToReady = Duration.between(applied, Instant.now());
        System.out.printf(
                "Dependency-Track with %d online changes: apply to Ready in %d ms%n",
                ONLINE_CHANGES.size(), applyToReady.toMillis());

        // A run that hung would have ended at its deadline and been retried: one successful run proves it did not.
        assertThat(ready.getStatus().getHistory())
                .singleElement()
                .satisfies(run -> assertThat(run.getOutcome()).isEqualTo(Outcome.Succeeded));
        assertThat(ready.getStatus().getRevision().getCurrent()).isEqualTo("202606010007");
        Map<String, String> all = new HashMap<>(corpus);
        all.putAll(ONLINE_CHANGES);
        assertThat(scenario.appliedScripts()).containsExactlyInAnyOrderElementsOf(all.keySet());
        assertThat(invalidIndexes()).as("left by a concurrent build or reindex").isEmpty();
        assertThat(names("SELECT indexname FROM pg_indexes"))
                .contains(
                        "COMPONENT_PURL_LOWER_IDX",
                        "PROJECT_SUPPLIER_IDX",
                        "COMPONENT_NOTE_IDX",
                        "COMPONENT_GROUP_IDX");
        jobs.assertRunsSucceededOnce(1);
    }

    @Test
    void aFailedUniqueConcurrentBuildStallsOnItsInvalidIndexUntilItIsDropped() throws Exception {
        scenario.scripts(
                "migrations",
                Map.of(
                        "V1__create_accounts.sql",
                        "CREATE TABLE accounts (id int, email text);\n"
                                + "INSERT INTO accounts VALUES (1, 'a@example.com'), (2, 'a@example.com');",
                        "V2__unique_email.sql",
                        "CREATE UNIQUE INDEX CONCURRENTLY accounts_email_key ON accounts (email);"));
        scenario.apply("accounts", "migrations", spec -> {});

        DatabaseMigration failed = scenario.awaitCondition("accounts", "Stalled", "FailedMigrationInHistory");
        assertThat(failed.getStatus().getLastRun().getFailedMigration()).isEqualTo("V2__unique_email.sql");
        assertThat(failed.getStatus().getLastRun().getSqlState()).isEqualTo("23505");
        assertThat(invalidIndexes()).containsExactly("accounts_email_key");

        // The user fixes the data and removes the failed run from the history, but not the index.
        scenario.sql("DELETE FROM accounts WHERE id = 2; DELETE FROM flyway_schema_history WHERE NOT success");
        DatabaseMigration blocked = scenario.awaitCondition("accounts", "Stalled", "InvalidIndex");
        assertThat(blocked.getStatus().getRevision().getInvalidIndexes()).containsExactly("public.accounts_email_key");
        assertThat(Scenario.condition(blocked, "Stalled").orElseThrow().getMessage())
                .contains("public.accounts_email_key")
                .contains("DROP INDEX CONCURRENTLY");

        scenario.sql("DROP INDEX accounts_email_key");
        // The failure was deterministic, so the unchanged scripts do not run again by themselves, even
        // on the repaired database: the resource goes back to the failed run's reason, and waits for
        // a new value of the retry annotation.
        DatabaseMigration repaired = scenario.awaitCondition("accounts", "Stalled", "MigrationFailed");
        assertThat(repaired.getStatus().getRevision().getInvalidIndexes()).isNullOrEmpty();
        scenario.edit(
                "accounts", resource -> resource.getMetadata().setAnnotations(Map.of(Labels.RETRY, "data-fixed")));

        assertThat(scenario.awaitReady("accounts").getStatus().getRevision().getCurrent())
                .isEqualTo("2");
        assertThat(invalidIndexes()).isEmpty();
        assertThat(scenario.appliedScripts()).containsExactly("V1__create_accounts.sql", "V2__unique_email.sql");
        // The first Job applied V1 and failed on V2, the retried one applied V2.
        assertThat(jobs.failed()).hasSize(1);
        jobs.assertRunsSucceededOnce(1);
    }

    @Test
    void aLockHeldByTheApplicationTimesTheRunOutUntilItIsReleased() throws Exception {
        scenario.scripts("migrations", Map.of("V1__create_accounts.sql", CREATE_ACCOUNTS));
        scenario.apply("accounts", "migrations", spec -> spec.getDatabase().setLockTimeout("500ms"));
        scenario.awaitReady("accounts");

        try (Connection application = database.connect();
                Statement statement = application.createStatement()) {
            application.setAutoCommit(false);
            statement.execute("SELECT * FROM accounts WHERE id = 1 FOR UPDATE");
            scenario.scripts(
                    "migrations",
                    Map.of(
                            "V1__create_accounts.sql",
                            CREATE_ACCOUNTS,
                            "V2__add_verified.sql",
                            "ALTER TABLE accounts ADD COLUMN verified boolean;"));

            // Twice in a row: the failure is transient and the run is tried again.
            await("two attempts timed out on the lock").atMost(Scenario.TIMEOUT).untilAsserted(() -> {
                RunStatus run = scenario.resource("accounts").get().getStatus().getLastRun();
                assertThat(run.getReason()).isEqualTo("LockTimeout");
                assertThat(run.getConsecutiveFailures()).isEqualTo(2);
            });
            DatabaseMigration retrying = scenario.resource("accounts").get();
            RunStatus timedOut = retrying.getStatus().getLastRun();
            assertThat(timedOut.getFailedMigration()).isEqualTo("V2__add_verified.sql");
            assertThat(timedOut.getSqlState()).isEqualTo("55P03");
            assertThat(Scenario.condition(retrying, "Reconciling").orElseThrow().getReason())
                    .isIn("RetryScheduled", "MigrationRunning");
            application.rollback();
        }

        assertThat(scenario.awaitReady("accounts").getStatus().getRevision().getCurrent())
                .isEqualTo("2");
        assertThat(scenario.appliedScripts()).containsExactly("V1__create_accounts.sql", "V2__add_verified.sql");
        assertThat(jobs.failed()).hasSizeGreaterThanOrEqualTo(2);
        jobs.assertRunsSucceededOnce(2);
    }

    private List<String> invalidIndexes() throws Exception {
        return names("SELECT c.relname FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid"
                + " WHERE NOT i.indisvalid ORDER BY 1");
    }

    private List<String> names(String query) throws Exception {
        try (Connection connection = database.connect();
                Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery(query)) {
            List<String> names = new ArrayList<>();
            while (rows.next()) {
                names.add(rows.getString(1));
            }
            return names;
        }
    }

    private static Map<String, String> read(Path folder) {
        Map<String, String> scripts = new TreeMap<>();
        try (Stream<Path> files = Files.list(folder)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".sql")).toList()) {
                scripts.put(file.getFileName().toString(), Files.readString(file));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return scripts;
    }
}
