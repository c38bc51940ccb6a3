package io.schemagate.gate;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.Pod;
import io.schemagate.api.DatabaseMigration;
import io.schemagate.api.DatabaseMigrationStatus;
import io.schemagate.api.ImageRevision;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Decides whether an opted-in pod may be scheduled, from the pod and what is known of its
 * DatabaseMigration. Pure: the webhook calls it on the admission path and the operator calls it
 * again to release held pods, so both always agree.
 */
public final class PodGate {
    private PodGate() {}

    /**
     * @param resource the DatabaseMigration the pod's label names, looked up in the pod's namespace;
     *     empty when there is none
     */
    public static GateDecision decide(Pod pod, String namespace, Optional<DatabaseMigration> resource) {
        String name = migrationOf(pod);
        if (name == null || name.isBlank()) {
            return new GateDecision.Refuse("label " + Gating.MIGRATION_LABEL
                    + " must name the DatabaseMigration the pod needs, in its namespace");
        }
        Optional<String> annotated;
        try {
            annotated = PodNeed.annotatedRevision(
                    pod,
                    resource.map(
                            found -> found.getSpec().historyFormat().dialect().hasOrderedVersions()));
        } catch (IllegalArgumentException malformed) {
            // Refused whatever the resource's state: no state of it could ever satisfy this pod.
            return new GateDecision.Refuse(String.valueOf(malformed.getMessage()));
        }
        if (resource.isEmpty()) {
            return new GateDecision.Hold(
                    "DatabaseMigration " + name + " does not exist in namespace " + namespace + " yet");
        }
        DatabaseMigration migration = resource.get();
        if (!migration.getSpec().getGate().isEnabled()) {
            return new GateDecision.Admit("gating is disabled on DatabaseMigration " + name);
        }
        PodNeed need = PodNeed.of(pod, annotated, migration);
        DatabaseMigrationStatus status =
                migration.getStatus() == null ? new DatabaseMigrationStatus() : migration.getStatus();
        SchemaReached schema = SchemaReached.of(status, migration.getSpec().historyFormat());
        String at = schema.describe();
        if (need instanceof PodNeed.AtLeast atLeast) {
            return schema.reached(atLeast.revision())
                    ? new GateDecision.Admit("needs version " + atLeast.revision() + "; " + at)
                    : new GateDecision.Hold("needs schema version " + atLeast.revision() + " of " + name + "; " + at);
        }
        if (need instanceof PodNeed.ScriptsOf scripts) {
            return scriptsApplied(status, schema, scripts.image(), name, at);
        }
        return isReady(migration)
                ? new GateDecision.Admit("DatabaseMigration " + name + " is Ready; " + at)
                : new GateDecision.Hold("waits for DatabaseMigration " + name + " to be Ready; " + at);
    }

    /** Where the schema stands, in words, for decisions and events. */
    public static String describeSchema(DatabaseMigration migration) {
        DatabaseMigrationStatus status =
                migration.getStatus() == null ? new DatabaseMigrationStatus() : migration.getStatus();
        return SchemaReached.of(status, migration.getSpec().historyFormat()).describe();
    }

    /** The DatabaseMigration name the pod opted in with; null when it did not. */
    public static @Nullable String migrationOf(Pod pod) {
        return pod.getMetadata().getLabels() == null
                ? null
                : pod.getMetadata().getLabels().get(Gating.MIGRATION_LABEL);
    }

    /** Whether the pod still carries SchemaGate's scheduling gate. */
    public static boolean isHeld(Pod pod) {
        return gateIndex(pod) >= 0;
    }

    /** Position of SchemaGate's gate among the pod's scheduling gates, or -1. */
    public static int gateIndex(Pod pod) {
        var gates = pod.getSpec() == null ? null : pod.getSpec().getSchedulingGates();
        if (gates == null) {
            return -1;
        }
        for (int i = 0; i < gates.size(); i++) {
            if (Gating.SCHEDULING_GATE.equals(gates.get(i).getName())) {
                return i;
            }
        }
        return -1;
    }

    private static GateDecision scriptsApplied(
            DatabaseMigrationStatus status, SchemaReached schema, String image, String name, String at) {
        Optional<ImageRevision> known = status.getImages().stream()
                .filter(revision -> image.equals(revision.getImage()))
                .findFirst();
        if (known.isEmpty()) {
            return new GateDecision.Hold(
                    "waits for the migrations of image " + image + " (DatabaseMigration " + name + "); " + at);
        }
        String latest = known.get().getLatest();
        if (latest == null || schema.reachedAll(latest)) {
            return new GateDecision.Admit("the migrations of image " + image + " are applied; " + at);
        }
        return new GateDecision.Hold("image " + image + " needs schema version " + latest + " of " + name + "; " + at);
    }

    /** Ready for the resource's current spec: a Ready condition from an older generation does not count. */
    private static boolean isReady(DatabaseMigration migration) {
        DatabaseMigrationStatus status = migration.getStatus();
        if (status == null
                || !Objects.equals(
                        status.getObservedGeneration(), migration.getMetadata().getGeneration())) {
            return false;
        }
        List<Condition> conditions = status.getConditions();
        return conditions != null
                && conditions.stream()
                        .anyMatch(condition ->
                                "Ready".equals(condition.getType()) && "True".equals(condition.getStatus()));
    }
}
