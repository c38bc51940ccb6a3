package io.schemagate.gate;

import io.fabric8.kubernetes.api.model.ConditionBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.schemagate.api.DatabaseMigration;
import io.schemagate.api.DatabaseMigrationStatus;
import io.schemagate.api.ImageRevision;
import io.schemagate.api.RevisionStatus;
import io.schemagate.api.SourceSpec;
import io.schemagate.api.WorkloadSource;
import io.schemagate.it.Scenario;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/** Pods and resources as the gate sees them, for the decision and admission tests. */
public final class GatedPods {
    public static final String NAMESPACE = "shop";

    private GatedPods() {}

    public static Pod pod(String image, Map<String, String> annotations) {
        return new PodBuilder()
                .withNewMetadata()
                .withGenerateName("orders-")
                .withLabels(new HashMap<>(Map.of(Gating.MIGRATION_LABEL, "orders", "app", "orders")))
                .withAnnotations(annotations)
                .endMetadata()
                .withNewSpec()
                .addNewContainer()
                .withName("app")
                .withImage(image)
                .endContainer()
                .addNewContainer()
                .withName("proxy")
                .withImage("envoy:1.30")
                .endContainer()
                .endSpec()
                .build();
    }

    /** A resource at a schema version, Ready or not, optionally following a workload. */
    public static DatabaseMigration resource(
            @Nullable String current, boolean ready, boolean workload, List<ImageRevision> images) {
        DatabaseMigration resource =
                Scenario.resourceFor("orders", "jdbc:postgresql://db:5432/orders", "scripts", spec -> {
                    if (workload) {
                        WorkloadSource source = new WorkloadSource();
                        source.setName("orders");
                        source.setContainer("app");
                        SourceSpec sourceSpec = new SourceSpec();
                        sourceSpec.setWorkload(source);
                        spec.setSource(sourceSpec);
                    }
                });
        resource.getMetadata().setNamespace(NAMESPACE);
        resource.getMetadata().setGeneration(2L);
        DatabaseMigrationStatus status = new DatabaseMigrationStatus();
        status.setObservedGeneration(2L);
        RevisionStatus revision = new RevisionStatus();
        revision.setCurrent(current);
        status.setRevision(revision);
        status.setImages(images);
        status.setConditions(List.of(new ConditionBuilder()
                .withType("Ready")
                .withStatus(ready ? "True" : "False")
                .withReason(ready ? "Current" : "MigrationRunning")
                .build()));
        resource.setStatus(status);
        return resource;
    }
}
