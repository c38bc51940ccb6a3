package io.schemagate.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.schemagate.api.DatabaseMigration;
import io.schemagate.contract.Outcome;
import io.schemagate.testbed.TestBed;
import io.schemagate.testbed.TestNamespace;
import io.schemagate.testsupport.TestDatabases;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * An operator killed (SIGKILL, as a node failure or an OOM kill would) at each point of a run: before
 * its Job exists, while the Job runs, and after the Job ended but before the status said so. The next
 * operator finishes the run with exactly one Job, and records it once.
 */
@ExtendWith(TestNamespace.Extension.class)
class OperatorRestartIT {
    private static final Map<String, String> SCRIPTS = Map.of(
            "V1__slow.sql",
            "CREATE TABLE slow (id int);\n" + ScriptGate.WAIT,
            "V2__after.sql",
            "CREATE TABLE after_slow (id int);");

    @RegisterExtension
    final TestDatabases database = new TestDatabases();

    private Scenario scenario;
    private ScriptGate gate;
    private JobLedger jobs;

    @BeforeEach
    void setUp(TestNamespace namespace) throws Exception {
        scenario = new Scenario(namespace, database);
        scenario.scripts("migrations", SCRIPTS);
        gate = ScriptGate.closedIn(scenario);
        jobs = new JobLedger(namespace);
    }

    @AfterEach
    void tearDown() {
        jobs.close();
    }

    @Test
    void killedBeforeItsJobExistedTheNextOperatorStartsTheOnlyOne() throws Exception {
        gate.open();
        OperatorProcess first = OperatorProcess.start(TestBed.get());
        try {
            // Without credentials the operator sees the resource but cannot plan a run yet.
            scenario.apply("orders", "migrations", spec -> {});
            scenario.awaitCondition("orders", "Reconciling", "SecretNotFound");
        } finally {
            first.kill();
        }
        scenario.credentials();
        assertThat(scenario.jobs()).as("Jobs before the next operator").isEmpty();

        try (OperatorProcess second = OperatorProcess.start(TestBed.get())) {
            assertRunFinishedOnce(scenario.awaitReady("orders"));
        }
    }

    @Test
    void killedWhileItsJobRunsTheNextOperatorAdoptsTheRun() throws Exception {
        scenario.credentials();
        OperatorProcess first = OperatorProcess.start(TestBed.get());
        try {
            scenario.apply("orders", "migrations", spec -> {});
            gate.awaitRunnerWaiting();
        } finally {
            first.kill();
        }

        try (OperatorProcess second = OperatorProcess.start(TestBed.get())) {
            // A pod held for the resource makes the new operator reconcile it, and write down that it
            // holds the pod, while the Job still runs: it had every chance to start another one.
            scenario.namespace()
                    .client()
                    .pods()
                    .inNamespace(scenario.namespace().name())
                    .resource(GatingIT.pod("web", "orders", Map.of()))
                    .create();
            await("the held pod counted")
                    .atMost(Scenario.TIMEOUT)
                    .until(() -> scenario.resource("orders").get().getStatus().getGatedPods() == 1);
            assertThat(jobs.created()).hasSize(1);
            gate.open();
            assertRunFinishedOnce(scenario.awaitReady("orders"));
            await("the held pod released")
                    .atMost(Scenario.TIMEOUT)
                    .until(() -> scenario.resource("orders").get().getStatus().getGatedPods() == 0);
        }
    }

    @Test
    void killedBeforeItRecordedTheEndTheNextOperatorRecordsItOnce() throws Exception {
        scenario.credentials();
        OperatorProcess first = OperatorProcess.start(TestBed.get());
        try {
            scenario.apply("orders", "migrations", spec -> {});
            gate.awaitRunnerWaiting();
        } finally {
            first.kill();
        }
        gate.open();
        await("the Job completed with no operator alive")
                .atMost(Scenario.TIMEOUT)
                .until(() -> jobs.completed().size() == 1);
        assertThat(scenario.resource("orders").get().getStatus().getLastRun().getOutcome())
                .isEqualTo(Outcome.Running);

        try (OperatorProcess second = OperatorProcess.start(TestBed.get())) {
            assertRunFinishedOnce(scenario.awaitReady("orders"));
        }
    }

    private void assertRunFinishedOnce(DatabaseMigration ready) throws Exception {
        assertThat(ready.getStatus().getRevision().getCurrent()).isEqualTo("2");
        assertThat(jobs.created()).hasSize(1);
        jobs.assertRunsSucceededOnce(1);
        String job = jobs.created().iterator().next();
        assertThat(ready.getStatus().getHistory()).singleElement().satisfies(run -> {
            assertThat(run.getJob()).isEqualTo(job);
            assertThat(run.getOutcome()).isEqualTo(Outcome.Succeeded);
            assertThat(run.getApplied()).isEqualTo(2);
        });
        assertThat(scenario.awaitEvents("orders", "MigrationSucceeded")).containsOnlyOnce("MigrationSucceeded");
        assertThat(scenario.appliedScripts()).containsExactlyInAnyOrderElementsOf(SCRIPTS.keySet());
    }
}
