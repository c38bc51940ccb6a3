package io.schemagate.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.schemagate.api.DatabaseMigration;
import io.schemagate.contract.Outcome;
import io.schemagate.it.OperatorProcess;
import io.schemagate.it.Scenario;
import io.schemagate.reconcile.JobState;
import io.schemagate.support.ManagedBy;
import io.schemagate.testbed.TestBed;
import io.schemagate.testbed.TestNamespace;
import io.schemagate.testsupport.TestDatabases;
import java.nio.file.Files;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * How fast the packaged operator, at its default settings, reacts on the test bed, seen from outside
 * as a user sees it. Every instant is taken in this JVM when a watch event arrives (or a call returns),
 * never by polling, so the figures carry no polling delay:
 * <ul>
 * <li>apply → Job created: from the return of the call that creates the DatabaseMigration to the
 * watch event that adds its Job;</li>
 * <li>runner pod Succeeded → Ready: from the watch event that shows the Job's pod Succeeded to the
 * one that shows the resource's Ready condition True;</li>
 * <li>for context, the run itself (Job created → its pod Succeeded) and the Job controller's part
 * (its pod Succeeded → the Job Complete: it batches pod updates for a second).</li>
 * </ul>
 * Samples run one after the other, each with its own namespace and its own fresh database, so none
 * waits behind another. The first few warm the operator's JVM up and are kept apart.
 */
class OperatorLatencyBench {
    private static final int WARMUP = Integer.getInteger("bench.warmup", 2);
    private static final int SAMPLES = Integer.getInteger("bench.samples", 20);
    private static final Duration SAMPLE_TIMEOUT = Duration.ofMinutes(2);
    private static final String NAME = "bench";
    private static final String CONFIG_MAP = "bench-migrations";
    private static final Map<String, String> SCRIPTS = Map.of(
            "V1__create_customers.sql", "CREATE TABLE customers (id bigint PRIMARY KEY, name text NOT NULL);",
            "V2__create_orders.sql",
                    "CREATE TABLE orders (id bigint PRIMARY KEY, customer bigint REFERENCES customers);",
            "V3__index_orders.sql", "CREATE INDEX orders_customer ON orders (customer);");

    /** Milliseconds of one sample, each measured between two observed instants. */
    record Sample(
            double applyToJob,
            double jobToPodSucceeded,
            double scriptsOwnTime,
            double podSucceededToReady,
            double podSucceededToJobComplete,
            double applyToReady) {}

    @Test
    void measuresApplyToJobAndJobCompleteToReady() throws Exception {
        TestBed bed = TestBed.get();
        FirstSeen jobCreated = new FirstSeen(job -> true);
        FirstSeen jobComplete = new FirstSeen(job -> new JobState((Job) job).isSucceeded());
        FirstSeen podSucceeded = new FirstSeen(pod -> ((Pod) pod).getStatus() != null
                && "Succeeded".equals(((Pod) pod).getStatus().getPhase()));
        FirstSeen ready = new FirstSeen(resource -> Scenario.condition((DatabaseMigration) resource, "Ready")
                .filter(c -> "True".equals(c.getStatus()))
                .isPresent());
        List<TestNamespace> namespaces = new ArrayList<>();
        List<TestDatabases> databases = new ArrayList<>();
        List<Sample> warmups = new ArrayList<>();
        List<Sample> samples = new ArrayList<>();
        String operatorLog;
        try (OperatorProcess operator = OperatorProcess.startWithDefaults(bed);
                SharedIndexInformer<Job> jobs = bed.client()
                        .batch()
                        .v1()
                        .jobs()
                        .inAnyNamespace()
                        .withLabel(ManagedBy.LABEL, ManagedBy.VALUE)
                        .inform(FirstSeen.handler(jobCreated, jobComplete));
                SharedIndexInformer<Pod> pods = bed.client()
                        .pods()
                        .inAnyNamespace()
                        .withLabel(ManagedBy.LABEL, ManagedBy.VALUE)
                        .inform(FirstSeen.handler(podSucceeded));
                SharedIndexInformer<DatabaseMigration> resources = bed.client()
                        .resources(DatabaseMigration.class)
                        .inAnyNamespace()
                        .inform(FirstSeen.handler(ready))) {
            for (int i = 0; i < WARMUP + SAMPLES; i++) {
                TestNamespace namespace = TestNamespace.create(bed);
                namespaces.add(namespace);
                TestDatabases database = TestDatabases.fresh();
                databases.add(database);
                Sample sample =
                        measure(new Scenario(namespace, database), jobCreated, podSucceeded, jobComplete, ready);
                (i < WARMUP ? warmups : samples).add(sample);
                // Lets the last sample's tail (events, pod clean-up) settle, so it does not bill the next one.
                Thread.sleep(1000);
            }
            operatorLog = operator.log();
        } finally {
            namespaces.forEach(TestNamespace::delete);
            for (TestDatabases database : databases) {
                database.drop();
            }
        }
        Files.createDirectories(BenchReport.DIR);
        Files.writeString(BenchReport.DIR.resolve("operator-latency-operator.log"), operatorLog);
        report(warmups, samples);
    }

    private static Sample measure(
            Scenario scenario, FirstSeen jobCreated, FirstSeen podSucceeded, FirstSeen jobComplete, FirstSeen ready)
            throws SQLException {
        String namespace = scenario.namespace().name();
        scenario.credentials();
        scenario.scripts(CONFIG_MAP, SCRIPTS);
        scenario.apply(NAME, CONFIG_MAP, spec -> {});
        long applied = System.nanoTime();

        // Polls only the instants the watches recorded: when this loop notices them does not matter.
        await(namespace + " Ready")
                .atMost(SAMPLE_TIMEOUT)
                .pollInterval(Duration.ofMillis(100))
                .until(() -> ready.at(namespace) != null && jobComplete.at(namespace) != null);

        DatabaseMigration resource = scenario.resource(NAME).get();
        assertThat(resource.getStatus().getRevision().getCurrent())
                .as(scenario.describe(NAME))
                .isEqualTo("3");
        assertThat(resource.getStatus().getLastRun().getOutcome()).isEqualTo(Outcome.Succeeded);
        assertThat(scenario.jobs()).as("one Job per sample").hasSize(1);
        Long created = jobCreated.at(namespace);
        Long succeeded = podSucceeded.at(namespace);
        Long complete = jobComplete.at(namespace);
        Long readyAt = ready.at(namespace);
        assertThat(created).as("Job created seen").isNotNull().isGreaterThanOrEqualTo(applied);
        assertThat(succeeded)
                .as("runner pod Succeeded seen before Ready")
                .isNotNull()
                .isBetween(created, readyAt);
        assertThat(complete).as("Job Complete seen after its pod Succeeded").isGreaterThanOrEqualTo(succeeded);
        // The floor of the run: what PostgreSQL took for the scripts, as Flyway recorded it.
        double scripts = Double.parseDouble(scenario.database()
                .query("SELECT sum(execution_time) FROM flyway_schema_history WHERE success")
                .get(0));
        return new Sample(
                millis(created - applied),
                millis(succeeded - created),
                scripts,
                millis(readyAt - succeeded),
                millis(complete - succeeded),
                millis(readyAt - applied));
    }

    private static void report(List<Sample> warmups, List<Sample> samples) throws Exception {
        Map<String, Function<Sample, Double>> metrics = new LinkedHashMap<>();
        metrics.put("apply → Job created", Sample::applyToJob);
        metrics.put("runner pod Succeeded → Ready", Sample::podSucceededToReady);
        metrics.put("Job created → runner pod Succeeded (the run itself)", Sample::jobToPodSucceeded);
        metrics.put("the scripts' own time in that run (flyway_schema_history.execution_time)", Sample::scriptsOwnTime);
        metrics.put("runner pod Succeeded → Job Complete (the Job controller)", Sample::podSucceededToJobComplete);
        metrics.put("apply → Ready (end to end)", Sample::applyToReady);
        Map<String, Object> summary = new LinkedHashMap<>();
        List<List<String>> rows = BenchReport.latencyRows("Latency", metrics, samples, summary);
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("summary", summary);
        data.put("samples", samples);
        data.put("warmups", warmups);
        data.put("operatorSettings", "defaults (resync 60s), runner image from this build");
        BenchReport.record(
                "operatorLatency",
                new BenchReport.Section(
                        "Operator latency",
                        "The packaged operator at its default settings on the test bed; " + samples.size()
                                + " sequential samples (after " + warmups.size() + " warm-up samples), each a new "
                                + "DatabaseMigration of 3 migrations in its own namespace with its own fresh database. "
                                + "Instants come from watch events seen by the benchmark.",
                        rows,
                        List.of(),
                        data));
    }

    private static double millis(long nanos) {
        return nanos / 1_000_000.0;
    }
}
