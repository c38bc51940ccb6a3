package io.schemagate.reconcile;

import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.MicroTime;
import io.fabric8.kubernetes.api.model.Pod;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/** Why a run's pod does not make progress (an image that cannot be pulled, a missing Secret key). */
final class PodProblems {
    private PodProblems() {}

    static Optional<String> describe(List<Pod> pods) {
        Optional<String> unschedulable = pods.stream()
                .filter(pod -> pod.getStatus() != null)
                .map(PodProblems::unschedulable)
                .flatMap(Optional::stream)
                .findFirst();
        if (unschedulable.isPresent()) {
            return unschedulable;
        }
        return pods.stream()
                .filter(pod -> pod.getStatus() != null)
                .flatMap(pod -> Stream.concat(
                        Optional.ofNullable(pod.getStatus().getInitContainerStatuses()).orElse(List.of()).stream(),
                        Optional.ofNullable(pod.getStatus().getContainerStatuses()).orElse(List.of()).stream()))
                .filter(status -> status.getState() != null && status.getState().getWaiting() != null)
                .filter(status ->
                        !"PodInitializing".equals(status.getState().getWaiting().getReason())
                                && !"ContainerCreating"
                                        .equals(status.getState().getWaiting().getReason()))
                .map(PodProblems::waiting)
                .findFirst();
    }

    /** Why a Job has no pod yet, from its warning events: the Job controller's FailedCreate, say. */
    static Optional<String> creationFailure(List<Event> warnings) {
        return warnings.stream()
                .max(Comparator.comparing(event -> Optional.ofNullable(event.getLastTimestamp())
                        .or(() -> Optional.ofNullable(event.getEventTime()).map(MicroTime::getTime))
                        .orElse("")))
                .map(event -> "no pod could be created: " + event.getReason() + " (" + event.getMessage() + ")");
    }

    private static Optional<String> unschedulable(Pod pod) {
        return Optional.ofNullable(pod.getStatus().getConditions()).orElse(List.of()).stream()
                .filter(condition -> "PodScheduled".equals(condition.getType())
                        && "False".equals(condition.getStatus())
                        && "Unschedulable".equals(condition.getReason()))
                .findFirst()
                .map(condition ->
                        "pod " + pod.getMetadata().getName() + " cannot be scheduled: " + condition.getMessage());
    }

    private static String waiting(ContainerStatus status) {
        var waiting = status.getState().getWaiting();
        return "container " + status.getName() + " is waiting: " + waiting.getReason()
                + (waiting.getMessage() == null ? "" : " (" + waiting.getMessage() + ")");
    }
}
