package io.schemagate.reconcile;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.quarkus.logging.Log;
import io.schemagate.api.DatabaseMigration;
import io.schemagate.api.DatabaseMigrationStatus;
import io.schemagate.api.GateSpec;
import io.schemagate.gate.GateDecision;
import io.schemagate.gate.Gating;
import io.schemagate.gate.PodGate;
import io.schemagate.support.JsonPatch;
import java.net.HttpURLConnection;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Releases the pods a resource holds as soon as the schema they need is applied, deciding with the
 * same {@link PodGate} the webhook used to hold them, against the status the reconcile is about to
 * write, and tells in events which pods it holds and lets go.
 */
final class HeldPods {
    private static final String HELD_LABEL_PATH = JsonPatch.labelPath(Gating.HELD_LABEL);
    private static final int UNPROCESSABLE = 422;

    private final KubernetesClient client;
    private final EventRecorder events;

    HeldPods(KubernetesClient client, EventRecorder events) {
        this.client = client;
        this.events = events;
    }

    /**
     * Releases the held pods whose need the new status meets.
     *
     * @param before the status as it was, to tell newly held pods apart
     * @return how many pods are still held
     */
    int release(
            DatabaseMigration resource,
            DatabaseMigrationStatus status,
            DatabaseMigrationStatus before,
            List<Pod> held) {
        DatabaseMigration updated = new DatabaseMigration();
        updated.setMetadata(resource.getMetadata());
        updated.setSpec(resource.getSpec());
        updated.setStatus(status);
        Outcome outcome = release(updated, held);
        if (!outcome.released().isEmpty()) {
            events.normal(
                    resource,
                    Reasons.PODS_RELEASED,
                    "Released " + PodNames.describe(outcome.released()) + ": " + PodGate.describeSchema(updated));
        }
        int heldBefore = before.getGatedPods() == null ? 0 : before.getGatedPods();
        if (outcome.waiting().size() > heldBefore) {
            events.normal(
                    resource,
                    Reasons.PODS_HELD,
                    "Holding " + PodNames.describe(outcome.waiting()) + ": "
                            + outcome.waitingFor().orElse(""));
        }
        return outcome.waiting().size();
    }

    /**
     * The pods a deleted resource held: released, or kept held where its spec says so; an event on
     * each pod says which, as its resource is no longer there to carry one.
     */
    void resourceDeleted(DatabaseMigration deleted, List<Pod> held) {
        String name = deleted.getMetadata().getName();
        boolean keep = deleted.getSpec() != null
                && deleted.getSpec().getGate() != null
                && deleted.getSpec().getGate().getOnDelete() == GateSpec.OnDelete.Hold;
        if (!held.isEmpty()) {
            Log.infof(
                    "%s/%s deleted: %d held pod(s) %s",
                    deleted.getMetadata().getNamespace(),
                    name,
                    held.size(),
                    keep ? "kept held (spec.gate.onDelete: Hold)" : "released");
        }
        for (Pod pod : held) {
            int gate = PodGate.gateIndex(pod);
            if (keep) {
                events.normal(
                        pod,
                        Reasons.PODS_HELD,
                        "DatabaseMigration " + name + " was deleted; the pod stays held (spec.gate.onDelete: Hold)"
                                + " until a DatabaseMigration of that name releases it");
            } else if (patch(pod, gate < 0 ? List.of(JsonPatch.remove(HELD_LABEL_PATH)) : releaseOperations(gate))) {
                events.normal(
                        pod,
                        Reasons.PODS_RELEASED,
                        "Released: DatabaseMigration " + name + ", which held the pod, was deleted");
            }
        }
    }

    /** What a release pass did: the pods let go and the pods still waiting, by name. */
    private record Outcome(List<String> released, List<String> waiting, Optional<String> waitingFor) {}

    private Outcome release(DatabaseMigration resource, List<Pod> pods) {
        List<String> released = new ArrayList<>();
        List<String> waiting = new ArrayList<>();
        Optional<String> waitingFor = Optional.empty();
        for (Pod pod : pods) {
            String name = pod.getMetadata().getName();
            int gate = PodGate.gateIndex(pod);
            if (gate < 0) {
                // Someone else removed the gate: only the label is left to tidy up.
                patch(pod, List.of(JsonPatch.remove(HELD_LABEL_PATH)));
                continue;
            }
            GateDecision decision = PodGate.decide(pod, resource.getMetadata().getNamespace(), Optional.of(resource));
            if (decision instanceof GateDecision.Admit && patch(pod, releaseOperations(gate))) {
                released.add(name);
            } else {
                waiting.add(name);
                waitingFor = waitingFor.or(() -> Optional.of(decision.reason()));
            }
        }
        return new Outcome(released, waiting, waitingFor);
    }

    /** The test op makes the removal safe against a concurrent change of the pod's gates. */
    private static List<JsonPatch> releaseOperations(int gate) {
        String path = "/spec/schedulingGates/" + gate;
        return List.of(
                JsonPatch.test(path, Map.of("name", Gating.SCHEDULING_GATE)),
                JsonPatch.remove(path),
                JsonPatch.remove(HELD_LABEL_PATH));
    }

    /**
     * Never throws: a pod that cannot be patched now stays held and counted, and must not stop the
     * release of the others nor the status write of the reconcile.
     */
    private boolean patch(Pod pod, List<JsonPatch> operations) {
        String where =
                pod.getMetadata().getNamespace() + "/" + pod.getMetadata().getName();
        try {
            // On the cached pod, not by name: by name the client would GET the pod first.
            client.pods()
                    .inNamespace(pod.getMetadata().getNamespace())
                    .resource(pod)
                    .patch(PatchContext.of(PatchType.JSON), JsonPatch.write(operations));
            return true;
        } catch (KubernetesClientException e) {
            // 404: the pod is gone. 422: it changed since the cache saw it (the test op failed); its
            // update event brings another reconcile that decides on the new version.
            if (e.getCode() == HttpURLConnection.HTTP_NOT_FOUND || e.getCode() == UNPROCESSABLE) {
                Log.debugf("pod %s not released now: %s", where, e.getMessage());
            } else {
                Log.warnf("could not release pod %s: %s", where, e.getMessage());
            }
            return false;
        }
    }
}
