package io.schemagate.it;

import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpecBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSetBuilder;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.schemagate.api.DatabaseMigrationSpec;
import io.schemagate.api.WorkloadSource;
import io.schemagate.gate.Gating;
import io.schemagate.testbed.TestNamespace;

/** The application workloads of the rollout tests: pods that opt in to gating by their resource's name. */
final class Workloads {
    private Workloads() {}

    /** A Deployment {@code name} whose pods (label app: name) opt in to the gating of resource {@code name}. */
    static void create(TestNamespace namespace, String name, String image, int replicas) {
        namespace
                .client()
                .apps()
                .deployments()
                .inNamespace(namespace.name())
                .resource(new DeploymentBuilder()
                        .withNewMetadata()
                        .withName(name)
                        .endMetadata()
                        .withNewSpec()
                        .withReplicas(replicas)
                        .withNewSelector()
                        .addToMatchLabels("app", name)
                        .endSelector()
                        .withTemplate(optedIn(name, image))
                        .endSpec()
                        .build())
                .create();
    }

    /**
     * A StatefulSet {@code name} whose pods (label app: name) opt in to the gating of resource
     * {@code name}, created and updated one at a time, in order, as is the default.
     */
    static void createStatefulSet(TestNamespace namespace, String name, String image, int replicas) {
        namespace
                .client()
                .apps()
                .statefulSets()
                .inNamespace(namespace.name())
                .resource(new StatefulSetBuilder()
                        .withNewMetadata()
                        .withName(name)
                        .endMetadata()
                        .withNewSpec()
                        .withReplicas(replicas)
                        .withServiceName(name)
                        .withNewSelector()
                        .addToMatchLabels("app", name)
                        .endSelector()
                        .withTemplate(optedIn(name, image))
                        .endSpec()
                        .build())
                .create();
    }

    /** Pods labelled app: name, of one container "app" of the image, opted in to resource {@code name}. */
    private static PodTemplateSpec optedIn(String name, String image) {
        return new PodTemplateSpecBuilder()
                .withNewMetadata()
                .addToLabels("app", name)
                .addToLabels(Gating.MIGRATION_LABEL, name)
                .endMetadata()
                .withNewSpec()
                .addNewContainer()
                .withName("app")
                .withImage(image)
                .endContainer()
                .endSpec()
                .build();
    }

    /** The resource takes its scripts from the image of this workload, in the test images' folder. */
    static void source(DatabaseMigrationSpec spec, WorkloadSource.Kind kind, String name) {
        WorkloadSource workload = new WorkloadSource();
        workload.setKind(kind);
        workload.setName(name);
        workload.setPath(TestImages.MIGRATIONS);
        spec.getSource().setConfigMaps(null);
        spec.getSource().setWorkload(workload);
    }

    /** A new image for the StatefulSet's pods, patched as {@link #setImage} patches a Deployment. */
    static void setStatefulSetImage(TestNamespace namespace, String name, String image) {
        namespace
                .client()
                .apps()
                .statefulSets()
                .inNamespace(namespace.name())
                .withName(name)
                .patch(
                        PatchContext.of(PatchType.STRATEGIC_MERGE),
                        "{\"spec\":{\"template\":{\"spec\":{\"containers\":[{\"name\":\"app\",\"image\":\"" + image
                                + "\"}]}}}}");
    }

    /**
     * A new image for the Deployment's pods: a rollout, or a rollback. A strategic merge patch of the
     * container's image alone, as {@code kubectl set image} sends it: without a resourceVersion, so the
     * Deployment controller writing the status meanwhile is no conflict.
     */
    static void setImage(TestNamespace namespace, String name, String image) {
        namespace
                .client()
                .apps()
                .deployments()
                .inNamespace(namespace.name())
                .withName(name)
                .patch(
                        PatchContext.of(PatchType.STRATEGIC_MERGE),
                        "{\"spec\":{\"template\":{\"spec\":{\"containers\":[{\"name\":\"app\",\"image\":\"" + image
                                + "\"}]}}}}");
    }
}
