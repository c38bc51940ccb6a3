package io.schemagate.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Pod;
import io.schemagate.api.DatabaseMigration;
import io.schemagate.api.VerifySpec;
import io.schemagate.api.VerifyStatus;
import io.schemagate.gate.Gating;
import io.schemagate.gate.PodGate;
import io.schemagate.testbed.TestNamespace;
import io.schemagate.testsupport.TestDatabases;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * spec.verify on the test bed: checks the schema must pass after every run and at every resync,
 * read-only, with what each returned in status and pods held past the revision last verified.
 */
@ExtendWith(TestNamespace.Extension.class)
class VerifyIT {
    private static final VerifySpec ORDERS_EXIST =
            new VerifySpec("orders-exist", "SELECT to_regclass('orders') IS NOT NULL");
    private static final VerifySpec NO_ORPHANS =
            new VerifySpec("no-orphans", "SELECT count(*) = 0 FROM orders WHERE customer IS NULL");

    @RegisterExtension
    static final SharedOperator operator = new SharedOperator();

    @RegisterExtension
    final TestDatabases database = new TestDatabases();

    private Scenario scenario;

    @Test
    void passingChecksAreInStatusAndATableDroppedAfterwardsStallsNamingTheCheck(TestNamespace namespace)
            throws Exception {
        apply(namespace, ORDERS_EXIST, NO_ORPHANS);
        DatabaseMigration ready = scenario.awaitReady("orders");

        assertThat(ready.getStatus().getVerify())
                .extracting(VerifyStatus::getName, VerifyStatus::isPassed)
                .containsExactly(tuple("orders-exist", true), tuple("no-orphans", true));
        assertThat(ready.getStatus().getVerifiedRevision()).isEqualTo("3");

        scenario.sql("DROP TABLE orders");

        DatabaseMigration stalled = scenario.awaitCondition("orders", "Stalled", "VerifyFailed");
        assertThat(Scenario.condition(stalled, "Stalled").orElseThrow().getMessage())
                .contains("verify check orders-exist returned false");
        assertThat(stalled.getStatus().getVerify().get(0).isPassed()).isFalse();
        assertThat(stalled.getStatus().getVerify().get(1).getSqlState()).isEqualTo("42P01");
        assertThat(scenario.jobs()).hasSize(1);
    }

    @Test
    void aRunThatBreaksACheckKeepsPodsNeedingItsRevisionHeldUntilTheDataIsFixed(TestNamespace namespace)
            throws Exception {
        apply(namespace, NO_ORPHANS);
        scenario.awaitReady("orders");

        scenario.scripts(
                "migrations",
                DatabaseMigrationIT.threeAnd(
                        Map.of("V4__orphan.sql", "INSERT INTO orders (id, customer) VALUES (1, NULL);")));
        DatabaseMigration stalled = scenario.awaitCondition("orders", "Stalled", "VerifyFailed");

        assertThat(stalled.getStatus().getRevision().getCurrent()).isEqualTo("4");
        assertThat(stalled.getStatus().getVerifiedRevision()).isEqualTo("3");
        Pod needsFour = create(namespace, GatingIT.pod("needs-4", "orders", Map.of(Gating.REVISION_ANNOTATION, "4")));
        Pod needsThree = create(namespace, GatingIT.pod("needs-3", "orders", Map.of(Gating.REVISION_ANNOTATION, "3")));
        assertThat(PodGate.isHeld(needsFour)).isTrue();
        assertThat(PodGate.isHeld(needsThree)).isFalse();

        scenario.sql("DELETE FROM orders WHERE customer IS NULL");

        await("the pod needing 4 released once the check passes")
                .atMost(Scenario.TIMEOUT)
                .untilAsserted(() -> assertThat(namespace
                                .client()
                                .pods()
                                .inNamespace(namespace.name())
                                .withName("needs-4")
                                .get()
                                .getSpec()
                                .getSchedulingGates())
                        .isNullOrEmpty());
        DatabaseMigration ready = scenario.awaitReady("orders");
        assertThat(ready.getStatus().getVerifiedRevision()).isEqualTo("4");
    }

    /** Checks run read-only: one that tries to change the data is refused by PostgreSQL itself. */
    @Test
    void aCheckThatWritesIsRefusedAndChangesNothing(TestNamespace namespace) throws Exception {
        apply(
                namespace,
                DatabaseMigrationIT.threeAnd(
                        Map.of("V4__first_customer.sql", "INSERT INTO customers (id, name) VALUES (1, 'ada');")),
                new VerifySpec(
                        "cleanup", "WITH gone AS (DELETE FROM customers RETURNING 1) SELECT count(*) >= 0 FROM gone"));

        // Stalled only once the schema is up to date: the check ran with the customer there.
        DatabaseMigration stalled = scenario.awaitCondition("orders", "Stalled", "VerifyError");

        assertThat(Scenario.condition(stalled, "Stalled").orElseThrow().getMessage())
                .contains("verify check cleanup failed to run")
                .contains("SQLSTATE 25006");
        assertThat(database.query("SELECT count(*) FROM customers")).containsExactly("1");
    }

    private void apply(TestNamespace namespace, VerifySpec... checks) {
        apply(namespace, DatabaseMigrationIT.THREE, checks);
    }

    private void apply(TestNamespace namespace, Map<String, String> scripts, VerifySpec... checks) {
        scenario = new Scenario(namespace, database);
        scenario.credentials();
        scenario.scripts("migrations", scripts);
        scenario.apply("orders", "migrations", spec -> spec.setVerify(List.of(checks)));
    }

    private static Pod create(TestNamespace namespace, Pod pod) {
        return namespace
                .client()
                .pods()
                .inNamespace(namespace.name())
                .resource(pod)
                .create();
    }
}
