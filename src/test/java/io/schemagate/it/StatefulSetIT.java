package io.schemagate.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.schemagate.api.DatabaseMigration;
import io.schemagate.api.WorkloadSource;
import io.schemagate.testbed.TestNamespace;
import io.schemagate.testsupport.TestDatabases;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A StatefulSet as the workload source, rolled out by the bed's real StatefulSet controller: it
 * replaces pods one at a time from the highest ordinal, and the first pod of a new image waits for
 * that image's migration while the other keeps serving.
 */
@ExtendWith(TestNamespace.Extension.class)
class StatefulSetIT {
    /** Slow enough that the test sees the rollout wait on it. */
    private static final String SLOW_V4 = "SELECT pg_sleep(4); ALTER TABLE orders ADD COLUMN status text;";

    @RegisterExtension
    static final SharedOperator operator = new SharedOperator();

    @RegisterExtension
    final TestDatabases database = new TestDatabases();

    @Test
    void theOrderedRollingUpdateWaitsForTheNewImagesMigration(TestNamespace namespace) throws Exception {
        String repository = TestImages.repository("orders");
        TestImages.image(repository + ":1.0", DatabaseMigrationIT.THREE);
        TestImages.image(repository + ":1.1", DatabaseMigrationIT.threeAnd(Map.of("V4__add_status.sql", SLOW_V4)));
        Scenario scenario = new Scenario(namespace, database);
        scenario.credentials();
        scenario.apply("orders", "unused", spec -> Workloads.source(spec, WorkloadSource.Kind.StatefulSet, "orders"));
        Workloads.createStatefulSet(namespace, "orders", repository + ":1.0", 2);
        assertThat(scenario.awaitReady("orders").getStatus().getRevision().getCurrent())
                .isEqualTo("3");
        awaitRolledOut(namespace, repository + ":1.0");

        try (GateWatch gates = new GateWatch(namespace)) {
            Workloads.setStatefulSetImage(namespace, "orders", repository + ":1.1");

            await("orders-1 of 1.1 held")
                    .atMost(Scenario.TIMEOUT)
                    .until(() -> gates.createdWith(repository + ":1.1").stream().anyMatch(gates::wasCreatedHeld));
            // The highest ordinal goes first; orders-0 keeps the old image and serves meanwhile.
            assertThat(gates.createdWith(repository + ":1.1")).containsExactly("orders-1");
            assertThat(pods(namespace))
                    .filteredOn(pod -> pod.getMetadata().getName().equals("orders-0"))
                    .singleElement()
                    .satisfies(pod -> assertThat(image(pod)).isEqualTo(repository + ":1.0"));

            awaitRolledOut(namespace, repository + ":1.1");
            await().atMost(Scenario.TIMEOUT).untilAsserted(() -> {
                DatabaseMigration after = scenario.resource("orders").get();
                assertThat(after.getStatus().getRevision().getCurrent()).isEqualTo("4");
                assertThat(after.getStatus().getGatedPods()).isZero();
            });
            scenario.awaitEvents("orders", "PodsHeld", "PodsReleased");
            assertThat(database.query("SELECT count(*) FROM flyway_schema_history WHERE success"))
                    .containsExactly("4");
        }
    }

    /** Every replica runs the image and is Ready: what `kubectl rollout status` waits for. */
    private static void awaitRolledOut(TestNamespace namespace, String image) {
        await("rollout of " + image).atMost(Scenario.TIMEOUT).untilAsserted(() -> {
            StatefulSet statefulSet = namespace
                    .client()
                    .apps()
                    .statefulSets()
                    .inNamespace(namespace.name())
                    .withName("orders")
                    .get();
            var status = statefulSet.getStatus();
            assertThat(status.getObservedGeneration())
                    .isEqualTo(statefulSet.getMetadata().getGeneration());
            assertThat(status.getUpdatedReplicas()).isEqualTo(2);
            assertThat(status.getReadyReplicas()).isEqualTo(2);
            assertThat(status.getCurrentRevision()).isEqualTo(status.getUpdateRevision());
            assertThat(pods(namespace))
                    .hasSize(2)
                    .allSatisfy(pod -> assertThat(image(pod)).isEqualTo(image));
        });
    }

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

    private static String image(Pod pod) {
        return pod.getSpec().getContainers().get(0).getImage();
    }
}
