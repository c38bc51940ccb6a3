package io.schemagate.reconcile;

import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.quarkus.logging.Log;
import io.schemagate.support.Timestamps;
import java.time.Instant;
import java.util.UUID;

/** Publishes Kubernetes events on the objects SchemaGate acts for, so `kubectl describe` tells the story. */
public final class EventRecorder {
    static final String COMPONENT = "schemagate";
    private final KubernetesClient client;

    public EventRecorder(KubernetesClient client) {
        this.client = client;
    }

    public void normal(HasMetadata object, String reason, String message) {
        record(object, "Normal", reason, message);
    }

    public void warning(HasMetadata object, String reason, String message) {
        record(object, "Warning", reason, message);
    }

    private void record(HasMetadata object, String type, String reason, String message) {
        String now = Timestamps.format(Instant.now());
        String namespace = object.getMetadata().getNamespace();
        try {
            client.v1().events().inNamespace(namespace).resource(new EventBuilder()
                    .withNewMetadata()
                        .withName(object.getMetadata().getName() + "." + UUID.randomUUID().toString().substring(0, 13))
                        .withNamespace(namespace)
                    .endMetadata()
                    .withInvolvedObject(new ObjectReferenceBuilder()
                            .withApiVersion(object.getApiVersion())
                            .withKind(object.getKind())
                            .withName(object.getMetadata().getName())
                            .withNamespace(namespace)
                            .withUid(object.getMetadata().getUid())
                            .withResourceVersion(object.getMetadata().getResourceVersion())
                            .build())
                    .withType(type)
                    .withReason(reason)
                    .withMessage(message.length() > 1024 ? message.substring(0, 1021) + "..." : message)
                    .withFirstTimestamp(now)
                    .withLastTimestamp(now)
                    .withCount(1)
                    .withNewSource().withComponent(COMPONENT).endSource()
                    .withReportingComponent(COMPONENT)
                    .build()).create();
        } catch (KubernetesClientException e) {
            // An event is a courtesy: failing to record one must not fail the reconcile.
            Log.warnf("could not record event %s on %s/%s: %s", reason, namespace, object.getMetadata().getName(),
                    e.getMessage());
        }
    }
}
