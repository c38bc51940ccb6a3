package io.schemagate.gate;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;
import io.schemagate.api.DatabaseMigration;
import io.schemagate.api.WorkloadSource;
import io.schemagate.db.Version;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The schema an opted-in pod needs before it may be scheduled. */
public sealed interface PodNeed {

    /** At least this version, from the pod's {@value Gating#REVISION_ANNOTATION} annotation. */
    record AtLeast(Version version) implements PodNeed {
    }

    /** Every script of the pod's image applied (workload source): known once a run for the image succeeded. */
    record ScriptsOf(String image) implements PodNeed {
    }

    /** The resource Ready: its source fully applied. */
    record ResourceReady() implements PodNeed {
    }

    /**
     * What the pod needs, in order: its annotation, the scripts of its own image when the resource
     * follows a workload, the resource being Ready.
     *
     * @param annotated the version of the pod's annotation, as {@link #annotatedRevision} read it
     */
    static PodNeed of(Pod pod, Optional<Version> annotated, DatabaseMigration resource) {
        if (annotated.isPresent()) {
            return new AtLeast(annotated.get());
        }
        WorkloadSource workload = resource.getSpec().getSource().getWorkload();
        if (workload != null) {
            Optional<String> image = imageOf(pod, workload.getContainer());
            if (image.isPresent()) {
                return new ScriptsOf(image.get());
            }
        }
        return new ResourceReady();
    }

    /**
     * The version the pod's annotation asks for, if it has one.
     *
     * @throws IllegalArgumentException when the annotation is not a version
     */
    static Optional<Version> annotatedRevision(Pod pod) {
        Map<String, String> annotations = pod.getMetadata().getAnnotations();
        String revision = annotations == null ? null : annotations.get(Gating.REVISION_ANNOTATION);
        if (revision == null) {
            return Optional.empty();
        }
        Version version = Version.isValid(revision) ? Version.parse(revision) : Version.LATEST;
        if (version.isLatest()) {
            throw new IllegalArgumentException("annotation " + Gating.REVISION_ANNOTATION + ": \"" + revision
                    + "\" is not a schema version (digits separated by dots or underscores, such as 4 or 2.1)");
        }
        return Optional.of(version);
    }

    /** The image of the named container, or of the first one, as the workload source reads it. */
    private static Optional<String> imageOf(Pod pod, String container) {
        List<Container> containers = pod.getSpec() == null ? List.of() : pod.getSpec().getContainers();
        return containers.stream()
                .filter(candidate -> container == null || container.equals(candidate.getName()))
                .findFirst()
                .map(Container::getImage);
    }
}
