package io.schemagate.webhook;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.api.model.admission.v1.AdmissionRequest;
import io.fabric8.kubernetes.api.model.admission.v1.AdmissionResponse;
import io.fabric8.kubernetes.api.model.admission.v1.AdmissionResponseBuilder;
import io.schemagate.gate.GateDecision;
import io.schemagate.gate.Gating;
import io.schemagate.gate.KnownMigrations;
import io.schemagate.gate.PodGate;
import io.schemagate.support.JsonPatch;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * Answers the admission of an opted-in pod: admitted as it is, admitted with SchemaGate's
 * scheduling gate added, or refused. Decides from memory only ({@link KnownMigrations}).
 */
public final class PodAdmission {
    private final KnownMigrations migrations;

    public PodAdmission(KnownMigrations migrations) {
        this.migrations = migrations;
    }

    public AdmissionResponse review(AdmissionRequest request) {
        AdmissionResponseBuilder response =
                new AdmissionResponseBuilder().withUid(request.getUid()).withAllowed(true);
        if (!(request.getObject() instanceof Pod pod) || !"CREATE".equals(request.getOperation())) {
            return response.build();
        }
        String namespace = request.getNamespace();
        String name = PodGate.migrationOf(pod);
        if (!migrations.watches(namespace)) {
            return response.withWarnings("SchemaGate does not watch namespace " + namespace + "; the pod is not gated")
                    .build();
        }
        GateDecision decision = PodGate.decide(pod, namespace, migrations.find(namespace, name));
        if (decision instanceof GateDecision.Refuse refuse) {
            return response.withAllowed(false)
                    .withStatus(new StatusBuilder()
                            .withCode(400)
                            .withReason("BadRequest")
                            .withMessage("SchemaGate: " + refuse.reason())
                            .build())
                    .build();
        }
        // A pod created with the gate already (a manifest copied from a held pod) is labelled too:
        // the operator only sees, and so only releases, labelled pods.
        List<JsonPatch> patch =
                decision instanceof GateDecision.Hold || PodGate.isHeld(pod) ? holdPatch(pod) : List.of();
        if (!patch.isEmpty()) {
            response.withPatchType("JSONPatch")
                    .withPatch(Base64.getEncoder()
                            .encodeToString(JsonPatch.write(patch).getBytes(StandardCharsets.UTF_8)));
        }
        if (decision instanceof GateDecision.Hold hold) {
            response.withWarnings("SchemaGate holds this pod: " + hold.reason());
        }
        return response.build();
    }

    /** Adds what is missing of the scheduling gate and the label the operator selects held pods by. */
    private static List<JsonPatch> holdPatch(Pod pod) {
        List<JsonPatch> operations = new ArrayList<>();
        if (!PodGate.isHeld(pod)) {
            Map<String, String> gate = Map.of("name", Gating.SCHEDULING_GATE);
            boolean hasGates = pod.getSpec().getSchedulingGates() != null
                    && !pod.getSpec().getSchedulingGates().isEmpty();
            operations.add(
                    hasGates
                            ? JsonPatch.add("/spec/schedulingGates/-", gate)
                            : JsonPatch.add("/spec/schedulingGates", List.of(gate)));
        }
        // The opt-in label is there (the webhook only sees labelled pods), so the labels map exists.
        if (!"true".equals(pod.getMetadata().getLabels().get(Gating.HELD_LABEL))) {
            operations.add(JsonPatch.add(JsonPatch.labelPath(Gating.HELD_LABEL), "true"));
        }
        return operations;
    }
}
