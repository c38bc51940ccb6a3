package io.schemagate.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.schemagate.api.DatabaseMigration;
import io.schemagate.api.ImageSource;
import io.schemagate.it.OperatorProcess;
import io.schemagate.it.Scenario;
import io.schemagate.testsupport.TestDatabases;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.testcontainers.k3s.K3sContainer;
import org.testcontainers.utility.DockerImageName;

/**
 * End to end on k3s in a container, where Docker exists. k3s cannot pull this build's runner image
 * (it is never pushed from here), so the suite checks what holds before a pod runs: the CRD's
 * validation, the operator's Job, and the image problem surfacing in the resource's status.
 */
@ExtendWith(DockerAvailable.class)
class K3sEndToEndIT {
    private static K3sContainer k3s;
    private static KubernetesClient client;
    private static OperatorProcess operator;

    @RegisterExtension
    final TestDatabases database = new TestDatabases();

    @BeforeAll
    static void startCluster() throws Exception {
        k3s = new K3sContainer(DockerImageName.parse("rancher/k3s:v1.33.4-k3s1"));
        k3s.start();
        Path kubeconfig = Files.createTempFile("k3s-", ".yaml");
        Files.writeString(kubeconfig, k3s.getKubeConfigYaml());
        client = new KubernetesClientBuilder()
                .withConfig(Config.fromKubeconfig(k3s.getKubeConfigYaml()))
                .build();
        operator = OperatorProcess.start(kubeconfig, client, Map.of());
    }

    @AfterAll
    static void stopCluster() {
        if (operator != null) {
            operator.close();
        }
        if (k3s != null) {
            k3s.stop();
        }
    }

    @Test
    void createsAnOwnedJobAndReportsWhyItsPodCannotStart() {
        String ns = "e2e";
        client.namespaces()
                .resource(new NamespaceBuilder()
                        .withNewMetadata()
                        .withName(ns)
                        .endMetadata()
                        .build())
                .serverSideApply();
        client.secrets()
                .inNamespace(ns)
                .resource(new SecretBuilder()
                        .withNewMetadata()
                        .withName(Scenario.CREDENTIALS)
                        .endMetadata()
                        .addToStringData("username", database.user())
                        .addToStringData("password", database.password())
                        .build())
                .serverSideApply();
        client.configMaps()
                .inNamespace(ns)
                .resource(new ConfigMapBuilder()
                        .withNewMetadata()
                        .withName("scripts")
                        .endMetadata()
                        .addToData("V1__init.sql", "CREATE TABLE t (id int);")
                        .build())
                .serverSideApply();
        DatabaseMigration created = client.resources(DatabaseMigration.class)
                .inNamespace(ns)
                .resource(Scenario.resourceFor("orders", database.url(), "scripts", spec -> {}))
                .create();

        await().atMost(Duration.ofMinutes(3)).untilAsserted(() -> {
            List<Job> jobs = client.batch().v1().jobs().inNamespace(ns).list().getItems();
            assertThat(jobs)
                    .singleElement()
                    .satisfies(job -> assertThat(job.getMetadata().getOwnerReferences())
                            .anySatisfy(owner -> assertThat(owner.getUid())
                                    .isEqualTo(created.getMetadata().getUid())));
            DatabaseMigration current = client.resources(DatabaseMigration.class)
                    .inNamespace(ns)
                    .withName("orders")
                    .get();
            assertThat(current.getStatus().getConditions()).anySatisfy(c -> {
                assertThat(c.getType()).isEqualTo("Reconciling");
                assertThat(c.getMessage()).containsAnyOf("ErrImagePull", "ImagePullBackOff");
            });
        });
    }

    @Test
    void theApiServerRefusesAResourceWithTwoSources() {
        ImageSource image = new ImageSource();
        image.setRef("acme/orders:1");
        DatabaseMigration bad = Scenario.resourceFor(
                "bad",
                "jdbc:postgresql://db:5432/orders",
                "scripts",
                spec -> spec.getSource().setImage(image));

        assertThatThrownBy(() -> client.resources(DatabaseMigration.class)
                        .inNamespace("default")
                        .resource(bad)
                        .create())
                .isInstanceOf(KubernetesClientException.class)
                .hasMessageContaining("set exactly one source: configMaps, image or workload");
    }
}
