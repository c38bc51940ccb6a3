package io.schemagate.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.schemagate.api.DatabaseMigration;
import io.schemagate.e2e.Images;
import io.schemagate.e2e.InstalledOperator;
import io.schemagate.e2e.RealNode;
import io.schemagate.gate.Gating;
import io.schemagate.it.Scenario;
import io.schemagate.reconcile.MigrationJob;
import io.schemagate.support.ManagedBy;
import io.schemagate.testbed.TestBed;
import io.schemagate.testbed.TestNamespace;
import io.schemagate.testsupport.TestDatabases;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * What users feel on a real node, beside the bed's figures: the SchemaGate image's runner started by
 * containerd (Job created → runner done, split at the container's start), the release of a held
 * application pod once the runner's pod Succeeded, the webhook reached through its Service by the
 * API server, and the image's size. The operator is the one the chart installed (InstalledOperator).
 */
class RealNodeBench {
    private static final String NAMESPACE = "e2e-bench";

    @RegisterExtension
    static final InstalledOperator operator = new InstalledOperator("bench", List.of(NAMESPACE));

    private static final int SAMPLES = Integer.getInteger("bench.realNodeSamples", 10);
    private static final int WARMUP = 2;
    private static final int WEBHOOK_PODS = 40;
    private static final Duration SAMPLE_TIMEOUT = Duration.ofMinutes(2);
    private static final Map<String, String> SCRIPTS = Map.of(
            "V1__customers.sql", "CREATE TABLE customers (id bigint PRIMARY KEY, name text NOT NULL);\n",
            "V2__orders.sql", "CREATE TABLE orders (id bigint PRIMARY KEY, customer_id bigint REFERENCES customers);\n",
            "V3__orders_by_customer.sql", "CREATE INDEX orders_by_customer ON orders (customer_id);\n");

    private final TestBed bed = TestBed.get();
    private final KubernetesClient client = bed.client();
    private final RealNode node = RealNode.of(bed);

    record Sample(double jobToRunnerStarted, double runnerStartedToSucceeded, double jobToSucceeded, double release) {}

    @Test
    void measuresTheRunnerTheReleaseAndTheWebhookOnRealContainers() throws Exception {
        FirstSeen jobCreated = FirstSeen.perObject(job -> true);
        FirstSeen runnerStarted = FirstSeen.perObject(pod -> runner((Pod) pod).stream()
                .anyMatch(status -> status.getState().getRunning() != null
                        || status.getState().getTerminated() != null));
        FirstSeen runnerSucceeded = FirstSeen.perObject(pod -> ((Pod) pod).getStatus() != null
                && "Succeeded".equals(((Pod) pod).getStatus().getPhase()));
        FirstSeen held = FirstSeen.perObject(
                pod -> !((Pod) pod).getSpec().getSchedulingGates().isEmpty());
        FirstSeen released = FirstSeen.perObject(
                pod -> ((Pod) pod).getSpec().getSchedulingGates().isEmpty());
        List<Sample> samples = new ArrayList<>();
        List<TestDatabases> databases = new ArrayList<>();
        String before;
        String after;
        try (SharedIndexInformer<Job> jobs = client.batch()
                        .v1()
                        .jobs()
                        .inNamespace(NAMESPACE)
                        .withLabel(ManagedBy.LABEL, ManagedBy.VALUE)
                        .inform(FirstSeen.handler(jobCreated));
                SharedIndexInformer<Pod> pods = client.pods()
                        .inNamespace(NAMESPACE)
                        .inform(FirstSeen.handler(runnerStarted, runnerSucceeded, held, released))) {
            for (int i = 0; i < WARMUP + SAMPLES; i++) {
                TestDatabases database = TestDatabases.fresh();
                databases.add(database);
                Sample sample =
                        measure("bench-" + i, database, jobCreated, runnerStarted, runnerSucceeded, held, released);
                if (i >= WARMUP) {
                    samples.add(sample);
                }
            }
            before = webhookMetrics();
            createHeldPods();
            after = webhookMetrics();
        } finally {
            client.resources(DatabaseMigration.class).inNamespace(NAMESPACE).delete();
            client.pods().inNamespace(NAMESPACE).withLabel("bench").delete();
            for (TestDatabases database : databases) {
                database.drop();
            }
        }
        report(samples, before, after);
    }

    private Sample measure(
            String name,
            TestDatabases database,
            FirstSeen jobCreated,
            FirstSeen runnerStarted,
            FirstSeen runnerSucceeded,
            FirstSeen held,
            FirstSeen released) {
        new Scenario(new TestNamespace(NAMESPACE, client, bed), database).credentials();
        client.configMaps()
                .inNamespace(NAMESPACE)
                .resource(new ConfigMapBuilder()
                        .withNewMetadata()
                        .withName(name)
                        .endMetadata()
                        .withData(SCRIPTS)
                        .build())
                .serverSideApply();
        client.resources(DatabaseMigration.class)
                .inNamespace(NAMESPACE)
                .resource(Scenario.resourceFor(name, node.jdbcUrl(database.name()), name, spec -> {}))
                .create();
        // Created right after, so held: its release is timed from the runner's end.
        client.pods()
                .inNamespace(NAMESPACE)
                .resource(heldPod(name + "-app", name))
                .create();

        String app = NAMESPACE + "/" + name + "-app";
        await(name + " released")
                .atMost(SAMPLE_TIMEOUT)
                .pollInterval(Duration.ofMillis(100))
                .until(() -> released.at(app) != null);
        assertThat(held.at(app)).as("the application pod was held first").isNotNull();
        Job job = client
                .batch()
                .v1()
                .jobs()
                .inNamespace(NAMESPACE)
                .withLabel(ManagedBy.LABEL, ManagedBy.VALUE)
                .list()
                .getItems()
                .stream()
                .filter(candidate -> candidate.getMetadata().getName().startsWith(name + "-"))
                .findFirst()
                .orElseThrow();
        Pod runnerPod = client.pods()
                .inNamespace(NAMESPACE)
                .withLabel("batch.kubernetes.io/job-name", job.getMetadata().getName())
                .list()
                .getItems()
                .get(0);
        assertThat(runnerPod.getSpec().getNodeName()).isEqualTo(node.name());
        Long created = jobCreated.at(FirstSeen.keyOf(job));
        Long started = runnerStarted.at(FirstSeen.keyOf(runnerPod));
        Long succeeded = runnerSucceeded.at(FirstSeen.keyOf(runnerPod));
        Long freed = released.at(app);
        assertThat(List.of(created, started, succeeded, freed)).doesNotContainNull();
        return new Sample(
                millis(started - created),
                millis(succeeded - started),
                millis(succeeded - created),
                millis(freed - succeeded));
    }

    /** Pods created at once for a resource that does not exist: each is held, through the webhook's Service. */
    private void createHeldPods() {
        List<Pod> created = new ArrayList<>();
        for (int i = 0; i < WEBHOOK_PODS; i++) {
            created.add(client.pods()
                    .inNamespace(NAMESPACE)
                    .resource(heldPod("held-" + i, "nothing-yet"))
                    .create());
        }
        assertThat(created)
                .allSatisfy(
                        pod -> assertThat(pod.getSpec().getSchedulingGates()).isNotEmpty());
    }

    private static Pod heldPod(String name, String migration) {
        return new PodBuilder()
                .withNewMetadata()
                .withName(name)
                .addToLabels(Gating.MIGRATION_LABEL, migration)
                .addToLabels("bench", "true")
                .endMetadata()
                .withSpec(RealNode.restrictedSpec("example.com/shop:1.0"))
                .build();
    }

    /** Both replicas' metrics, one after the other: the Service spreads the reviews over them. */
    private String webhookMetrics() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        StringBuilder all = new StringBuilder();
        for (Pod operator : operator.pods(client)) {
            if (operator.getStatus().getPodIP() == null
                    || operator.getMetadata().getDeletionTimestamp() != null) {
                continue;
            }
            HttpResponse<String> response = http.send(
                    HttpRequest.newBuilder(
                                    URI.create("http://" + operator.getStatus().getPodIP() + ":8080/q/metrics"))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            all.append(response.body()).append('\n');
        }
        return all.toString();
    }

    private static List<ContainerStatus> runner(Pod pod) {
        return pod.getStatus() == null || pod.getStatus().getContainerStatuses() == null
                ? List.of()
                : pod.getStatus().getContainerStatuses().stream()
                        .filter(status -> MigrationJob.RUNNER_CONTAINER.equals(status.getName()))
                        .toList();
    }

    private void report(List<Sample> samples, String before, String after) throws Exception {
        Map<String, Function<Sample, Double>> metrics = new LinkedHashMap<>();
        metrics.put("Job created → runner container running (pod sandbox, network, image)", Sample::jobToRunnerStarted);
        metrics.put(
                "runner container running → pod Succeeded (the JVM and 3 scripts)", Sample::runnerStartedToSucceeded);
        metrics.put("Job created → runner pod Succeeded (the run, real image)", Sample::jobToSucceeded);
        metrics.put("runner pod Succeeded → held pod released", Sample::release);
        Map<String, Object> summary = new LinkedHashMap<>();
        List<List<String>> rows = BenchReport.latencyRows("Latency on the real node", metrics, samples, summary);
        for (String series :
                List.of("schemagate_webhook_admission_seconds", "schemagate_webhook_decision_cpu_seconds")) {
            WebhookHistogram reviews = WebhookHistogram.all(series, after).since(WebhookHistogram.all(series, before));
            assertThat(reviews.count()).as("reviews of %s", series).isGreaterThanOrEqualTo(WEBHOOK_PODS);
            rows.add(List.of(
                    series + " (bucket bounds, through the Service)",
                    Long.toString(reviews.count()),
                    "≤ " + BenchReport.millis(reviews.quantileMillis(0.5)),
                    "≤ " + BenchReport.millis(reviews.quantileMillis(0.95)),
                    "≤ " + BenchReport.millis(reviews.quantileMillis(1.0))));
            summary.put(
                    series,
                    Map.of(
                            "reviews", reviews.count(),
                            "p50AtMostMillis", reviews.quantileMillis(0.5),
                            "p95AtMostMillis", reviews.quantileMillis(0.95)));
        }
        String image = Images.operator();
        long size = Images.size(image);
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("summary", summary);
        data.put("samples", samples);
        data.put("imageBytes", size);
        BenchReport.record(
                "realNode",
                new BenchReport.Section(
                        "On the real node (kubelet, containerd, runc)",
                        "The operator installed by its chart with the image make image built, on the bed's real node; "
                                + samples.size() + " samples (after " + WARMUP
                                + " warm-up), each a DatabaseMigration of "
                                + "3 migrations with a fresh database and one application pod held for it; then "
                                + WEBHOOK_PODS
                                + " held pods created, their reviews timed by the operator's histograms.",
                        rows,
                        List.of("image " + image + ": " + (size >> 20) + " MiB"),
                        data));
    }

    private static double millis(long nanos) {
        return nanos / 1_000_000.0;
    }
}
