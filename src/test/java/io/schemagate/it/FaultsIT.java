package io.schemagate.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.DeletionPropagation;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodList;
import io.fabric8.kubernetes.client.dsl.NonNamespaceOperation;
import io.fabric8.kubernetes.client.dsl.PodResource;
import io.schemagate.api.DatabaseMigration;
import io.schemagate.api.RunStatus;
import io.schemagate.contract.Outcome;
import io.schemagate.gate.PodGate;
import io.schemagate.testbed.TestBed;
import io.schemagate.testbed.TestNamespace;
import io.schemagate.testsupport.TestDatabases;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Faults in the middle of a run, on the bed: the database goes away, the API server restarts, the
 * run's Job or the resource itself is deleted. Each run is held inside its second script by a
 * {@link ScriptGate} while the fault strikes; what must hold afterwards is that every script is
 * applied exactly once, by one successful Job, and that the status tells what happened. The held
 * script creates its table before it waits: had an interrupted attempt left the table behind, the
 * next one would fail on it.
 */
@ExtendWith(TestNamespace.Extension.class)
class FaultsIT {
    private static final String SLOW_TABLE = "orders";

    @RegisterExtension
    static final SharedOperator operator = new SharedOperator();

    @RegisterExtension
    final TestDatabases database = new TestDatabases();

    private Scenario scenario;
    private ScriptGate gate;
    private JobLedger jobs;
    private Map<String, String> scripts;

    @BeforeEach
    void setUp(TestNamespace namespace) throws Exception {
        scenario = new Scenario(namespace, database);
        scenario.credentials();
        gate = ScriptGate.closedIn(scenario);
        jobs = new JobLedger(namespace);
        scripts = Map.of(
                "V1__create_customers.sql", "CREATE TABLE customers (id bigint PRIMARY KEY);",
                "V2__create_orders.sql", "CREATE TABLE " + SLOW_TABLE + " (id bigint PRIMARY KEY);\n" + ScriptGate.WAIT,
                "V3__index_orders.sql", "CREATE INDEX orders_id ON " + SLOW_TABLE + " (id);");
        scenario.scripts("migrations", scripts);
    }

    @AfterEach
    void tearDown() {
        jobs.close();
    }

    @Test
    void aDatabaseLostInTheMiddleOfARunIsReportedAndTheRunRetriedOnceItIsBack() throws Exception {
        scenario.apply("orders", "migrations", spec -> {});
        gate.awaitRunnerWaiting();

        TestBed.get().stopPostgres();
        try {
            DatabaseMigration unreachable = scenario.awaitCondition("orders", "Reconciling", "DatabaseUnreachable");
            assertThat(Scenario.condition(unreachable, "Ready").orElseThrow().getMessage())
                    .contains("retrying in");
            await("the interrupted run recorded").atMost(Scenario.TIMEOUT).untilAsserted(() -> {
                RunStatus interrupted =
                        scenario.resource("orders").get().getStatus().getLastRun();
                assertThat(interrupted.getOutcome()).isEqualTo(Outcome.Failed);
                assertThat(interrupted.getReason()).isEqualTo("DatabaseUnreachable");
            });
        } finally {
            TestBed.get().startPostgres();
        }
        gate.open();

        DatabaseMigration ready = scenario.awaitReady("orders");
        assertThat(ready.getStatus().getRevision().getCurrent()).isEqualTo("3");
        assertThat(ready.getStatus().getLastRun().getAttempt()).isEqualTo(2);
        assertThat(scenario.appliedScripts()).containsExactlyInAnyOrderElementsOf(scripts.keySet());
        assertThat(jobs.failed()).hasSize(1);
        jobs.assertRunsSucceededOnce(1);
    }

    @Test
    void anApiServerRestartedInTheMiddleOfARunStartsNoSecondJob() throws Exception {
        awaitEarlierTestNamespacesGone();
        scenario.apply("orders", "migrations", spec -> {});
        gate.awaitRunnerWaiting();
        String job = onlyJob();

        TestBed.get().restartApiServer();
        gate.open();

        // After a restart the controller manager can take a minute or more to mark a Job Complete
        // (seen on the bed, more so after several restarts in a row), and SchemaGate waits for it.
        DatabaseMigration ready = scenario.awaitCondition("orders", "Ready", "True", "Current", Duration.ofMinutes(3));
        assertThat(ready.getStatus().getRevision().getCurrent()).isEqualTo("3");
        assertThat(ready.getStatus().getLastRun().getJob()).isEqualTo(job);
        assertThat(ready.getStatus().getHistory())
                .singleElement()
                .satisfies(run -> assertThat(run.getOutcome()).isEqualTo(Outcome.Succeeded));
        assertThat(jobs.created()).containsExactly(job);
        assertThat(scenario.jobs()).extracting(j -> j.getMetadata().getName()).containsExactly(job);
        jobs.assertRunsSucceededOnce(1);
        assertThat(scenario.appliedScripts()).containsExactlyInAnyOrderElementsOf(scripts.keySet());
    }

    @Test
    void aJobDeletedWhileItRunsIsReportedAndItsRunTriedAgain() throws Exception {
        scenario.apply("orders", "migrations", spec -> {});
        gate.awaitRunnerWaiting();
        String deleted = onlyJob();

        scenario.namespace()
                .client()
                .batch()
                .v1()
                .jobs()
                .inNamespace(scenario.namespace().name())
                .withName(deleted)
                .withPropagationPolicy(DeletionPropagation.BACKGROUND)
                .delete();

        await("the deleted run recorded")
                .atMost(Scenario.TIMEOUT)
                .untilAsserted(() -> assertThat(
                                scenario.resource("orders").get().getStatus().getHistory())
                        .anySatisfy(run -> {
                            assertThat(run.getJob()).isEqualTo(deleted);
                            assertThat(run.getOutcome()).isEqualTo(Outcome.Failed);
                            assertThat(run.getReason()).isEqualTo("RunFailed");
                            assertThat(run.getMessage()).contains("was deleted before it finished");
                        }));
        // Its pod is killed with it, and the script it was in rolled back: the gate opens for the next
        // attempt only.
        awaitPodsGone(deleted);
        gate.open();

        DatabaseMigration ready = scenario.awaitReady("orders");
        assertThat(ready.getStatus().getRevision().getCurrent()).isEqualTo("3");
        assertThat(ready.getStatus().getLastRun().getJob()).isNotEqualTo(deleted);
        assertThat(scenario.appliedScripts()).containsExactlyInAnyOrderElementsOf(scripts.keySet());
        assertThat(jobs.completed()).doesNotContain(deleted);
        jobs.assertRunsSucceededOnce(1);
        scenario.awaitEvents("orders", "RunFailed");
    }

    /**
     * Documents docs/gating.md: the Job goes with a deleted resource (its owner), and its script is
     * rolled back; the pods it held are released, and a pod created afterwards waits as for a
     * resource not created yet.
     */
    @Test
    void aResourceDeletedWhileItsJobRunsTakesTheJobAlongAndReleasesItsHeldPods() throws Exception {
        scenario.apply("orders", "migrations", spec -> {});
        gate.awaitRunnerWaiting();
        String job = onlyJob();
        Pod early = createPod(GatingIT.pod("web-1", "orders", Map.of()));
        assertThat(PodGate.isHeld(early)).isTrue();

        scenario.resource("orders").delete();

        await("Job collected with its owner")
                .atMost(Scenario.TIMEOUT)
                .until(() -> scenario.jobs().isEmpty());
        awaitPodsGone(job);
        // With the gate still closed: the killed runner's statement does not wait there for ever.
        await("the runner's session ended").atMost(Scenario.TIMEOUT).until(() -> scenario.runnerSessions("") == 0);
        assertThat(scenario.appliedScripts()).containsExactly("V1__create_customers.sql");
        assertThat(scenario.tableExists(SLOW_TABLE)).isFalse();
        assertThat(jobs.completed()).isEmpty();
        // The pod it held is let go (spec.gate.onDelete: Release); one created now waits for a
        // resource of that name, as before the first one existed.
        await("the held pod released")
                .atMost(Scenario.TIMEOUT)
                .until(() -> !PodGate.isHeld(pods().withName("web-1").get()));
        assertThat(PodGate.isHeld(createPod(GatingIT.pod("web-2", "orders", Map.of()))))
                .isTrue();
    }

    /**
     * A namespace whose deletion spans the restart can be removed with its DatabaseMigrations left
     * behind (seen on the bed: the namespace controller missed the CRD's group meanwhile), for every
     * later operator to reconcile for ever.
     */
    private void awaitEarlierTestNamespacesGone() {
        await("earlier test namespaces deleted")
                .atMost(Scenario.TIMEOUT)
                .until(() ->
                        scenario
                                .namespace()
                                .client()
                                .namespaces()
                                .withLabel("schemagate.io/test")
                                .list()
                                .getItems()
                                .stream()
                                .allMatch(namespace -> namespace
                                        .getMetadata()
                                        .getName()
                                        .equals(scenario.namespace().name())));
    }

    private String onlyJob() {
        List<String> names =
                scenario.jobs().stream().map(job -> job.getMetadata().getName()).toList();
        assertThat(names).hasSize(1);
        return names.get(0);
    }

    private void awaitPodsGone(String job) {
        await("pods of " + job + " gone")
                .atMost(Scenario.TIMEOUT)
                .until(() -> pods().withLabel("batch.kubernetes.io/job-name", job)
                        .list()
                        .getItems()
                        .isEmpty());
    }

    private Pod createPod(Pod pod) {
        return pods().resource(pod).create();
    }

    private NonNamespaceOperation<Pod, PodList, PodResource> pods() {
        return scenario.namespace()
                .client()
                .pods()
                .inNamespace(scenario.namespace().name());
    }
}
