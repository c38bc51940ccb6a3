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

    /**
     * At least this revision, from the pod's {@value Gating#REVISION_ANNOTATION} annotation: a version,
     * or for histories of ids (Alembic, Liquibase) an id the history must have reached.
     */
    record AtLeast(String revision) implements PodNeed {}

    /** Every script of the pod's image applied (workload source): known once a run for the image succeeded. */
    record ScriptsOf(String image) implements PodNeed {}

    /** The resource Ready: its source fully applied. */
    record ResourceReady() implements PodNeed {}

    /**
     * What the pod needs, in order: its annotation, the scripts of its own image when the resource
     * follows a workload, the resource being Ready.
     *
     * @param annotated the pod's annotation, as {@link #annotatedRevision} read it
     */
    static PodNeed of(Pod pod, Optional<String> annotated, DatabaseMigration resource) {
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
     * The revision the pod's annotation asks for, if it has one.
     *
     * @param ordered whether the resource's revisions are ordered versions; empty while the resource is
     *     unknown, when only a blank annotation can be told wrong
     * @throws IllegalArgumentException when the annotation cannot be a revision of the resource
     */
    static Optional<String> annotatedRevision(Pod pod, Optional<Boolean> ordered) {
        Map<String, String> annotations = pod.getMetadata().getAnnotations();
        String revision = annotations == null ? null : annotations.get(Gating.REVISION_ANNOTATION);
        if (revision == null) {
            return Optional.empty();
        }
        if (revision.isBlank()) {
            throw new IllegalArgumentException("annotation " + Gating.REVISION_ANNOTATION + ": \"" + revision
                    + "\" is empty; name the schema revision the pod needs");
        }
        boolean version = Version.isValid(revision) && !Version.parse(revision).isLatest();
        if (ordered.orElse(false) && !version) {
            throw new IllegalArgumentException("annotation " + Gating.REVISION_ANNOTATION + ": \"" + revision
                    + "\" is not a schema version (digits separated by dots or underscores, such as 4 or 2.1)");
        }
        return Optional.of(revision.trim());
    }

    /** The image of the named container, or of the first one, as the workload source reads it. */
    private static Optional<String> imageOf(Pod pod, String container) {
        List<Container> containers =
                pod.getSpec() == null ? List.of() : pod.getSpec().getContainers();
        return containers.stream()
                .filter(candidate -> container == null || container.equals(candidate.getName()))
                .findFirst()
                .map(Container::getImage);
    }
}
