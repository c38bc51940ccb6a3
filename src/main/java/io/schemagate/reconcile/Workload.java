package io.schemagate.reconcile;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import java.util.Optional;

/**
 * A Deployment or StatefulSet that a resource takes its scripts' image from.
 *
 * @param object the workload itself, which failures are also told on
 * @param pods its pod template: the image its next pods run, and how they are placed
 */
record Workload(HasMetadata object, PodTemplateSpec pods) {

    static Workload of(Deployment deployment) {
        return new Workload(deployment, deployment.getSpec().getTemplate());
    }

    static Workload of(StatefulSet statefulSet) {
        return new Workload(statefulSet, statefulSet.getSpec().getTemplate());
    }

    /** The container of that name, or the first one when no name is given. */
    Optional<Container> container(String name) {
        return pods.getSpec().getContainers().stream()
                .filter(candidate -> name == null || name.equals(candidate.getName()))
                .findFirst();
    }

    /** "Deployment orders", as messages name it. */
    String describe() {
        return object.getKind() + " " + object.getMetadata().getName();
    }
}
