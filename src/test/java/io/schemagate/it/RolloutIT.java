package io.schemagate.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.dsl.RollableScalableResource;
import io.schemagate.api.DatabaseMigration;
import io.schemagate.api.WorkloadSource;
import io.schemagate.gate.PodGate;
import io.schemagate.testbed.TestNamespace;
import io.schemagate.testsupport.TestDatabases;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Real Deployment rollouts on the bed (controller manager, scheduler, KWOK nodes) with a workload
 * source: the migration of a new image runs ahead of the rollout, whose new pods wait behind the
 * scheduling gate while the old ones keep serving.
 */
@ExtendWith(TestNamespace.Extension.class)
class RolloutIT {
    /** Slow enough that the test sees the rollout wait on it. */
    private static final String SLOW_V4 = "SELECT pg_sleep(6); ALTER TABLE orders ADD COLUMN status text;";

    @RegisterExtension
    static final SharedOperator operator = new SharedOperator();

    @RegisterExtension
    final TestDatabases database = new TestDatabases();

    private String repository;

    @BeforeEach
    void images() throws Exception {
        repository = TestImages.repository("orders");
        TestImages.image(repository + ":1.0", DatabaseMigrationIT.THREE);
        TestImages.image(repository + ":1.1", DatabaseMigrationIT.threeAnd(Map.of("V4__add_status.sql", SLOW_V4)));
        TestImages.image(
                repository + ":1.2",
                DatabaseMigrationIT.threeAnd(Map.of(
                        "V4__add_status.sql",
                        SLOW_V4,
                        "V5__broken.sql",
                        "ALTER TABLE no_such_table ADD COLUMN x int;")));
    }

    @Test
    void theRolloutWaitsForItsMigrationAndARollbackDoesNot(TestNamespace namespace) {
        Scenario scenario = startAtOneDotZero(namespace);
        try (GateWatch gates = new GateWatch(namespace)) {
            setImage(namespace, repository + ":1.1");

            await("a pod of 1.1 held")
                    .atMost(Scenario.TIMEOUT)
                    .until(() -> gates.createdWith(repository + ":1.1").stream().anyMatch(gates::wasCreatedHeld));
            // Held, while the migration runs and both old pods keep serving.
            Deployment during = deployment(namespace).get();
            assertThat(during.getStatus().getAvailableReplicas()).isEqualTo(2);
            assertThat(scenario.resource("orders")
                            .get()
                            .getStatus()
                            .getRevision()
                            .getCurrent())
                    .isEqualTo("3");
            assertThat(heldPods(namespace))
                    .allSatisfy(pod -> assertThat(
                                    pod.getSpec().getContainers().get(0).getImage())
                            .isEqualTo(repository + ":1.1"));
            await().atMost(Scenario.TIMEOUT)
                    .untilAsserted(() -> assertThat(scenario.resource("orders")
                                    .get()
                                    .getStatus()
                                    .getGatedPods())
                            .isEqualTo(1));

            awaitRolledOut(namespace, repository + ":1.1");
            // Pods are released just before the status is written: wait for it rather than race it.
            await().atMost(Scenario.TIMEOUT).untilAsserted(() -> {
                DatabaseMigration after = scenario.resource("orders").get();
                assertThat(after.getStatus().getRevision().getCurrent()).isEqualTo("4");
                assertThat(after.getStatus().getGatedPods()).isZero();
            });
            scenario.awaitEvents("orders", "PodsHeld", "PodsReleased");

            setImage(namespace, repository + ":1.0");
            awaitRolledOut(namespace, repository + ":1.0");
            assertThat(gates.createdWith(repository + ":1.0")).isNotEmpty().noneMatch(gates::wasCreatedHeld);
            assertThat(scenario.resource("orders")
                            .get()
                            .getStatus()
                            .getRevision()
                            .getCurrent())
                    .isEqualTo("4");
        }
    }

    @Test
    void oldPodsRestartingDuringAMigrationAreNotHeld(TestNamespace namespace) {
        Scenario scenario = startAtOneDotZero(namespace);
        try (GateWatch gates = new GateWatch(namespace)) {
            setImage(namespace, repository + ":1.1");
            await("the migration of 1.1 running")
                    .atMost(Scenario.TIMEOUT)
                    .until(() -> !heldPods(namespace).isEmpty());
            Pod old = pods(namespace).stream()
                    .filter(pod ->
                            pod.getSpec().getContainers().get(0).getImage().endsWith(":1.0"))
                    .findFirst()
                    .orElseThrow();

            namespace
                    .client()
                    .pods()
                    .inNamespace(namespace.name())
                    .resource(old)
                    .delete();

            await("a replacement of the old pod, Ready")
                    .atMost(Scenario.TIMEOUT)
                    .until(() -> pods(namespace).stream()
                            .filter(pod -> !pod.getMetadata()
                                    .getName()
                                    .equals(old.getMetadata().getName()))
                            .filter(pod -> pod.getSpec()
                                    .getContainers()
                                    .get(0)
                                    .getImage()
                                    .endsWith(":1.0"))
                            .anyMatch(RolloutIT::isReady));
            // Replaced while the schema was still at 3: the migration of 1.1 had not finished.
            assertThat(scenario.resource("orders")
                            .get()
                            .getStatus()
                            .getRevision()
                            .getCurrent())
                    .isEqualTo("3");
            assertThat(gates.createdWith(repository + ":1.0")).noneMatch(gates::wasCreatedHeld);
            awaitRolledOut(namespace, repository + ":1.1");
        }
    }

    @Test
    void aFailedMigrationKeepsTheNewPodsHeldAndSaysWhy(TestNamespace namespace) {
        Scenario scenario = startAtOneDotZero(namespace);

        setImage(namespace, repository + ":1.2");

        DatabaseMigration stalled = scenario.awaitCondition("orders", "Stalled", "MigrationFailed");
        assertThat(stalled.getStatus().getLastRun().getFailedMigration()).isEqualTo("V5__broken.sql");
        await().atMost(Scenario.TIMEOUT).untilAsserted(() -> {
            assertThat(scenario.resource("orders").get().getStatus().getGatedPods())
                    .isEqualTo(1);
            assertThat(deploymentEvents(namespace)).anySatisfy(event -> {
                assertThat(event.getReason()).isEqualTo("MigrationFailed");
                assertThat(event.getType()).isEqualTo("Warning");
                assertThat(event.getMessage()).contains("V5__broken.sql", repository + ":1.2", "stay held");
            });
        });
        assertThat(heldPods(namespace))
                .singleElement()
                .satisfies(
                        pod -> assertThat(pod.getSpec().getContainers().get(0).getImage())
                                .isEqualTo(repository + ":1.2"));
        assertThat(deployment(namespace).get().getStatus().getAvailableReplicas())
                .isEqualTo(2);
    }

    /** The Deployment at image 1.0 with its schema, both pods Ready. */
    private Scenario startAtOneDotZero(TestNamespace namespace) {
        Scenario scenario = new Scenario(namespace, database);
        scenario.credentials();
        Workloads.create(namespace, "orders", repository + ":1.0", 2);
        scenario.apply("orders", "unused", spec -> Workloads.source(spec, WorkloadSource.Kind.Deployment, "orders"));
        assertThat(scenario.awaitReady("orders").getStatus().getRevision().getCurrent())
                .isEqualTo("3");
        awaitRolledOut(namespace, repository + ":1.0");
        return scenario;
    }

    private static void setImage(TestNamespace namespace, String image) {
        Workloads.setImage(namespace, "orders", image);
    }

    /** Every replica runs the image and is available: what `kubectl rollout status` waits for. */
    private static void awaitRolledOut(TestNamespace namespace, String image) {
        await("rollout of " + image).atMost(Scenario.TIMEOUT).untilAsserted(() -> {
            Deployment deployment = deployment(namespace).get();
            var status = deployment.getStatus();
            assertThat(status.getObservedGeneration())
                    .isEqualTo(deployment.getMetadata().getGeneration());
            assertThat(status.getUpdatedReplicas()).isEqualTo(2);
            assertThat(status.getAvailableReplicas()).isEqualTo(2);
            assertThat(status.getReplicas()).isEqualTo(2);
            assertThat(pods(namespace))
                    .hasSize(2)
                    .allSatisfy(pod -> assertThat(
                                    pod.getSpec().getContainers().get(0).getImage())
                            .isEqualTo(image));
        });
    }

    private static RollableScalableResource<Deployment> deployment(TestNamespace namespace) {
        return namespace
                .client()
                .apps()
                .deployments()
                .inNamespace(namespace.name())
                .withName("orders");
    }

    /** The app's pods that are not on their way out. */
    private static List<Pod> pods(TestNamespace namespace) {
        return namespace
                .client()
                .pods()
                .inNamespace(namespace.name())
                .withLabel("app", "orders")
                .list()
                .getItems()
                .stream()
                .filter(pod -> pod.getMetadata().getDeletionTimestamp() == null)
                .toList();
    }

    private static List<Pod> heldPods(TestNamespace namespace) {
        return pods(namespace).stream().filter(PodGate::isHeld).toList();
    }

    private static boolean isReady(Pod pod) {
        return pod.getStatus() != null
                && pod.getStatus().getConditions() != null
                && pod.getStatus().getConditions().stream()
                        .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
    }

    private static List<Event> deploymentEvents(TestNamespace namespace) {
        return namespace.client().v1().events().inNamespace(namespace.name()).list().getItems().stream()
                .filter(event -> "Deployment".equals(event.getInvolvedObject().getKind())
                        && Objects.equals("orders", event.getInvolvedObject().getName()))
                .toList();
    }
}
