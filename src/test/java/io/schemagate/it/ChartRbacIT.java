package io.schemagate.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.authorization.v1.SelfSubjectAccessReview;
import io.fabric8.kubernetes.api.model.authorization.v1.SelfSubjectAccessReviewBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.schemagate.api.DatabaseMigration;
import io.schemagate.gate.Gating;
import io.schemagate.gate.PodGate;
import io.schemagate.packaging.Chart;
import io.schemagate.testbed.TestBed;
import io.schemagate.testbed.TestNamespace;
import io.schemagate.testsupport.TestDatabases;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The chart's RBAC is enough, proven on a real API server: the packaged operator runs with a
 * token of the chart's ServiceAccount (nothing of the bed's administrator) and the environment of
 * the chart's Deployment, and reconciles a DatabaseMigration until it is Ready.
 */
@ExtendWith(TestNamespace.Extension.class)
class ChartRbacIT {
    private static final Map<String, String> SCRIPTS = Map.of(
            "V1__create_customers.sql", "CREATE TABLE customers (id bigint PRIMARY KEY);",
            "V2__create_orders.sql",
                    "CREATE TABLE orders (id bigint PRIMARY KEY, customer bigint REFERENCES customers);");

    @RegisterExtension
    final TestDatabases database = new TestDatabases();

    @Test
    void watchingAllNamespacesWithTheClusterRole(TestNamespace namespace) throws Exception {
        try (Installation operator = Installation.of(TestBed.get(), Map.of())) {
            migrate(operator, namespace);

            assertThat(operator.allowed("list", "secrets", "default"))
                    .as("ClusterRole: every namespace")
                    .isTrue();
        }
    }

    @Test
    void watchingListedNamespacesWithRolesInThem(TestNamespace namespace) throws Exception {
        try (Installation operator = Installation.of(TestBed.get(), Map.of("watchNamespaces[0]", namespace.name()))) {
            migrate(operator, namespace);

            assertThat(operator.allowed("list", "secrets", "default"))
                    .as("Roles: only the listed namespaces")
                    .isFalse();
            assertThat(operator.allowed("list", "configmaps", "default")).isFalse();
        }
    }

    private void migrate(Installation operator, TestNamespace namespace) throws Exception {
        Scenario scenario = new Scenario(namespace, database);
        scenario.credentials();
        scenario.scripts("migrations", SCRIPTS);
        String secretVersion = namespace
                .client()
                .secrets()
                .inNamespace(namespace.name())
                .withName(Scenario.CREDENTIALS)
                .get()
                .getMetadata()
                .getResourceVersion();
        String configMapVersion = namespace
                .client()
                .configMaps()
                .inNamespace(namespace.name())
                .withName("migrations")
                .get()
                .getMetadata()
                .getResourceVersion();
        // Held as the webhook holds pods (the chart's webhook Service is not reachable from the bed's
        // API server): the operator must be allowed to watch and release it.
        Pod held = new PodBuilder(GatingIT.pod("web", "orders", Map.of()))
                .editMetadata()
                .addToLabels(Gating.HELD_LABEL, "true")
                .endMetadata()
                .editSpec()
                .addNewSchedulingGate(Gating.SCHEDULING_GATE)
                .endSpec()
                .build();
        namespace.client().pods().inNamespace(namespace.name()).resource(held).create();
        scenario.apply("orders", "migrations", spec -> {});

        DatabaseMigration ready = scenario.awaitReady("orders");

        assertThat(ready.getStatus().getRevision().getCurrent()).isEqualTo("2");
        assertThat(scenario.tableExists("orders")).isTrue();
        assertThat(scenario.jobs())
                .singleElement()
                .satisfies(job -> assertThat(job.getMetadata().getOwnerReferences())
                        .singleElement()
                        .satisfies(owner ->
                                assertThat(owner.getBlockOwnerDeletion()).isTrue()));
        await("held pod released")
                .atMost(Scenario.TIMEOUT)
                .until(() -> !PodGate.isHeld(namespace
                        .client()
                        .pods()
                        .inNamespace(namespace.name())
                        .withName("web")
                        .get()));
        scenario.awaitEvents("orders", "MigrationStarted", "MigrationSucceeded", "PodsReleased");
        KubernetesClient admin = namespace.client();
        // The webhook certificate was created in the operator's namespace and its CA published.
        assertThat(admin.admissionRegistration()
                        .v1()
                        .mutatingWebhookConfigurations()
                        .withName(operator.release)
                        .get()
                        .getWebhooks())
                .allSatisfy(webhook ->
                        assertThat(webhook.getClientConfig().getCaBundle()).isNotBlank());
        // The operator read the users' ConfigMap and Secret and wrote nothing to them: the chart grants no write.
        assertThat(admin.configMaps()
                        .inNamespace(namespace.name())
                        .withName("migrations")
                        .get()
                        .getMetadata()
                        .getResourceVersion())
                .isEqualTo(configMapVersion);
        assertThat(admin.secrets()
                        .inNamespace(namespace.name())
                        .withName(Scenario.CREDENTIALS)
                        .get()
                        .getMetadata()
                        .getResourceVersion())
                .isEqualTo(secretVersion);
        assertThat(admin.leases()
                        .inNamespace(operator.namespace.name())
                        .withName(operator.release + "-operator")
                        .get()
                        .getSpec()
                        .getHolderIdentity())
                .isEqualTo(operator.hostname());
        assertThat(operator.process.log())
                .doesNotContain("Forbidden")
                .doesNotContain("forbidden")
                .doesNotContain("could not record event");

        // Users' objects are read, never written (only Jobs of its own are deleted, when old). It creates
        // Secrets only for its own command-engine runs, which go with their Jobs.
        assertThat(operator.allowed("patch", "secrets", namespace.name())).isFalse();
        assertThat(operator.allowed("update", "secrets", namespace.name())).isFalse();
        assertThat(operator.allowed("delete", "secrets", namespace.name())).isFalse();
        assertThat(operator.allowed("patch", "configmaps", namespace.name())).isFalse();
        assertThat(operator.allowed("update", "deployments", namespace.name())).isFalse();
        assertThat(operator.allowed("update", "databasemigrations", namespace.name()))
                .isFalse();
    }

    /** The chart installed in a namespace of its own, and the operator running with its ServiceAccount's token. */
    private static final class Installation implements AutoCloseable {
        private final TestBed bed;
        private final TestNamespace namespace;
        private final String release;
        private final Path kubeconfig;
        private final KubernetesClient serviceAccount;
        private final OperatorProcess process;

        private Installation(
                TestBed bed, TestNamespace namespace, String release, Path kubeconfig, Map<String, String> env)
                throws IOException {
            this.bed = bed;
            this.namespace = namespace;
            this.release = release;
            this.kubeconfig = kubeconfig;
            this.serviceAccount = new KubernetesClientBuilder()
                    .withConfig(Config.fromKubeconfig(Files.readString(kubeconfig)))
                    .build();
            this.process = OperatorProcess.startAs(bed, kubeconfig, env);
        }

        static Installation of(TestBed bed, Map<String, String> values) throws IOException {
            TestNamespace namespace = TestNamespace.create(bed);
            String release = "schemagate-" + namespace.name();
            Map<String, String> all = new HashMap<>(values);
            all.put("runner.image", OperatorProcess.runnerImage());
            // Nothing answers the webhook on the bed; Ignore keeps other tests' opted-in pods unaffected.
            all.put("webhook.failurePolicy", "Ignore");
            try {
                Chart.install(bed.kubeconfig(), release, namespace.name(), all);
                Path kubeconfig = bed.serviceAccountKubeconfig(namespace.name(), release);
                return new Installation(bed, namespace, release, kubeconfig, env(bed, namespace.name(), release));
            } catch (RuntimeException | IOException e) {
                Chart.uninstall(bed.kubeconfig(), release, namespace.name());
                namespace.delete();
                throw e;
            }
        }

        String hostname() {
            return release + "-0";
        }

        /** What the API server answers the operator's identity for this verb. */
        boolean allowed(String verb, String resource, String inNamespace) {
            SelfSubjectAccessReview review = serviceAccount
                    .authorization()
                    .v1()
                    .selfSubjectAccessReview()
                    .create(new SelfSubjectAccessReviewBuilder()
                            .withNewSpec()
                            .withNewResourceAttributes()
                            .withVerb(verb)
                            .withResource(resource)
                            .withNamespace(inNamespace)
                            .withGroup(
                                    switch (resource) {
                                        case "jobs" -> "batch";
                                        case "deployments" -> "apps";
                                        case "databasemigrations" -> "schemagate.io";
                                        default -> "";
                                    })
                            .endResourceAttributes()
                            .endSpec()
                            .build());
            return review.getStatus().getAllowed();
        }

        /**
         * The environment of the chart's Deployment as a pod of it would get it: the namespace
         * from the downward API, and a pod name as the host name (the leader's identity).
         */
        private static Map<String, String> env(TestBed bed, String namespace, String release) {
            List<EnvVar> declared = bed.client()
                    .apps()
                    .deployments()
                    .inNamespace(namespace)
                    .withName(release)
                    .get()
                    .getSpec()
                    .getTemplate()
                    .getSpec()
                    .getContainers()
                    .get(0)
                    .getEnv();
            Map<String, String> env = new LinkedHashMap<>();
            for (EnvVar variable : declared) {
                if (variable.getValue() != null) {
                    env.put(variable.getName(), variable.getValue());
                } else if ("metadata.namespace"
                        .equals(variable.getValueFrom().getFieldRef().getFieldPath())) {
                    env.put(variable.getName(), namespace);
                } else {
                    throw new IllegalStateException("unexpected env source in the chart: " + variable);
                }
            }
            env.put("HOSTNAME", release + "-0");
            // Pods have a port space each; processes on the bed's host share one.
            env.put("SCHEMAGATE_WEBHOOK_PORT", String.valueOf(freePort()));
            return env;
        }

        private static int freePort() {
            try (ServerSocket socket = new ServerSocket(0)) {
                return socket.getLocalPort();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        public void close() throws IOException {
            try {
                process.close();
                serviceAccount.close();
            } finally {
                Files.deleteIfExists(kubeconfig);
                Chart.uninstall(bed.kubeconfig(), release, namespace.name());
                namespace.delete();
            }
        }
    }
}
