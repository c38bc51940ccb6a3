package io.schemagate.reconcile;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.MicroTime;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.quarkus.logging.Log;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Publishes Kubernetes events on the objects SchemaGate acts for, so `kubectl describe` tells the story.
 * Events are sent by a thread of their own, as client-go's recorder does: the reconcile that records
 * one goes on at once, so a pod waiting for its schema never waits for an event to be written. One
 * thread keeps them in the order they were recorded in.
 *
 * <p>{@code kubectl describe} sorts events by their last timestamp, which has whole seconds, and
 * keeps the API's order (by name) among equal ones, or none once there are more than a dozen: the
 * steps of a run, most within one second, came out shuffled. So each event carries its time in
 * microseconds ({@code eventTime}, which kubectl sorts by when there is no last timestamp), later
 * than the one before it, and a name that sorts in the same order.
 */
public final class EventRecorder {
    static final String COMPONENT = "schemagate";
    /** Enough for any burst of reconciles; beyond it an API server that does not answer costs events, not memory. */
    private static final int QUEUED_AT_MOST = 1000;
    /** The only form the API server takes for a MicroTime: RFC 3339 in UTC with six fractional digits. */
    private static final DateTimeFormatter MICRO_TIME =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSSX").withZone(ZoneOffset.UTC);

    private final KubernetesClient client;
    /** The operator's pod, as the API server requires of an event with an {@code eventTime}. */
    private final String instance;

    private Instant last = Instant.EPOCH;
    private final ExecutorService sender = new ThreadPoolExecutor(
            1,
            1,
            0,
            TimeUnit.MILLISECONDS,
            new LinkedBlockingQueue<>(QUEUED_AT_MOST),
            task -> {
                Thread thread = new Thread(task, "schemagate-events");
                thread.setDaemon(true);
                return thread;
            },
            (task, executor) -> Log.warn("an event was not recorded: too many are waiting to be sent"));

    public EventRecorder(KubernetesClient client) {
        this.client = client;
        this.instance = Optional.ofNullable(System.getenv("HOSTNAME"))
                .filter(name -> !name.isBlank())
                .orElse(COMPONENT);
    }

    public void normal(HasMetadata object, String reason, String message) {
        record(object, "Normal", reason, message);
    }

    public void warning(HasMetadata object, String reason, String message) {
        record(object, "Warning", reason, message);
    }

    private void record(HasMetadata object, String type, String reason, String message) {
        Instant at = next();
        String namespace = object.getMetadata().getNamespace();
        Event event = new EventBuilder()
                .withNewMetadata()
                // Hexadecimal microseconds of the same width sort as the times do.
                .withName(object.getMetadata().getName() + "."
                        + String.format("%016x", ChronoUnit.MICROS.between(Instant.EPOCH, at)))
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
                // What was done; the reason names it already.
                .withAction(reason)
                .withMessage(message.length() > 1024 ? message.substring(0, 1021) + "..." : message)
                .withEventTime(new MicroTime(MICRO_TIME.format(at)))
                .withNewSource()
                .withComponent(COMPONENT)
                .endSource()
                .withReportingComponent(COMPONENT)
                .withReportingInstance(instance)
                .build();
        sender.execute(() -> send(event));
    }

    /** Now, to the microsecond, and always after the time of the event recorded before. */
    private synchronized Instant next() {
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        last = now.isAfter(last) ? now : last.plus(1, ChronoUnit.MICROS);
        return last;
    }

    private void send(Event event) {
        try {
            client.v1()
                    .events()
                    .inNamespace(event.getMetadata().getNamespace())
                    .resource(event)
                    .create();
        } catch (KubernetesClientException e) {
            // An event is a courtesy: failing to record one must not fail anything.
            Log.warnf(
                    "could not record event %s on %s/%s: %s",
                    event.getReason(),
                    event.getMetadata().getNamespace(),
                    event.getInvolvedObject().getName(),
                    e.getMessage());
        }
    }
}
