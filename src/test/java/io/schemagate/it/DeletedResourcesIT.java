package io.schemagate.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.schemagate.api.CredentialsSecret;
import io.schemagate.api.DatabaseMigration;
import io.schemagate.testbed.TestBed;
import io.schemagate.testbed.TestNamespace;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A thousand resources created and deleted: what the operator keeps per resource goes with them.
 * Each refers to a ConfigMap and a Secret of its own, whose payloads the operator keeps while a
 * resource refers to them, and cannot reach its database, so that each also has a failure count, a
 * retry and a gauge. A first, smaller round warms the operator up (classes loaded, TLS sessions,
 * the JDBC driver), so that the baseline is a steady operator's.
 */
@ExtendWith(TestNamespace.Extension.class)
class DeletedResourcesIT {
    static final int RESOURCES = 1000;
    static final int WARM_UP = 100;
    /** Per resource, in its ConfigMap and in its Secret: 12 MiB in all while they are referenced. */
    static final int PAYLOAD_BYTES = 6 * 1024;

    static final long MIB = 1024 * 1024;

    @Test
    void aThousandDeletedResourcesLeaveNeitherMemoryNorMetricsBehind(TestNamespace namespace) {
        KubernetesClient client = namespace.client();
        String ns = namespace.name();
        try (OperatorProcess operator = OperatorProcess.start(TestBed.get())) {
            createReferenced(client, ns, RESOURCES);
            createResources(client, ns, WARM_UP);
            deleteResources(client, ns, operator);
            long baseline = operator.liveHeapBytes();

            createResources(client, ns, RESOURCES);
            long loaded = operator.liveHeapBytes();
            assertThat(loaded - baseline)
                    .as("the payloads of what the resources refer to are held (so the measure can tell)")
                    .isGreaterThan(2L * RESOURCES * PAYLOAD_BYTES);
            assertThat(seriesOfTheResources(operator))
                    .as("one series a resource: its held pods")
                    .isEqualTo(RESOURCES);

            deleteResources(client, ns, operator);
            // What may stay: the operator SDK keeps each deleted resource's uid for 20 minutes (about
            // 150 bytes), and pooled network buffers grow with the load. 2 KiB a resource at most.
            await("the heap back where it was")
                    .atMost(Duration.ofMinutes(1))
                    .pollInterval(Duration.ofSeconds(5))
                    .untilAsserted(() -> assertThat(operator.liveHeapBytes() - baseline)
                            .as("live heap after deleting, over the baseline of %d MiB", baseline / MIB)
                            .isLessThan(2 * MIB));
        }
    }

    private static void createReferenced(KubernetesClient client, String ns, int count) {
        for (int i = 0; i < count; i++) {
            client.configMaps()
                    .inNamespace(ns)
                    .resource(new ConfigMapBuilder()
                            .withNewMetadata()
                            .withName("scripts-" + i)
                            .endMetadata()
                            .addToData("V1__start.sql", "-- " + payload(i) + "\nSELECT 1;")
                            .build())
                    .create();
            client.secrets()
                    .inNamespace(ns)
                    .resource(new SecretBuilder()
                            .withNewMetadata()
                            .withName("credentials-" + i)
                            .endMetadata()
                            .addToStringData("username", "app")
                            .addToStringData("password", payload(i))
                            .build())
                    .create();
        }
    }

    /** Creates resources dm-0 … dm-(count - 1), and waits until each has a condition. */
    private static void createResources(KubernetesClient client, String ns, int count) {
        for (int i = 0; i < count; i++) {
            int n = i;
            DatabaseMigration resource =
                    Scenario.resourceFor("dm-" + i, "jdbc:postgresql://127.0.0.1:1/app", "scripts-" + i, spec -> {
                        CredentialsSecret credentials = new CredentialsSecret();
                        credentials.setName("credentials-" + n);
                        spec.getDatabase().setCredentialsSecret(credentials);
                    });
            client.resources(DatabaseMigration.class)
                    .inNamespace(ns)
                    .resource(resource)
                    .create();
        }
        await("every resource reconciled")
                .atMost(Duration.ofMinutes(3))
                .pollInterval(Duration.ofSeconds(2))
                .until(() -> client.resources(DatabaseMigration.class).inNamespace(ns).list().getItems().stream()
                                .filter(resource -> resource.getStatus() != null
                                        && resource.getStatus().getConditions() != null
                                        && !resource.getStatus().getConditions().isEmpty())
                                .count()
                        == count);
    }

    private static void deleteResources(KubernetesClient client, String ns, OperatorProcess operator) {
        client.resources(DatabaseMigration.class).inNamespace(ns).delete();
        await("every series of the resources gone")
                .atMost(Duration.ofMinutes(1))
                .pollInterval(Duration.ofSeconds(1))
                .until(() -> client.resources(DatabaseMigration.class)
                                .inNamespace(ns)
                                .list()
                                .getItems()
                                .isEmpty()
                        && seriesOfTheResources(operator) == 0);
    }

    /** Distinct per resource, so that no two payloads are one string. */
    private static String payload(int i) {
        String prefix = i + ":";
        return prefix + "x".repeat(PAYLOAD_BYTES - prefix.length());
    }

    /** The series the operator serves that name one of the resources. */
    private static long seriesOfTheResources(OperatorProcess operator) {
        return operator.metrics()
                .lines()
                .filter(line -> !line.startsWith("#") && line.contains("name=\"dm-"))
                .count();
    }
}
