package io.schemagate.reconcile;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.quarkus.logging.Log;
import io.schemagate.support.Timestamps;
import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Publishes Kubernetes events on the objects SchemaGate acts for, so `kubectl describe` tells the story.
 * Events are sent by a thread of their own, as client-go's recorder does: the reconcile that records
 * one goes on at once, so a pod waiting for its schema never waits for an event to be written. One
 * thread keeps them in the order they were recorded in.
 */
public final class EventRecorder {
    static final String COMPONENT = "schemagate";
    /** Enough for any burst of reconciles; beyond it an API server that does not answer costs events, not memory. */
    private static final int QUEUED_AT_MOST = 1000;
    private final KubernetesClient client;
    private final ExecutorService sender = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS,
            new LinkedBlockingQueue<>(QUEUED_AT_MOST), task -> {
                Thread thread = new Thread(task, "schemagate-events");
                thread.setDaemon(true);
                return thread;
            }, (task, executor) -> Log.warn("an event was not recorded: too many are waiting to be sent"));

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
        Event event = new EventBuilder()
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
                .build();
        sender.execute(() -> send(event));
    }

    private void send(Event event) {
        try {
            client.v1().events().inNamespace(event.getMetadata().getNamespace()).resource(event).create();
        } catch (KubernetesClientException e) {
            // An event is a courtesy: failing to record one must not fail anything.
            Log.warnf("could not record event %s on %s/%s: %s", event.getReason(), event.getMetadata().getNamespace(),
                    event.getInvolvedObject().getName(), e.getMessage());
        }
    }
}
