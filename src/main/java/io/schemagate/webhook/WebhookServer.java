package io.schemagate.webhook;

import io.fabric8.kubernetes.api.model.admission.v1.AdmissionResponse;
import io.fabric8.kubernetes.api.model.admission.v1.AdmissionReview;
import io.fabric8.kubernetes.api.model.admission.v1.AdmissionReviewBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.javaoperatorsdk.operator.Operator;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.logging.Log;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.schemagate.config.SchemaGateConfig;
import io.schemagate.gate.KnownMigrations;
import io.schemagate.webhook.tls.ServingCertificate;
import io.schemagate.webhook.tls.WebhookCertificates;
import io.vertx.core.AbstractVerticle;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.SSLOptions;
import jakarta.annotation.Priority;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The admission webhook's HTTPS endpoints on their own port: {@code POST /mutate/pods} gates pods,
 * {@code POST /mutate/databasemigrations} checks and records approvals. Pods are answered on the
 * event loop: the decision is made from memory, so nothing there blocks. An approval asks the API
 * server, so it is answered on a worker thread. One server per core
 * listens, each on its own event loop, and Vert.x shares the port between them: the API server sends
 * a Deployment's pods at once, and on a single loop each review would wait for the TLS work and the
 * decisions of the reviews before it.
 */
@Singleton
public class WebhookServer {
    static final String PATH = "/mutate/pods";
    static final String MIGRATIONS_PATH = "/mutate/databasemigrations";

    /**
     * The largest review read: the API server takes no request over 3 MiB, so a pod's review is below
     * this; what is larger is not one, and is not held in memory to find out.
     */
    static final int MAX_BODY_BYTES = 4 * 1024 * 1024;

    /** The priority of the Quarkus Operator SDK's StartupEvent observer that starts the operator. */
    static final int OPERATOR_START_PRIORITY = 3123;

    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private final Vertx vertx;
    private final SchemaGateConfig config;
    private final KnownMigrations known;
    private final Operator operator;
    private final WebhookCertificates certificates;
    private final PodAdmission admission;
    private final MigrationAdmission migrations;
    private final KubernetesSerialization serialization;
    private final Map<String, Timer> answered;
    private final Map<String, Timer> decided;
    private final Map<String, Timer> decidedOnCpu;
    private final List<HttpServer> servers = new CopyOnWriteArrayList<>();
    private volatile boolean operatorStarted;
    private volatile boolean listening;
    private volatile String deployment;

    WebhookServer(
            Vertx vertx,
            SchemaGateConfig config,
            KnownMigrations known,
            WebhookCertificates certificates,
            KubernetesClient client,
            MeterRegistry registry,
            Operator operator) {
        this.vertx = vertx;
        this.config = config;
        this.known = known;
        this.operator = operator;
        this.certificates = certificates;
        this.admission = new PodAdmission(known);
        this.serialization = client.getKubernetesSerialization();
        this.migrations = new MigrationAdmission(new SubjectAccessReviews(client), serialization);
        this.answered = timers(
                registry,
                "schemagate.webhook.admission",
                "Time to answer a pod admission review, from its headers to the answer, by decision");
        this.decided = timers(
                registry,
                "schemagate.webhook.decision",
                "Time to decide a pod admission review, from its whole body to the answer, by decision");
        // Beside the wall time: on a busy node the gap between the two is the wait for a core.
        this.decidedOnCpu = timers(
                registry,
                "schemagate.webhook.decision.cpu",
                "CPU time of the event loop thread deciding a pod admission review, by decision");
    }

    private static Map<String, Timer> timers(MeterRegistry registry, String name, String description) {
        return Stream.of("admitted", "held", "refused")
                .collect(Collectors.toMap(
                        outcome -> outcome,
                        outcome -> Timer.builder(name)
                                .description(description)
                                .tag("outcome", outcome)
                                .publishPercentiles(0.5, 0.99)
                                // Buckets too, so that the figures of any interval can be told from two scrapes.
                                .publishPercentileHistogram()
                                .minimumExpectedValue(Duration.ofNanos(50_000))
                                .maximumExpectedValue(Duration.ofSeconds(1))
                                .register(registry)));
    }

    void start(@Observes StartupEvent event) {
        if (!config.webhook().enabled()) {
            return;
        }
        ServingCertificate initial = certificates.current();
        HttpServerOptions options = new HttpServerOptions()
                .setPort(config.webhook().port())
                .setSsl(true)
                .setKeyCertOptions(keyCertificate(initial));
        deployment = vertx.deployVerticle(
                        () -> new Listener(options),
                        new DeploymentOptions()
                                .setInstances(Runtime.getRuntime().availableProcessors()))
                .toCompletionStage()
                .toCompletableFuture()
                .join();
        ServingCertificate latest = certificates.onChange(this::serve);
        // Renewed while the servers started: the listener came too late for that one.
        if (!latest.equals(initial)) {
            serve(latest);
        }
        listening = true;
        Log.infof(
                "Webhook listening on https://0.0.0.0:%d%s (%d event loops)",
                servers.get(0).actualPort(), PATH, servers.size());
    }

    /** One server, on the event loop Vert.x gives this instance. */
    private final class Listener extends AbstractVerticle {
        private final HttpServerOptions options;

        Listener(HttpServerOptions options) {
            this.options = options;
        }

        @Override
        public void start(Promise<Void> started) {
            vertx.createHttpServer(options)
                    .requestHandler(WebhookServer.this::handle)
                    .listen()
                    .onSuccess(server -> {
                        servers.add(server);
                        started.complete();
                    })
                    .onFailure(started::fail);
        }
    }

    /**
     * Runs after the operator SDK's own startup observer (priority {@value #OPERATOR_START_PRIORITY}),
     * which starts the operator and returns once its informers have loaded every DatabaseMigration.
     */
    void operatorStarted(@Observes @Priority(OPERATOR_START_PRIORITY + 1) StartupEvent event) {
        operatorStarted = operator.getRuntimeInfo().isStarted();
    }

    /**
     * Listening, and able to decide: the operator has started. Before that an empty cache would hold
     * every pod. Read from a flag: asking the operator would wait on the lock its start holds, and
     * on the event loop that start needs for its informers, so a pod created during the start
     * deadlocked the operator until its informers timed out.
     */
    boolean canDecide() {
        return listening && known.isReady() && operatorStarted;
    }

    private void serve(ServingCertificate certificate) {
        SSLOptions renewed = new SSLOptions().setKeyCertOptions(keyCertificate(certificate));
        servers.forEach(server -> server.updateSSLOptions(renewed));
    }

    void stop(@Observes ShutdownEvent event) {
        if (deployment != null) {
            vertx.undeploy(deployment).toCompletionStage().toCompletableFuture().join();
        }
    }

    private void handle(HttpServerRequest request) {
        if (!HttpMethod.POST.equals(request.method())
                || !(PATH.equals(request.path()) || MIGRATIONS_PATH.equals(request.path()))) {
            request.response().setStatusCode(404).end();
            return;
        }
        long started = System.nanoTime();
        String declared = request.getHeader("Content-Length");
        if (declared != null && declared.matches("[0-9]{1,18}") && Long.parseLong(declared) > MAX_BODY_BYTES) {
            tooLarge(request);
            return;
        }
        // Read by chunks, so that a body sent without its length is refused as soon as it is too large.
        Buffer body = Buffer.buffer();
        request.handler(chunk -> {
            if (body.length() + chunk.length() > MAX_BODY_BYTES) {
                tooLarge(request);
            } else if (!request.response().ended()) {
                body.appendBuffer(chunk);
            }
        });
        request.exceptionHandler(failure -> {
            if (!request.response().ended()) {
                request.response().setStatusCode(400).end(String.valueOf(failure.getMessage()));
            }
        });
        request.endHandler(end -> {
            if (!request.response().ended()) {
                answer(request, body, started);
            }
        });
    }

    /**
     * 413, and over HTTP/1.1 the connection closed, so that the rest of the body is not read; over
     * HTTP/2 the answer ends the stream alone, and the API server's other reviews on the connection go on.
     */
    private static void tooLarge(HttpServerRequest request) {
        if (request.response().ended()) {
            return;
        }
        boolean http2 = request.version() == HttpVersion.HTTP_2;
        if (!http2) {
            request.response().putHeader("Connection", "close");
        }
        request.response()
                .setStatusCode(413)
                .end("an admission review is at most " + MAX_BODY_BYTES + " bytes; this body is larger")
                .onComplete(answered -> {
                    if (!http2) {
                        request.connection().close();
                    }
                });
    }

    private void answer(HttpServerRequest request, Buffer body, long started) {
        long bodyRead = System.nanoTime();
        long cpuAtBody = THREADS.getCurrentThreadCpuTime();
        boolean pods = PATH.equals(request.path());
        if (pods && !canDecide()) {
            // The API server then applies the failure policy, as if this replica were not there.
            request.response().setStatusCode(503).end("SchemaGate is starting");
            return;
        }
        AdmissionReview review;
        try {
            review = AdmissionReviews.read(serialization, body.toString());
        } catch (AdmissionReviews.Unreadable unreadable) {
            request.response().setStatusCode(400).end(unreadable.getMessage());
            return;
        }
        if (!pods) {
            vertx.executeBlocking(() -> migrations.review(review.getRequest()), false)
                    .onSuccess(response -> respond(request, response))
                    .onFailure(failure -> request.response()
                            .setStatusCode(500)
                            .end("SchemaGate could not review the DatabaseMigration: " + failure.getMessage()));
            return;
        }
        AdmissionResponse response = admission.review(review.getRequest());
        respond(request, response);
        long ended = System.nanoTime();
        String outcome = outcomeOf(response);
        answered.get(outcome).record(ended - started, TimeUnit.NANOSECONDS);
        decided.get(outcome).record(ended - bodyRead, TimeUnit.NANOSECONDS);
        decidedOnCpu.get(outcome).record(THREADS.getCurrentThreadCpuTime() - cpuAtBody, TimeUnit.NANOSECONDS);
    }

    private void respond(HttpServerRequest request, AdmissionResponse response) {
        request.response()
                .putHeader("Content-Type", "application/json")
                .end(serialization.asJson(new AdmissionReviewBuilder()
                        .withApiVersion("admission.k8s.io/v1")
                        .withKind("AdmissionReview")
                        .withResponse(response)
                        .build()));
    }

    private static String outcomeOf(AdmissionResponse response) {
        if (!Boolean.TRUE.equals(response.getAllowed())) {
            return "refused";
        }
        return response.getPatch() == null ? "admitted" : "held";
    }

    private static PemKeyCertOptions keyCertificate(ServingCertificate certificate) {
        return new PemKeyCertOptions()
                .setCertValue(Buffer.buffer(certificate.certificateChainPem()))
                .setKeyValue(Buffer.buffer(certificate.privateKeyPem()));
    }
}
