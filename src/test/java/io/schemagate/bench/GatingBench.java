package io.schemagate.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.schemagate.gate.Gating;
import io.schemagate.gate.PodGate;
import io.schemagate.it.OperatorProcess;
import io.schemagate.it.Scenario;
import io.schemagate.reconcile.JobState;
import io.schemagate.support.ManagedBy;
import io.schemagate.testbed.TestBed;
import io.schemagate.testbed.TestNamespace;
import io.schemagate.testsupport.TestDatabases;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * What gating costs and how fast it lets go, with the packaged operator at its default settings:
 * <ul>
 * <li>admission: 50 pods created at once, timed by the client from call to return, once with pods
 * that opt in (each passes through the webhook, which holds it) and once with pods that do not
 * (never sent to the webhook): the difference is what the webhook adds. The webhook's own
 * processing time comes from its metric;</li>
 * <li>release: from the watch event showing the migration Job Complete to the watch event showing
 * the held pod without its gate.</li>
 * </ul>
 */
class GatingBench {
    private static final int CONCURRENT = Integer.getInteger("bench.concurrentPods", 50);
    private static final int ROUNDS = Integer.getInteger("bench.admissionRounds", 5);
    private static final int RELEASES = Integer.getInteger("bench.releases", 20);
    private static final int WARMUP = Integer.getInteger("bench.warmup", 2);
    private static final Duration SAMPLE_TIMEOUT = Duration.ofMinutes(2);
    private static final String NAME = "bench";

    @Test
    void measuresAdmissionAndRelease() throws Exception {
        TestBed bed = TestBed.get();
        Map<String, Object> data = new LinkedHashMap<>();
        List<List<String>> rows = new ArrayList<>();
        rows.add(List.of("Latency", "Samples", "p50 (ms)", "p99 (ms)", "max (ms)"));
        try (OperatorProcess operator = OperatorProcess.startWithDefaults(bed)) {
            admission(bed, rows, data);
            data.put("webhookMetric", webhookQuantiles(operator.metrics()));
            release(bed, rows, data);
        }
        BenchReport.record("gating", new BenchReport.Section(
                "Gating",
                "The packaged operator at its default settings on the test bed. Admission: " + ROUNDS + " rounds of "
                        + CONCURRENT + " pods created at once, with and without opting in. Release: " + RELEASES
                        + " held pods (after " + WARMUP + " warm-ups), each released by its own migration.",
                rows,
                List.of("An init container that polls for the schema every 2-5 s adds on average half its "
                        + "interval (1-2.5 s) and up to the whole interval (2-5 s) to every pod start; the release "
                        + "delay above is the event-driven equivalent.",
                        "The webhook's own processing time (its metric schemagate_webhook_admission_seconds, "
                                + "held pods): " + data.get("webhookMetric")),
                data));
    }

    /** Client-side pod creation latency, through the webhook and around it. */
    private static void admission(TestBed bed, List<List<String>> rows, Map<String, Object> data) throws Exception {
        TestNamespace namespace = TestNamespace.create(bed);
        try {
            List<Double> optedIn = new ArrayList<>();
            List<Double> plain = new ArrayList<>();
            for (int round = 0; round < ROUNDS + 1; round++) {
                List<Double> held = createAtOnce(namespace, "held-" + round, true);
                List<Double> notOptedIn = createAtOnce(namespace, "plain-" + round, false);
                if (round > 0) {
                    optedIn.addAll(held);
                    plain.addAll(notOptedIn);
                }
                namespace.client().pods().inNamespace(namespace.name()).withGracePeriod(0).delete();
            }
            Percentiles through = Percentiles.of(optedIn);
            Percentiles around = Percentiles.of(plain);
            rows.add(row("pod create, opted in (through the webhook, held)", through));
            rows.add(row("pod create, not opted in (no webhook call)", around));
            data.put("admissionOptedIn", through);
            data.put("admissionNotOptedIn", around);
        } finally {
            namespace.delete();
        }
    }

    private static List<Double> createAtOnce(TestNamespace namespace, String prefix, boolean optIn) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(CONCURRENT);
        CountDownLatch start = new CountDownLatch(1);
        try {
            List<Future<Double>> calls = new ArrayList<>();
            for (int i = 0; i < CONCURRENT; i++) {
                Pod pod = pod(prefix + "-" + i, optIn);
                calls.add(pool.submit(() -> {
                    start.await();
                    long before = System.nanoTime();
                    Pod created = namespace.client().pods().inNamespace(namespace.name()).resource(pod).create();
                    double millis = (System.nanoTime() - before) / 1_000_000.0;
                    assertThat(PodGate.isHeld(created)).as("held: " + created.getMetadata().getName()).isEqualTo(optIn);
                    return millis;
                }));
            }
            start.countDown();
            List<Double> latencies = new ArrayList<>();
            for (Future<Double> call : calls) {
                latencies.add(call.get());
            }
            return latencies;
        } finally {
            pool.shutdownNow();
        }
    }

    /** From the migration Job seen Complete to the held pod seen without its gate. */
    private static void release(TestBed bed, List<List<String>> rows, Map<String, Object> data) throws Exception {
        FirstSeen jobComplete = new FirstSeen(job -> new JobState((Job) job).isSucceeded());
        FirstSeen podReleased = new FirstSeen(pod -> !PodGate.isHeld((Pod) pod));
        List<Double> samples = new ArrayList<>();
        List<Double> warmups = new ArrayList<>();
        try (SharedIndexInformer<Job> jobs = bed.client().batch().v1().jobs().inAnyNamespace()
                        .withLabel(ManagedBy.LABEL, ManagedBy.VALUE).inform(FirstSeen.handler(jobComplete));
                SharedIndexInformer<Pod> pods = bed.client().pods().inAnyNamespace()
                        .withLabel(Gating.MIGRATION_LABEL, NAME).inform(FirstSeen.handler(podReleased))) {
            for (int i = 0; i < WARMUP + RELEASES; i++) {
                TestNamespace namespace = TestNamespace.create(bed);
                TestDatabases database = TestDatabases.fresh();
                try {
                    Scenario scenario = new Scenario(namespace, database);
                    scenario.credentials();
                    scenario.scripts("scripts", Map.of("V1__create_customers.sql",
                            "CREATE TABLE customers (id bigint PRIMARY KEY, name text NOT NULL);"));
                    scenario.apply(NAME, "scripts", spec -> spec.setSuspend(true));
                    Pod held = namespace.client().pods().inNamespace(namespace.name())
                            .resource(pod("app", true)).create();
                    assertThat(PodGate.isHeld(held)).isTrue();
                    scenario.resource(NAME).edit(resource -> {
                        resource.getSpec().setSuspend(false);
                        return resource;
                    });
                    String where = namespace.name();
                    await(where + " released").atMost(SAMPLE_TIMEOUT).pollInterval(Duration.ofMillis(100))
                            .until(() -> podReleased.at(where) != null && jobComplete.at(where) != null);
                    // The status is written just after the release, in the same reconcile.
                    await().atMost(SAMPLE_TIMEOUT).untilAsserted(() -> assertThat(
                            scenario.resource(NAME).get().getStatus().getRevision().getCurrent()).isEqualTo("1"));
                    double millis = (podReleased.at(where) - jobComplete.at(where)) / 1_000_000.0;
                    (i < WARMUP ? warmups : samples).add(millis);
                } finally {
                    namespace.delete();
                    database.drop();
                }
            }
        }
        Percentiles release = Percentiles.of(samples);
        rows.add(row("migration Job Complete → pod gate removed", release));
        data.put("release", release);
        data.put("releaseSamples", samples);
        data.put("releaseWarmups", warmups);
    }

    private static Pod pod(String name, boolean optIn) {
        PodBuilder pod = new PodBuilder().withNewMetadata().withName(name).addToLabels("app", "bench").endMetadata()
                .withNewSpec().addNewContainer().withName("app").withImage("nginx:1.27").endContainer().endSpec();
        if (optIn) {
            pod.editMetadata().addToLabels(Gating.MIGRATION_LABEL, NAME).endMetadata();
        }
        return pod.build();
    }

    private static List<String> row(String name, Percentiles stats) {
        return List.of(name, Integer.toString(stats.count()), BenchReport.millis(stats.p50()),
                BenchReport.millis(stats.p99()), BenchReport.millis(stats.max()));
    }

    /** The webhook timer's quantiles for held pods, as the operator publishes them. */
    private static Map<String, String> webhookQuantiles(String metrics) {
        Map<String, String> quantiles = new LinkedHashMap<>();
        metrics.lines()
                .filter(line -> line.startsWith("schemagate_webhook_admission_seconds{")
                        && line.contains("outcome=\"held\"") && line.contains("quantile="))
                .forEach(line -> {
                    String quantile = line.replaceAll(".*quantile=\"([^\"]+)\".*", "$1");
                    double seconds = Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
                    quantiles.put("p" + Math.round(Double.parseDouble(quantile) * 100),
                            BenchReport.millis(seconds * 1000) + " ms");
                });
        return quantiles;
    }
}
