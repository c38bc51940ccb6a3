package io.schemagate.it;

import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.schemagate.gate.Gating;
import io.schemagate.testbed.TestNamespace;

/** The application Deployments of the rollout tests: pods that opt in to gating by their resource's name. */
final class Workloads {
    private Workloads() {
    }

    /** A Deployment {@code name} whose pods (label app: name) opt in to the gating of resource {@code name}. */
    static void create(TestNamespace namespace, String name, String image, int replicas) {
        namespace.client().apps().deployments().inNamespace(namespace.name()).resource(new DeploymentBuilder()
                .withNewMetadata().withName(name).endMetadata()
                .withNewSpec()
                    .withReplicas(replicas)
                    .withNewSelector().addToMatchLabels("app", name).endSelector()
                    .withNewTemplate()
                        .withNewMetadata().addToLabels("app", name).addToLabels(Gating.MIGRATION_LABEL, name)
                        .endMetadata()
                        .withNewSpec().addNewContainer().withName("app").withImage(image).endContainer()
                        .endSpec()
                    .endTemplate()
                .endSpec()
                .build()).create();
    }

    /**
     * A new image for the Deployment's pods: a rollout, or a rollback. A strategic merge patch of the
     * container's image alone, as {@code kubectl set image} sends it: without a resourceVersion, so the
     * Deployment controller writing the status meanwhile is no conflict.
     */
    static void setImage(TestNamespace namespace, String name, String image) {
        namespace.client().apps().deployments().inNamespace(namespace.name()).withName(name)
                .patch(PatchContext.of(PatchType.STRATEGIC_MERGE), "{\"spec\":{\"template\":{\"spec\":"
                        + "{\"containers\":[{\"name\":\"app\",\"image\":\"" + image + "\"}]}}}}");
    }
}
