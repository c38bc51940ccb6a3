package io.schemagate.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.schemagate.api.DatabaseMigration;
import io.schemagate.it.Scenario;
import io.schemagate.reconcile.MigrationJob;
import io.schemagate.support.Json;
import io.schemagate.testbed.TestBed;
import io.schemagate.testsupport.TestDatabases;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** What the end-to-end scenarios do and wait for on the real node, as a user would with kubectl. */
final class Cluster {
    /** Real containers: an image's first start on the node and a JVM's are slower than the bed's sandboxes. */
    static final Duration TIMEOUT = Duration.ofMinutes(3);

    final TestBed bed = TestBed.get();
    final KubernetesClient client = bed.client();
    final RealNode node = RealNode.of(bed);

    /** `kubectl apply`, failing with kubectl's own output. */
    void kubectl(String... arguments) throws IOException, InterruptedException {
        TestBed.CommandResult result = bed.runKubectl(arguments);
        assertThat(result.exitCode())
                .as("kubectl %s:%n%s", List.of(arguments), result.output())
                .isZero();
    }

    /**
     * The Secret the examples read their database from (keys url, username, password), for a fresh
     * database, with its URL as the node's pods reach it.
     */
    TestDatabases databaseSecret(String namespace, String secret) throws Exception {
        TestDatabases database = TestDatabases.fresh();
        client.secrets()
                .inNamespace(namespace)
                .resource(new SecretBuilder()
                        .withNewMetadata()
                        .withName(secret)
                        .endMetadata()
                        .addToStringData("url", node.jdbcUrl(database.name()))
                        .addToStringData("username", database.user())
                        .addToStringData("password", database.password())
                        .build())
                .serverSideApply();
        return database;
    }

    DatabaseMigration migration(String namespace, String name) {
        return client.resources(DatabaseMigration.class)
                .inNamespace(namespace)
                .withName(name)
                .get();
    }

    DatabaseMigration awaitReady(String namespace, String name) {
        return awaitCondition(namespace, name, "Ready", "True", "Current");
    }

    DatabaseMigration awaitCondition(String namespace, String name, String type, String status, String reason) {
        await(name + " " + type + "=" + status + "/" + reason).atMost(TIMEOUT).untilAsserted(() -> {
            DatabaseMigration resource = migration(namespace, name);
            Optional<Condition> condition = condition(resource, type);
            assertThat(condition.map(c -> c.getStatus() + "/" + c.getReason()))
                    .as("status of %s: %s", name, resource == null ? null : Json.write(resource.getStatus()))
                    .contains(status + "/" + reason);
        });
        return migration(namespace, name);
    }

    static Optional<Condition> condition(DatabaseMigration resource, String type) {
        return Scenario.condition(resource, type);
    }

    /** The reasons of a resource's events, once all of these are among them. */
    List<String> awaitEvents(String namespace, String name, String... expected) {
        return await("events " + List.of(expected) + " of " + name)
                .atMost(TIMEOUT)
                .until(
                        () -> client.v1().events().inNamespace(namespace).list().getItems().stream()
                                .filter(event ->
                                        name.equals(event.getInvolvedObject().getName()))
                                .map(Event::getReason)
                                .toList(),
                        reasons -> reasons.containsAll(List.of(expected)));
    }

    /** The messages of a resource's events of one reason. */
    List<String> eventMessages(String namespace, String name, String reason) {
        return client.v1().events().inNamespace(namespace).list().getItems().stream()
                .filter(event -> name.equals(event.getInvolvedObject().getName()) && reason.equals(event.getReason()))
                .map(Event::getMessage)
                .toList();
    }

    List<Job> jobs(String namespace) {
        return client.batch().v1().jobs().inNamespace(namespace).list().getItems();
    }

    /** The pods of a migration Job, each as the kubelet reports it. */
    List<Pod> jobPods(String namespace, Job job) {
        return client.pods()
                .inNamespace(namespace)
                .withLabel("batch.kubernetes.io/job-name", job.getMetadata().getName())
                .list()
                .getItems();
    }

    List<Pod> pods(String namespace, Map<String, String> labels) {
        return client.pods().inNamespace(namespace).withLabels(labels).list().getItems();
    }

    /** Waits until exactly this many pods with these labels really run on the node, none held. */
    List<Pod> awaitRunning(String namespace, Map<String, String> labels, int count) {
        return await(count + " pods " + labels + " running on " + node.name())
                .atMost(TIMEOUT)
                .until(
                        () -> pods(namespace, labels),
                        pods -> pods.size() == count && pods.stream().allMatch(this::runsOnTheNode));
    }

    boolean runsOnTheNode(Pod pod) {
        return node.name().equals(pod.getSpec().getNodeName())
                && "Running".equals(pod.getStatus().getPhase())
                && pod.getStatus().getContainerStatuses().stream().allMatch(c -> Boolean.TRUE.equals(c.getReady()));
    }

    /** Whether a pod waits behind SchemaGate's scheduling gate. */
    static boolean held(Pod pod) {
        return pod.getSpec().getSchedulingGates().stream()
                .anyMatch(gate -> "schemagate.io/schema".equals(gate.getName()));
    }

    /** The runner container of a finished Job pod ended as a process that exited 0, on the node. */
    void assertRanInAContainer(Pod pod) {
        assertThat(pod.getSpec().getNodeName()).isEqualTo(node.name());
        assertThat(pod.getStatus().getContainerStatuses())
                .filteredOn(status -> status.getName().equals(MigrationJob.RUNNER_CONTAINER))
                .singleElement()
                .satisfies(status -> {
                    assertThat(status.getContainerID()).startsWith("containerd://");
                    assertThat(status.getState().getTerminated().getExitCode()).isZero();
                });
    }
}
