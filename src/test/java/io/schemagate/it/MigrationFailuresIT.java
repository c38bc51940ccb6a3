package io.schemagate.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.schemagate.api.DatabaseMigration;
import io.schemagate.testbed.TestNamespace;
import io.schemagate.testsupport.TestDatabases;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Each way a migration can fail, observed on the bed with real runs against PostgreSQL. */
@ExtendWith(TestNamespace.Extension.class)
class MigrationFailuresIT {
    @RegisterExtension
    static final SharedOperator operator = new SharedOperator();

    @RegisterExtension
    final TestDatabases database = new TestDatabases();

    private Scenario scenario;

    @BeforeEach
    void setUp(TestNamespace namespace) {
        scenario = new Scenario(namespace, database);
    }

    @Test
    void badSqlStallsWithTheScriptAndSqlStateAndLeavesNothingHalfApplied() throws Exception {
        scenario.credentials();
        Map<String, String> scripts = DatabaseMigrationIT.threeAnd(
                Map.of("V4__broken.sql", "CREATE TABLE half_done (id int);\nCREATE TABLE oops (id int,);"));
        scenario.scripts("migrations", scripts);
        scenario.apply("orders", "migrations", spec -> {});

        DatabaseMigration stalled = scenario.awaitCondition("orders", "Stalled", "MigrationFailed");

        var ready = Scenario.condition(stalled, "Ready").orElseThrow();
        assertThat(ready.getStatus()).isEqualTo("False");
        assertThat(ready.getMessage()).contains("V4__broken.sql").contains("42601");
        assertThat(stalled.getStatus().getLastRun().getFailedMigration()).isEqualTo("V4__broken.sql");
        assertThat(stalled.getStatus().getLastRun().getSqlState()).isEqualTo("42601");
        assertThat(stalled.getStatus().getRevision().getCurrent()).isEqualTo("3");
        assertThat(scenario.tableExists("orders")).isTrue();
        assertThat(scenario.tableExists("half_done")).isFalse();
        scenario.awaitEvents("orders", "MigrationFailed");
        // A deterministic failure is not retried: the one Job stays the only one.
        await().during(Duration.ofSeconds(6))
                .atMost(Duration.ofSeconds(10))
                .until(() -> scenario.jobs().size() == 1);

        scripts.put("V4__broken.sql", "CREATE TABLE half_done (id int);");
        scenario.scripts("migrations", scripts);
        assertThat(scenario.awaitReady("orders").getStatus().getRevision().getCurrent())
                .isEqualTo("4");
    }

    @Test
    void missingCredentialsSecretIsRetriedUntilItAppears() {
        scenario.scripts("migrations", DatabaseMigrationIT.THREE);
        scenario.apply("orders", "migrations", spec -> {});

        DatabaseMigration waiting = scenario.awaitCondition("orders", "Reconciling", "SecretNotFound");
        assertThat(Scenario.condition(waiting, "Ready").orElseThrow().getMessage())
                .contains("Secret " + Scenario.CREDENTIALS + " not found");

        scenario.credentials();
        assertThat(scenario.awaitReady("orders").getStatus().getRevision().getCurrent())
                .isEqualTo("3");
    }

    @Test
    void unreachableDatabaseIsRetriedAndBecomesReadyOnceFixed() {
        scenario.credentials();
        scenario.scripts("migrations", DatabaseMigrationIT.THREE);
        scenario.urlSecret("jdbc:postgresql://127.0.0.1:1/" + database.name());
        scenario.applyWithUrlFromSecret("orders", "migrations");

        DatabaseMigration waiting = scenario.awaitCondition("orders", "Reconciling", "DatabaseUnreachable");
        assertThat(Scenario.condition(waiting, "Ready").orElseThrow().getMessage())
                .contains("retrying in");

        scenario.urlSecret(database.url());
        assertThat(scenario.awaitReady("orders").getStatus().getRevision().getCurrent())
                .isEqualTo("3");
    }

    @Test
    void anAppliedScriptThatWasEditedStallsWithChecksumMismatch() throws Exception {
        scenario.credentials();
        scenario.scripts("migrations", DatabaseMigrationIT.THREE);
        scenario.apply("orders", "migrations", spec -> {});
        scenario.awaitReady("orders");

        scenario.scripts(
                "migrations",
                DatabaseMigrationIT.threeAnd(Map.of(
                        "V2__create_orders.sql", "CREATE TABLE orders (id bigint PRIMARY KEY);",
                        "V4__more.sql", "CREATE TABLE more (id int);")));

        DatabaseMigration stalled = scenario.awaitCondition("orders", "Stalled", "ChecksumMismatch");
        assertThat(Scenario.condition(stalled, "Stalled").orElseThrow().getMessage())
                .contains("V2__create_orders.sql");
        assertThat(scenario.tableExists("more")).isFalse();
        assertThat(scenario.jobs()).hasSize(1);
    }

    @Test
    void aTargetBelowTheCurrentVersionIsRefusedAndChangesNothing() throws Exception {
        scenario.credentials();
        scenario.scripts("migrations", DatabaseMigrationIT.THREE);
        scenario.apply("orders", "migrations", spec -> {});
        scenario.awaitReady("orders");

        scenario.edit("orders", resource -> resource.getSpec().setTarget("1"));

        DatabaseMigration refused = scenario.awaitCondition("orders", "Stalled", "TargetBehindDatabase");
        assertThat(Scenario.condition(refused, "Stalled").orElseThrow().getMessage())
                .contains("below the database's current version 3");
        assertThat(refused.getStatus().getRevision().getCurrent()).isEqualTo("3");
        assertThat(scenario.tableExists("orders")).isTrue();
        assertThat(scenario.jobs()).hasSize(1);
    }

    @Test
    void aSuspendedResourceStartsNoRunUntilResumed() throws Exception {
        scenario.credentials();
        scenario.scripts("migrations", DatabaseMigrationIT.THREE);
        scenario.apply("orders", "migrations", spec -> spec.setSuspend(true));

        DatabaseMigration suspended = scenario.awaitCondition("orders", "Ready", "False", "Suspended");
        assertThat(suspended.getStatus().getRevision().getPending()).containsExactly("1", "2", "3");
        await().during(Duration.ofSeconds(5))
                .atMost(Duration.ofSeconds(8))
                .until(() -> scenario.jobs().isEmpty());

        scenario.edit("orders", resource -> resource.getSpec().setSuspend(false));
        assertThat(scenario.awaitReady("orders").getStatus().getRevision().getCurrent())
                .isEqualTo("3");
    }
}
