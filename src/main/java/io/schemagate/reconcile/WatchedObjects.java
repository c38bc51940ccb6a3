package io.schemagate.reconcile;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import io.schemagate.api.DatabaseMigration;
import java.util.Map;
import java.util.Optional;

/**
 * The ConfigMaps or Secrets resources refer to. SchemaGate's informers only see objects labelled
 * as watched, so that it does not cache every Secret of the cluster: an object is read from the
 * informer's cache when it carries the label, and otherwise read once from the API server and
 * labelled, so that its changes reach SchemaGate from then on.
 */
final class WatchedObjects<T extends HasMetadata> {
    private final Class<T> type;
    private final KubernetesClient client;
    private final InformerEventSource<T, DatabaseMigration> informer;

    WatchedObjects(Class<T> type, KubernetesClient client, InformerEventSource<T, DatabaseMigration> informer) {
        this.type = type;
        this.client = client;
        this.informer = informer;
    }

    /** The object, or null when it does not exist. */
    T get(String namespace, String name) {
        Optional<T> cached = informer.get(new ResourceID(name, namespace));
        if (cached.isPresent()) {
            return cached.get();
        }
        T object = client.resources(type).inNamespace(namespace).withName(name).get();
        if (object != null && !isLabelled(object)) {
            client.resource(object).patch(PatchContext.of(PatchType.JSON_MERGE),
                    "{\"metadata\":{\"labels\":{\"" + Labels.WATCHED + "\":\"true\"}}}");
        }
        return object;
    }

    private static boolean isLabelled(HasMetadata object) {
        Map<String, String> labels = object.getMetadata().getLabels();
        return labels != null && "true".equals(labels.get(Labels.WATCHED));
    }
}
