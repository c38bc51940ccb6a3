package io.schemagate.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.LocalObjectReference;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Toleration;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.schemagate.api.DatabaseMigration;
import io.schemagate.api.DatabaseMigrationSpec;
import io.schemagate.api.ImageSource;
import io.schemagate.api.WorkloadSource;
import io.schemagate.testbed.TestNamespace;
import io.schemagate.testsupport.TestDatabases;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Migrations shipped inside an application image, mounted as an image volume or copied out of it. */
@ExtendWith(TestNamespace.Extension.class)
class ImageSourceIT {
    @RegisterExtension
    static final SharedOperator operator = new SharedOperator();

    @RegisterExtension
    final TestDatabases database = new TestDatabases();

    @Test
    void runsTheMigrationsOfTheImageAndAgainForANewImage(TestNamespace namespace) throws Exception {
        Scenario scenario = new Scenario(namespace, database);
        scenario.credentials();
        String repository = TestImages.repository("orders");
        TestImages.image(repository + ":1.0", DatabaseMigrationIT.THREE);
        scenario.apply("orders", "unused", spec -> {
            ImageSource image = new ImageSource();
            image.setRef(repository + ":1.0");
            image.setPath(TestImages.MIGRATIONS);
            spec.getSource().setConfigMaps(null);
            spec.getSource().setImage(image);
        });

        DatabaseMigration first = scenario.awaitReady("orders");
        assertThat(first.getStatus().getRevision().getCurrent()).isEqualTo("3");
        assertThat(first.getStatus().getLastRun().getApplied()).isEqualTo(3);

        TestImages.image(
                repository + ":1.1",
                DatabaseMigrationIT.threeAnd(
                        Map.of("V4__add_status.sql", "ALTER TABLE orders ADD COLUMN status text;")));
        scenario.edit(
                "orders", resource -> resource.getSpec().getSource().getImage().setRef(repository + ":1.1"));

        await().atMost(Scenario.TIMEOUT)
                .untilAsserted(() -> assertThat(scenario.resource("orders")
                                .get()
                                .getStatus()
                                .getRevision()
                                .getCurrent())
                        .isEqualTo("4"));
        assertThat(scenario.awaitReady("orders").getStatus().getHistory()).hasSize(2);
    }

    /** The bed's API server is 1.35, so an image is mounted unless the resource says otherwise. */
    @Test
    void anImageWithoutShellOrCpIsMountedAsAVolume(TestNamespace namespace) throws Exception {
        Scenario scenario = new Scenario(namespace, database);
        scenario.credentials();
        String ref = TestImages.repository("orders") + ":1.0";
        TestImages.distroless(ref, DatabaseMigrationIT.THREE);
        scenario.apply("orders", "unused", spec -> fromImage(spec, ref, null));

        DatabaseMigration ready = scenario.awaitReady("orders");

        assertThat(ready.getStatus().getRevision().getCurrent()).isEqualTo("3");
        assertThat(database.query("SELECT count(*) FROM flyway_schema_history WHERE success"))
                .containsExactly("3");
        PodSpec pod = scenario.jobs().get(0).getSpec().getTemplate().getSpec();
        assertThat(pod.getInitContainers()).isEmpty();
        assertThat(pod.getVolumes())
                .filteredOn(volume -> volume.getImage() != null)
                .singleElement()
                .satisfies(
                        volume -> assertThat(volume.getImage().getReference()).isEqualTo(ref));
    }

    /** The runner pod pulls the application's image with its Secret, on the nodes its pods may use. */
    @Test
    void aWorkloadsRunnerPodPullsAndRunsAsTheWorkloadsPodsDo(TestNamespace namespace) throws Exception {
        Scenario scenario = new Scenario(namespace, database);
        scenario.credentials();
        String ref = TestImages.repository("orders") + ":1.0";
        TestImages.distroless(ref, DatabaseMigrationIT.THREE);
        namespace
                .client()
                .apps()
                .deployments()
                .inNamespace(namespace.name())
                .resource(new DeploymentBuilder()
                        .withNewMetadata()
                        .withName("orders")
                        .endMetadata()
                        .withNewSpec()
                        .withReplicas(0)
                        .withNewSelector()
                        .addToMatchLabels("app", "orders")
                        .endSelector()
                        .withNewTemplate()
                        .withNewMetadata()
                        .addToLabels("app", "orders")
                        .endMetadata()
                        .withNewSpec()
                        .addNewImagePullSecret("registry-login")
                        .addToNodeSelector("kubernetes.io/hostname", "bed-node")
                        .addNewToleration()
                        .withKey("dedicated")
                        .withOperator("Equal")
                        .withValue("orders")
                        .withEffect("NoSchedule")
                        .endToleration()
                        .addNewContainer()
                        .withName("app")
                        .withImage(ref)
                        .endContainer()
                        .endSpec()
                        .endTemplate()
                        .endSpec()
                        .build())
                .create();
        scenario.apply("orders", "unused", spec -> Workloads.source(spec, WorkloadSource.Kind.Deployment, "orders"));

        assertThat(scenario.awaitReady("orders").getStatus().getRevision().getCurrent())
                .isEqualTo("3");
        PodSpec pod = scenario.jobs().get(0).getSpec().getTemplate().getSpec();
        assertThat(pod.getImagePullSecrets())
                .extracting(LocalObjectReference::getName)
                .containsExactly("registry-login");
        assertThat(pod.getNodeSelector()).containsEntry("kubernetes.io/hostname", "bed-node");
        assertThat(pod.getTolerations()).extracting(Toleration::getKey).containsExactly("dedicated");
        assertThat(scenario.jobs().get(0).getSpec().getTemplate().getMetadata().getLabels())
                .containsEntry("sidecar.istio.io/inject", "false");
    }

    @Test
    void copyingOutOfAnImageWithoutCpStallsWithWhatToDo(TestNamespace namespace) throws Exception {
        Scenario scenario = new Scenario(namespace, database);
        scenario.credentials();
        String ref = TestImages.repository("orders") + ":1.0";
        TestImages.distroless(ref, DatabaseMigrationIT.THREE);
        scenario.apply("orders", "unused", spec -> fromImage(spec, ref, ImageSource.Mount.Copy));

        DatabaseMigration stalled = scenario.awaitCondition("orders", "Stalled", "SourceCopyFailed");

        assertThat(Scenario.condition(stalled, "Ready").orElseThrow().getMessage())
                .contains("the image has no cp", "executable file not found", "mount: Volume");
        assertThat(scenario.tableExists("flyway_schema_history")).isFalse();
        assertThat(scenario.jobs()).hasSize(1);

        scenario.edit(
                "orders", resource -> resource.getSpec().getSource().getImage().setMount(ImageSource.Mount.Volume));
        assertThat(scenario.awaitReady("orders").getStatus().getRevision().getCurrent())
                .isEqualTo("3");
    }

    private static void fromImage(DatabaseMigrationSpec spec, String ref, ImageSource.Mount mount) {
        ImageSource image = new ImageSource();
        image.setRef(ref);
        image.setPath(TestImages.MIGRATIONS);
        image.setMount(mount);
        spec.getSource().setConfigMaps(null);
        spec.getSource().setImage(image);
    }
}
