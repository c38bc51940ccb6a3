package io.schemagate.reconcile;

import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import io.schemagate.api.DatabaseMigration;
import io.schemagate.support.ManagedBy;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The pods of SchemaGate's Jobs, watched so that a run's result is read from the cache rather than
 * by listing pods, and so that the end of a run wakes its resource as soon as the pod has ended,
 * before the Job controller writes the Job's own verdict.
 */
final class RunnerPods {
    static final String EVENT_SOURCE = "runner-pods";

    private RunnerPods() {}

    /**
     * Only the end of a pod triggers a reconcile; its creation and the other updates of its status
     * are read from the cache when a reconcile needs them.
     */
    static NamespacedInformers<Pod, TrimmingStore<Pod>> informers(
            EventSourceContext<DatabaseMigration> context, InformerEventSource<Job, DatabaseMigration> jobs) {
        return new NamespacedInformers<>(
                context,
                EVENT_SOURCE,
                () -> new TrimmingStore<>(RunnerPods::trim),
                () -> InformerEventSourceConfiguration.from(Pod.class, DatabaseMigration.class)
                        .withLabelSelector(ManagedBy.SELECTOR)
                        .withSecondaryToPrimaryMapper((Pod pod) -> resourcesOf(pod, jobs))
                        .withOnAddFilter(pod -> false)
                        .withOnUpdateFilter((updated, old) -> hasEnded(updated) && !hasEnded(old))
                        .withOnDeleteFilter((pod, finalStateUnknown) -> false));
    }

    /** Whether the pod has ended, in success or failure. */
    static boolean hasEnded(Pod pod) {
        String phase = pod.getStatus() == null ? null : pod.getStatus().getPhase();
        return "Succeeded".equals(phase) || "Failed".equals(phase);
    }

    /**
     * What reconciles read: names, labels, owners and the containers' states with their termination
     * messages. The spec and the managed fields, the bulk of a pod, are left out.
     */
    private static Pod trim(Pod pod) {
        return new PodBuilder()
                .withMetadata(ReferencedPayloadStore.leanMetadata(pod))
                .withStatus(pod.getStatus())
                .build();
    }

    /** The resource that owns the pod's Job. */
    private static Set<ResourceID> resourcesOf(Pod pod, InformerEventSource<Job, DatabaseMigration> jobs) {
        String namespace = pod.getMetadata().getNamespace();
        return Optional.ofNullable(pod.getMetadata().getLabels().get(RunTracker.JOB_NAME_LABEL))
                .flatMap(name -> jobs.get(new ResourceID(name, namespace)))
                .stream()
                .flatMap(job -> job.getMetadata().getOwnerReferences().stream())
                .filter(owner -> DatabaseMigration.class.getSimpleName().equals(owner.getKind()))
                .map(OwnerReference::getName)
                .map(name -> new ResourceID(name, namespace))
                .collect(Collectors.toSet());
    }
}
