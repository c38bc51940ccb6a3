package io.schemagate.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
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
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * What gating costs and how fast it lets go, with the packaged operator at its default settings:
 * <ul>
 * <li>admission: 50 pods created at once, timed by the client from call to return, once with pods
 * that opt in (each passes through the webhook, which holds it) and once with pods that do not
 * (never sent to the webhook): the difference is what the webhook adds. The webhook's own time
 * comes from its metrics: from a review's headers to its answer, and from its whole body to the
 * answer (the decision alone, without the wait for the event loop and the body);</li>
 * <li>release: from the watch event showing the migration's runner pod Succeeded to the watch event
 * showing the held pod without its gate, and to the start of applications that wait with SchemaGate
 * and with init containers that poll, the anchors (see {@link #release}).</li>
 * </ul>
 */
class GatingBench {
    private static final int CONCURRENT = Integer.getInteger("bench.concurrentPods", 50);
    private static final int ROUNDS = Integer.getInteger("bench.admissionRounds", 5);
    private static final int RELEASES = Integer.getInteger("bench.releases", 50);
    private static final int WARMUP = Integer.getInteger("bench.warmup", 2);
    private static final Duration SAMPLE_TIMEOUT = Duration.ofMinutes(2);
    private static final String NAME = "bench";
    private static final String APP_LABEL = "bench.schemagate.io/app";
    private static final String GATED = "gated";
    private static final String POLL_2S = "poll-2s";
    private static final String POLL_5S = "poll-5s";

    @Test
    void measuresAdmissionAndRelease() throws Exception {
        TestBed bed = TestBed.get();
        Map<String, Object> data = new LinkedHashMap<>();
        List<List<String>> rows = new ArrayList<>();
        rows.add(List.of("Latency", "Samples", "p50 (ms)", "p99 (ms)", "max (ms)"));
        try (OperatorProcess operator = OperatorProcess.startWithDefaults(bed)) {
            admission(bed, operator, rows, data);
            release(bed, rows, data);
        }
        BenchReport.record(
                "gating",
                new BenchReport.Section(
                        "Gating",
                        "The packaged operator at its default settings on the test bed. Admission: " + ROUNDS
                                + " rounds of "
                                + CONCURRENT + " pods created at once, with and without opting in. Release: " + RELEASES
                                + " migrations (after " + WARMUP + " warm-ups), each awaited by three applications: one"
                                + " gated by SchemaGate, two init-container waiters polling every 2 s and 5 s.",
                        rows,
                        List.of(
                                "Application started, polling / gated (ratio of the medians): 2 s "
                                        + BenchReport.ratio(ratios(data).get("2s")) + ", 5 s "
                                        + BenchReport.ratio(ratios(data).get("5s")) + ".",
                                "The webhook's own time per review in the measured rounds (held pods, bucket upper"
                                        + " bounds), from its headers (schemagate_webhook_admission_seconds): "
                                        + data.get("webhookOwnTime") + "; from its whole body, the decision alone"
                                        + " (schemagate_webhook_decision_seconds): " + data.get("webhookDecisionTime")
                                        + "; the CPU time of that decision (schemagate_webhook_decision_cpu_seconds): "
                                        + data.get("webhookDecisionCpuTime")),
                        data));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Double> ratios(Map<String, Object> data) {
        return (Map<String, Double>) data.get("pollingToGatedStartRatio");
    }

    /** Client-side pod creation latency, through the webhook and around it. */
    private static void admission(
            TestBed bed, OperatorProcess operator, List<List<String>> rows, Map<String, Object> data) throws Exception {
        TestNamespace namespace = TestNamespace.create(bed);
        try {
            List<Double> optedIn = new ArrayList<>();
            List<Double> plain = new ArrayList<>();
            String warmedUp = null;
            for (int round = 0; round < ROUNDS + 1; round++) {
                List<Double> held = createAtOnce(namespace, "held-" + round, true);
                List<Double> notOptedIn = createAtOnce(namespace, "plain-" + round, false);
                if (round > 0) {
                    optedIn.addAll(held);
                    plain.addAll(notOptedIn);
                }
                namespace
                        .client()
                        .pods()
                        .inNamespace(namespace.name())
                        .withGracePeriod(0)
                        .delete();
                if (round == 0) {
                    warmedUp = operator.metrics();
                }
            }
            String measured = operator.metrics();
            data.put("webhookOwnTime", measuredRounds("schemagate_webhook_admission_seconds", warmedUp, measured));
            data.put("webhookDecisionTime", measuredRounds("schemagate_webhook_decision_seconds", warmedUp, measured));
            data.put(
                    "webhookDecisionCpuTime",
                    measuredRounds("schemagate_webhook_decision_cpu_seconds", warmedUp, measured));
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

    /** The figures of one of the webhook's histograms between two scrapes. */
    private static Map<String, Object> measuredRounds(String series, String before, String after) {
        WebhookHistogram rounds = WebhookHistogram.held(series, after).since(WebhookHistogram.held(series, before));
        assertThat(rounds.count())
                .as("reviews %s timed in the measured rounds", series)
                .isEqualTo((long) ROUNDS * CONCURRENT);
        return Map.of(
                "reviews",
                rounds.count(),
                "p50AtMostMillis",
                rounds.quantileMillis(0.5),
                "p99AtMostMillis",
                rounds.quantileMillis(0.99),
                "maxAtMostMillis",
                rounds.quantileMillis(1.0));
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
                    Pod created = namespace
                            .client()
                            .pods()
                            .inNamespace(namespace.name())
                            .resource(pod)
                            .create();
                    double millis = (System.nanoTime() - before) / 1_000_000.0;
                    assertThat(PodGate.isHeld(created))
                            .as("held: " + created.getMetadata().getName())
                            .isEqualTo(optIn);
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

    /**
     * Each sample migrates a fresh database once, with three applications waiting for it, each the
     * pod of a Job the bed really runs (a main container that exits at once): one held by SchemaGate's
     * gate, and two whose init container polls the history table with psql every 2 s and every 5 s,
     * as init-container waiters do. Every delay counts from the watch event showing the migration's
     * runner pod Succeeded; an application has started once its pod is seen Succeeded. What follows the
     * release (scheduling, starting the container) is the same for all three, apart from the gated
     * pod's scheduling, which the waiters had done before.
     */
    private static void release(TestBed bed, List<List<String>> rows, Map<String, Object> data) throws Exception {
        FirstSeen runnerSucceeded = new FirstSeen(pod -> succeeded((Pod) pod));
        FirstSeen jobComplete = new FirstSeen(job -> new JobState((Job) job).isSucceeded());
        FirstSeen released = new FirstSeen(pod -> isApp(pod, GATED) && !PodGate.isHeld((Pod) pod));
        Map<String, FirstSeen> started = new LinkedHashMap<>();
        for (String app : List.of(GATED, POLL_2S, POLL_5S)) {
            started.put(app, new FirstSeen(pod -> isApp(pod, app) && succeeded((Pod) pod)));
        }
        List<ReleaseSample> samples = new ArrayList<>();
        List<ReleaseSample> warmups = new ArrayList<>();
        try (SharedIndexInformer<Job> jobs = bed.client()
                        .batch()
                        .v1()
                        .jobs()
                        .inAnyNamespace()
                        .withLabel(ManagedBy.LABEL, ManagedBy.VALUE)
                        .inform(FirstSeen.handler(jobComplete));
                SharedIndexInformer<Pod> runnerPods = bed.client()
                        .pods()
                        .inAnyNamespace()
                        .withLabel(ManagedBy.LABEL, ManagedBy.VALUE)
                        .inform(FirstSeen.handler(runnerSucceeded));
                SharedIndexInformer<Pod> apps = bed.client()
                        .pods()
                        .inAnyNamespace()
                        .withLabel(APP_LABEL)
                        .inform(FirstSeen.handler(started.values().toArray(FirstSeen[]::new)));
                SharedIndexInformer<Pod> gated = bed.client()
                        .pods()
                        .inAnyNamespace()
                        .withLabel(Gating.MIGRATION_LABEL, NAME)
                        .inform(FirstSeen.handler(released))) {
            for (int i = 0; i < WARMUP + RELEASES; i++) {
                TestNamespace namespace = TestNamespace.create(bed);
                TestDatabases database = TestDatabases.fresh();
                try {
                    Scenario scenario = new Scenario(namespace, database);
                    scenario.credentials();
                    scenario.scripts(
                            "scripts",
                            Map.of(
                                    "V1__create_customers.sql",
                                    "CREATE TABLE customers (id bigint PRIMARY KEY, name text NOT NULL);"));
                    scenario.apply(NAME, "scripts", spec -> spec.setSuspend(true));
                    String where = namespace.name();
                    for (String app : List.of(GATED, POLL_2S, POLL_5S)) {
                        namespace
                                .client()
                                .batch()
                                .v1()
                                .jobs()
                                .inNamespace(where)
                                .resource(application(app, database))
                                .create();
                    }
                    await(where + " applications waiting")
                            .atMost(SAMPLE_TIMEOUT)
                            .pollInterval(Duration.ofMillis(100))
                            .untilAsserted(() -> assertThat(waiting(namespace))
                                    .containsOnly(true)
                                    .hasSize(3));
                    // A merge patch of the one field: an edit would conflict with the operator's status writes.
                    scenario.resource(NAME)
                            .patch(PatchContext.of(PatchType.JSON_MERGE), "{\"spec\":{\"suspend\":false}}");
                    await(where + " released")
                            .atMost(SAMPLE_TIMEOUT)
                            .pollInterval(Duration.ofMillis(100))
                            .until(() -> released.at(where) != null
                                    && jobComplete.at(where) != null
                                    && started.values().stream().allMatch(seen -> seen.at(where) != null));
                    assertThat(scenario.resource(NAME)
                                    .get()
                                    .getStatus()
                                    .getRevision()
                                    .getCurrent())
                            .as(scenario.describe(NAME))
                            .isEqualTo("1");
                    assertThat(database.query("SELECT count(*) FROM flyway_schema_history WHERE success"))
                            .containsExactly("1");
                    long migrated = runnerSucceeded.at(where);
                    (i < WARMUP ? warmups : samples)
                            .add(new ReleaseSample(
                                    millis(released.at(where) - migrated),
                                    millis(released.at(where) - jobComplete.at(where)),
                                    millis(started.get(GATED).at(where) - migrated),
                                    millis(started.get(POLL_2S).at(where) - migrated),
                                    millis(started.get(POLL_5S).at(where) - migrated)));
                } finally {
                    namespace.delete();
                    database.drop();
                }
            }
        }
        Map<String, Function<ReleaseSample, Double>> metrics = new LinkedHashMap<>();
        metrics.put("runner pod Succeeded → pod gate removed", ReleaseSample::runnerToRelease);
        metrics.put("migration Job Complete → pod gate removed (negative: before it)", ReleaseSample::jobToRelease);
        metrics.put("runner pod Succeeded → application started, gated by SchemaGate", ReleaseSample::gatedStart);
        metrics.put(
                "runner pod Succeeded → application started, init container polling every 2 s",
                ReleaseSample::poll2sStart);
        metrics.put(
                "runner pod Succeeded → application started, init container polling every 5 s",
                ReleaseSample::poll5sStart);
        Map<String, Percentiles> summary = new LinkedHashMap<>();
        metrics.forEach((name, metric) -> {
            Percentiles stats = Percentiles.of(samples.stream().map(metric).toList());
            summary.put(name, stats);
            rows.add(row(name, stats));
        });
        double gatedStart = median(samples, ReleaseSample::gatedStart);
        data.put("release", summary);
        data.put(
                "pollingToGatedStartRatio",
                Map.of(
                        "2s",
                        median(samples, ReleaseSample::poll2sStart) / gatedStart,
                        "5s",
                        median(samples, ReleaseSample::poll5sStart) / gatedStart));
        data.put("releaseSamples", samples);
        data.put("releaseWarmups", warmups);
    }

    private static double median(List<ReleaseSample> samples, Function<ReleaseSample, Double> metric) {
        return Percentiles.of(samples.stream().map(metric).toList()).p50();
    }

    /** Milliseconds of one release sample, each between two observed instants. */
    record ReleaseSample(
            double runnerToRelease, double jobToRelease, double gatedStart, double poll2sStart, double poll5sStart) {}

    /**
     * Whether each application waits: the gated pod is held, the waiters' init containers poll. Only
     * then is the migration let go.
     */
    private static List<Boolean> waiting(TestNamespace namespace) {
        return namespace.client().pods().inNamespace(namespace.name()).withLabel(APP_LABEL).list().getItems().stream()
                .map(pod -> isApp(pod, GATED)
                        ? PodGate.isHeld(pod)
                        : "Pending".equals(pod.getStatus().getPhase())
                                && pod.getStatus().getInitContainerStatuses() != null
                                && pod.getStatus().getInitContainerStatuses().stream()
                                        .anyMatch(status -> status.getState().getRunning() != null))
                .toList();
    }

    /**
     * An application's Job: its pod starts a container that exits at once, after what it waits with:
     * SchemaGate's gate, or an init container polling the history table.
     */
    private static Job application(String app, TestDatabases database) {
        String host = TestDatabases.hostAndPort();
        JobBuilder job = new JobBuilder()
                .withNewMetadata()
                .withName(app)
                .endMetadata()
                .withNewSpec()
                .withBackoffLimit(0)
                .withNewTemplate()
                .withNewMetadata()
                .addToLabels(APP_LABEL, app)
                .endMetadata()
                .withNewSpec()
                .withRestartPolicy("Never")
                .addNewContainer()
                .withName("app")
                .withImage("bench/app:1")
                .withCommand("true")
                .endContainer()
                .endSpec()
                .endTemplate()
                .endSpec();
        if (GATED.equals(app)) {
            job.editSpec()
                    .editTemplate()
                    .editMetadata()
                    .addToLabels(Gating.MIGRATION_LABEL, NAME)
                    .endMetadata()
                    .endTemplate()
                    .endSpec();
        } else {
            int seconds = POLL_2S.equals(app) ? 2 : 5;
            job.editSpec()
                    .editTemplate()
                    .editSpec()
                    .addNewInitContainer()
                    .withName("wait-for-schema")
                    .withImage("bench/waiter:1")
                    .withCommand(
                            "sh",
                            "-c",
                            "until psql -tAq -c \"SELECT count(*) FROM"
                                    + " flyway_schema_history WHERE version = '1' AND success\" 2>/dev/null | grep -qx 1;"
                                    + " do sleep " + seconds + "; done")
                    .addNewEnv()
                    .withName("PGHOST")
                    .withValue(host.substring(0, host.indexOf(':')))
                    .endEnv()
                    .addNewEnv()
                    .withName("PGPORT")
                    .withValue(host.substring(host.indexOf(':') + 1))
                    .endEnv()
                    .addNewEnv()
                    .withName("PGDATABASE")
                    .withValue(database.name())
                    .endEnv()
                    .addNewEnv()
                    .withName("PGUSER")
                    .withNewValueFrom()
                    .withNewSecretKeyRef("username", Scenario.CREDENTIALS, false)
                    .endValueFrom()
                    .endEnv()
                    .addNewEnv()
                    .withName("PGPASSWORD")
                    .withNewValueFrom()
                    .withNewSecretKeyRef("password", Scenario.CREDENTIALS, false)
                    .endValueFrom()
                    .endEnv()
                    .endInitContainer()
                    .endSpec()
                    .endTemplate()
                    .endSpec();
        }
        return job.build();
    }

    private static boolean isApp(HasMetadata pod, String app) {
        return pod.getMetadata().getLabels() != null
                && app.equals(pod.getMetadata().getLabels().get(APP_LABEL));
    }

    private static boolean succeeded(Pod pod) {
        return pod.getStatus() != null && "Succeeded".equals(pod.getStatus().getPhase());
    }

    private static double millis(long nanos) {
        return nanos / 1_000_000.0;
    }

    private static Pod pod(String name, boolean optIn) {
        PodBuilder pod = new PodBuilder()
                .withNewMetadata()
                .withName(name)
                .addToLabels("app", "bench")
                .endMetadata()
                .withNewSpec()
                .addNewContainer()
                .withName("app")
                .withImage("nginx:1.27")
                .endContainer()
                .endSpec();
        if (optIn) {
            pod.editMetadata().addToLabels(Gating.MIGRATION_LABEL, NAME).endMetadata();
        }
        return pod.build();
    }

    private static List<String> row(String name, Percentiles stats) {
        return List.of(
                name,
                Integer.toString(stats.count()),
                BenchReport.millis(stats.p50()),
                BenchReport.millis(stats.p99()),
                BenchReport.millis(stats.max()));
    }
}
