package io.schemagate.reconcile;

import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/** Why a run's pod does not make progress (an image that cannot be pulled, a missing Secret key). */
final class PodProblems {
    private PodProblems() {
    }

    static Optional<String> describe(List<Pod> pods) {
        return pods.stream()
                .filter(pod -> pod.getStatus() != null)
                .flatMap(pod -> Stream.concat(
                        Optional.ofNullable(pod.getStatus().getInitContainerStatuses()).orElse(List.of()).stream(),
                        Optional.ofNullable(pod.getStatus().getContainerStatuses()).orElse(List.of()).stream()))
                .filter(status -> status.getState() != null && status.getState().getWaiting() != null)
                .filter(status -> !"PodInitializing".equals(status.getState().getWaiting().getReason())
                        && !"ContainerCreating".equals(status.getState().getWaiting().getReason()))
                .map(PodProblems::waiting)
                .findFirst();
    }

    private static String waiting(ContainerStatus status) {
        var waiting = status.getState().getWaiting();
        return "container " + status.getName() + " is waiting: " + waiting.getReason()
                + (waiting.getMessage() == null ? "" : " (" + waiting.getMessage() + ")");
    }
}
