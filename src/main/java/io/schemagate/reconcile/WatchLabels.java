package io.schemagate.reconcile;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.util.Map;

/**
 * SchemaGate's informers on ConfigMaps and Secrets only see objects labelled as watched, so that it
 * does not cache every Secret of the cluster. A referenced object gets the label on first use.
 */
final class WatchLabels {
    private WatchLabels() {
    }

    static void ensure(KubernetesClient client, HasMetadata object) {
        Map<String, String> labels = object.getMetadata().getLabels();
        if (labels != null && "true".equals(labels.get(Labels.WATCHED))) {
            return;
        }
        client.resource(object).patch(PatchContext.of(PatchType.JSON_MERGE),
                "{\"metadata\":{\"labels\":{\"" + Labels.WATCHED + "\":\"true\"}}}");
    }
}
