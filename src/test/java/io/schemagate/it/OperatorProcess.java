package io.schemagate.it;

import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.schemagate.testbed.TestBed;
import io.schemagate.testsupport.Tools;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The packaged operator (target/quarkus-app) running as its own process against the test bed, the
 * way it runs in a cluster. The bed runs its Jobs from the same build: the runner image's
 * /deployments is this build's quarkus-app folder.
 */
public final class OperatorProcess implements AutoCloseable {
    private static final AtomicInteger STARTS = new AtomicInteger();
    private static boolean runnerImageInstalled;
    private static final Path APP = Path.of("target/quarkus-app").toAbsolutePath();

    /** Fast resync and backoff, so tests see the periodic paths quickly. */
    private static final Map<String, String> FAST_TIMERS = Map.of(
            "SCHEMAGATE_RESYNC_INTERVAL", "3s",
            "SCHEMAGATE_RETRY_INITIAL_BACKOFF", "1s",
            "SCHEMAGATE_RETRY_MAX_BACKOFF", "4s");

    private static final AtomicInteger HISTOGRAMS = new AtomicInteger();

    /** The webhook configuration each operator started here registers; one operator runs at a time. */
    public static final String WEBHOOK = "schemagate-it";

    private final Process process;
    private final long startedAt;
    private final Path log;
    private final KubernetesClient client;
    private boolean registeredWebhook;

    private OperatorProcess(Process process, long startedAt, Path log, KubernetesClient client) {
        this.process = process;
        this.startedAt = startedAt;
        this.log = log;
        this.client = client;
    }

    /** Starts an operator with fast resync and backoff, so tests see the periodic paths quickly. */
    public static OperatorProcess start(TestBed bed) {
        return start(bed, Map.of());
    }

    public static OperatorProcess start(TestBed bed, Map<String, String> settings) {
        installRunnerImage(bed);
        return start(bed.kubeconfig(), bed.client(), settings);
    }

    /** Starts an operator with the operator's own default timers, as users run it: what benchmarks measure. */
    public static OperatorProcess startWithDefaults(TestBed bed) {
        installRunnerImage(bed);
        return launch(bed.kubeconfig(), bed.client(), Map.of(), List.of());
    }

    /**
     * Starts an operator on the bed with another identity than the bed's administrator: the
     * kubeconfig's, and exactly these settings (no fast timers).
     */
    public static OperatorProcess startAs(TestBed bed, Path kubeconfig, Map<String, String> settings) {
        return startAs(bed, kubeconfig, settings, List.of());
    }

    /**
     * As {@link #startAs(TestBed, Path, Map)}, in a JVM started with these options: a heap limit and
     * a GC log, say, for a benchmark that shows how much memory the operator needs.
     */
    public static OperatorProcess startAs(
            TestBed bed, Path kubeconfig, Map<String, String> settings, List<String> jvmOptions) {
        installRunnerImage(bed);
        return launch(kubeconfig, bed.client(), settings, jvmOptions);
    }

    /** Starts an operator against any cluster: the CRD is installed, the runner image must be there. */
    public static OperatorProcess start(Path kubeconfig, KubernetesClient client, Map<String, String> settings) {
        Map<String, String> all = new HashMap<>(FAST_TIMERS);
        all.putAll(settings);
        return launch(kubeconfig, client, all, List.of());
    }

    private static OperatorProcess launch(
            Path kubeconfig, KubernetesClient client, Map<String, String> settings, List<String> jvmOptions) {
        installCrd(client);
        Path log =
                Path.of("target/operator-" + STARTS.incrementAndGet() + ".log").toAbsolutePath();
        List<String> command = new ArrayList<>();
        command.add(javaExecutable());
        command.addAll(jvmOptions);
        command.addAll(List.of("-jar", APP.resolve("quarkus-run.jar").toString()));
        ProcessBuilder builder =
                new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        Map<String, String> env = builder.environment();
        env.put("KUBECONFIG", kubeconfig.toString());
        env.put("QUARKUS_HTTP_PORT", "0");
        env.put("SCHEMAGATE_RUNNER_IMAGE", runnerImage());
        env.put("SCHEMAGATE_WEBHOOK_PORT", "0");
        env.put("SCHEMAGATE_WEBHOOK_CONFIGURATION", WEBHOOK);
        // Where the image keeps PostgreSQL's parser, this build's copy of it is.
        env.put("SCHEMAGATE_POLICY_PARSER_LIBRARY", Tools.libpgQuery().toString());
        env.putAll(settings);
        try {
            long startedAt = System.nanoTime();
            OperatorProcess operator = new OperatorProcess(builder.start(), startedAt, log, client);
            await("operator started (log: " + log + ")")
                    .atMost(Duration.ofSeconds(60))
                    .until(() -> !operator.process.isAlive() || operator.log().contains("Installed features"));
            if (!operator.process.isAlive()) {
                throw new IllegalStateException("the operator exited at start:\n" + operator.log());
            }
            // Registered here unless the test brings its own registration (a chart's) or none.
            if (!"false".equals(env.get("SCHEMAGATE_WEBHOOK_ENABLED"))
                    && WEBHOOK.equals(env.get("SCHEMAGATE_WEBHOOK_CONFIGURATION"))) {
                operator.registerWebhook();
            }
            return operator;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The runner image the operator puts in its Jobs; the bed maps it to this build. */
    public static String runnerImage() {
        return "schemagate/schemagate:" + System.getProperty("schemagate.app.version", "dev");
    }

    /** Kills the process at once, as a node failure or an OOM kill would. */
    public void kill() {
        process.destroyForcibly();
        await().atMost(Duration.ofSeconds(10)).until(() -> !process.isAlive());
    }

    /**
     * Points the bed's API server at this operator's webhook, by URL as the API server runs on this
     * machine, with the failure policy a cluster install uses by default. The operator patches in
     * its CA bundle; the test waits for it, so that gating works from the first pod on.
     */
    private void registerWebhook() {
        String url = "https://127.0.0.1:" + port("Webhook listening on https://[^:]+:(\\d+)");
        client.admissionRegistration()
                .v1()
                .mutatingWebhookConfigurations()
                .resource(Webhooks.configuration(WEBHOOK, url, "Fail"))
                .createOr(existing -> existing.update());
        registeredWebhook = true;
        await("caBundle patched into " + WEBHOOK)
                .atMost(Duration.ofSeconds(30))
                .until(() -> client.admissionRegistration()
                                .v1()
                                .mutatingWebhookConfigurations()
                                .withName(WEBHOOK)
                                .get()
                                .getWebhooks()
                                .get(0)
                                .getClientConfig()
                                .getCaBundle()
                        != null);
    }

    /** The Prometheus metrics the operator serves, read from its HTTP port (chosen at random). */
    public String metrics() {
        return get("/q/metrics").body();
    }

    /** A GET on the operator's HTTP port (chosen at random). */
    public HttpResponse<String> get(String path) {
        URI uri = URI.create("http://127.0.0.1:" + port("Listening on: http://[^:]+:(\\d+)") + path);
        try {
            return HttpClient.newHttpClient()
                    .send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private String port(String logLine) {
        Matcher listening = Pattern.compile(logLine).matcher(log());
        if (!listening.find()) {
            throw new IllegalStateException("the operator did not log its port: " + logLine);
        }
        return listening.group(1);
    }

    /** The System.nanoTime() of this JVM just before the operator's process was started. */
    public long startedAt() {
        return startedAt;
    }

    /**
     * The bytes the operator's heap holds live: jcmd's class histogram, which first collects the
     * whole heap, so that only what is still referenced is counted. The histogram is kept in
     * target/, to tell what a test that finds too much found.
     */
    public long liveHeapBytes() {
        String jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd").toString();
        try {
            Process histogram = new ProcessBuilder(jcmd, Long.toString(process.pid()), "GC.class_histogram")
                    .redirectErrorStream(true)
                    .start();
            String output = new String(histogram.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (histogram.waitFor() != 0) {
                throw new IllegalStateException("jcmd failed:\n" + output);
            }
            Files.writeString(
                    Path.of("target/heap-" + process.pid() + "-" + HISTOGRAMS.incrementAndGet() + ".txt"), output);
            // The last line: "Total <instances> <bytes>".
            Matcher total = Pattern.compile("(?m)^Total\\s+\\d+\\s+(\\d+)\\s*$").matcher(output);
            if (!total.find()) {
                throw new IllegalStateException("no total in the class histogram:\n" + output);
            }
            return Long.parseLong(total.group(1));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The operator JVM's process id, for reading what it costs from /proc. */
    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** The exit code of a process that ended. */
    public int exitCode() {
        return process.exitValue();
    }

    public String log() {
        try {
            return Files.exists(log) ? Files.readString(log) : "";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Stops the operator, and unregisters its webhook so that no later pod waits on a dead endpoint. */
    @Override
    public void close() {
        if (registeredWebhook) {
            client.admissionRegistration()
                    .v1()
                    .mutatingWebhookConfigurations()
                    .withName(WEBHOOK)
                    .delete();
        }
        process.destroy();
        await().atMost(Duration.ofSeconds(20)).until(() -> !process.isAlive());
    }

    /**
     * Lays out the runner image for the bed as the Dockerfile builds it (testbed/install-runner-image.sh,
     * which `make run` uses too). Once per test JVM: replacing it would pull the files from under a
     * runner that is running.
     */
    private static synchronized void installRunnerImage(TestBed bed) {
        if (runnerImageInstalled) {
            return;
        }
        runnerImageInstalled = true;
        try {
            Process install = new ProcessBuilder(
                            "testbed/install-runner-image.sh",
                            bed.imageRoot(runnerImage()).toString())
                    .redirectErrorStream(true)
                    .start();
            String output = new String(install.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (install.waitFor() != 0) {
                throw new IllegalStateException("testbed/install-runner-image.sh failed:\n" + output);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** This build's CRD, established: for a test that creates its resources before any operator starts. */
    public static void installCrd(KubernetesClient client) {
        Path file = Path.of("target/kubernetes/databasemigrations.schemagate.io-v1.yml");
        try (var in = Files.newInputStream(file)) {
            List<?> items = client.load(in).items();
            CustomResourceDefinition crd = (CustomResourceDefinition) items.get(0);
            // Forced: Helm (HelmChartIT) or kubectl (make run) may have created it, with this same content.
            client.apiextensions()
                    .v1()
                    .customResourceDefinitions()
                    .resource(crd)
                    .forceConflicts()
                    .serverSideApply();
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> client
                            .apiextensions()
                            .v1()
                            .customResourceDefinitions()
                            .withName(crd.getMetadata().getName())
                            .get()
                            .getStatus()
                            .getConditions()
                            .stream()
                            .anyMatch(c -> "Established".equals(c.getType()) && "True".equals(c.getStatus())));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String javaExecutable() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }
}
