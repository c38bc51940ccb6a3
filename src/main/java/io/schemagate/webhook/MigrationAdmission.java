package io.schemagate.webhook;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.api.model.admission.v1.AdmissionRequest;
import io.fabric8.kubernetes.api.model.admission.v1.AdmissionResponse;
import io.fabric8.kubernetes.api.model.admission.v1.AdmissionResponseBuilder;
import io.fabric8.kubernetes.api.model.authentication.UserInfo;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.schemagate.api.Approvals;
import io.schemagate.support.JsonPatch;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Answers the admission of a DatabaseMigration created or updated: records who last changed its
 * spec, lets only a user with the verb approve set {@link Approvals#APPROVE} (asking the API
 * server's authorizer), and records who did. The annotations it records get the values it computes
 * whatever a request gives them, so that they say what the API server saw, not what a user wrote.
 */
public final class MigrationAdmission {
    private static final List<String> RECORDED =
            List.of(Approvals.SPEC_CHANGED_BY, Approvals.APPROVED_BY, Approvals.APPROVED_GROUPS);

    private final ApprovalAuthorizer authorizer;
    private final KubernetesSerialization serialization;

    public MigrationAdmission(ApprovalAuthorizer authorizer, KubernetesSerialization serialization) {
        this.authorizer = authorizer;
        this.serialization = serialization;
    }

    public AdmissionResponse review(AdmissionRequest request) {
        AdmissionResponseBuilder response =
                new AdmissionResponseBuilder().withUid(request.getUid()).withAllowed(true);
        boolean created = "CREATE".equals(request.getOperation());
        if ((!created && !"UPDATE".equals(request.getOperation())) || request.getObject() == null) {
            return response.build();
        }
        GenericKubernetesResource updated = read(request.getObject());
        GenericKubernetesResource before =
                created || request.getOldObject() == null ? null : read(request.getOldObject());
        Map<String, String> given = annotationsOf(updated);
        Map<String, String> had = annotationsOf(before);
        UserInfo user = request.getUserInfo() == null ? new UserInfo() : request.getUserInfo();
        String username = Objects.toString(user.getUsername(), "");

        Map<String, String> recorded = new LinkedHashMap<>();
        boolean specChanged = before == null || !Objects.equals(specOf(before), specOf(updated));
        recorded.put(Approvals.SPEC_CHANGED_BY, specChanged ? username : had.get(Approvals.SPEC_CHANGED_BY));
        String approve = blankToNull(given.get(Approvals.APPROVE));
        if (approve == null) {
            recorded.put(Approvals.APPROVED_BY, null);
            recorded.put(Approvals.APPROVED_GROUPS, null);
        } else if (approve.equals(blankToNull(had.get(Approvals.APPROVE)))) {
            recorded.put(Approvals.APPROVED_BY, had.get(Approvals.APPROVED_BY));
            recorded.put(Approvals.APPROVED_GROUPS, had.get(Approvals.APPROVED_GROUPS));
        } else {
            String refusal =
                    refusal(request, updated, user, username, approve, recorded.get(Approvals.SPEC_CHANGED_BY));
            if (refusal != null) {
                return response.withAllowed(false)
                        .withStatus(new StatusBuilder()
                                .withCode(403)
                                .withReason("Forbidden")
                                .withMessage("SchemaGate: " + refusal)
                                .build())
                        .build();
            }
            recorded.put(Approvals.APPROVED_BY, username);
            recorded.put(
                    Approvals.APPROVED_GROUPS,
                    Approvals.groupsAnnotation(user.getGroups() == null ? List.of() : user.getGroups()));
        }

        List<JsonPatch> patch = patch(updated, given, recorded);
        if (!patch.isEmpty()) {
            response.withPatchType("JSONPatch")
                    .withPatch(Base64.getEncoder()
                            .encodeToString(JsonPatch.write(patch).getBytes(StandardCharsets.UTF_8)));
        }
        List<String> replaced = RECORDED.stream()
                .filter(key -> given.containsKey(key)
                        && !Objects.equals(given.get(key), had.get(key))
                        && !Objects.equals(given.get(key), recorded.get(key)))
                .toList();
        if (!replaced.isEmpty()) {
            response.withWarnings("SchemaGate records " + String.join(", ", replaced)
                    + " itself; the value this request gave was replaced");
        }
        return response.build();
    }

    /** Why this user may not approve this plan; null when they may. */
    private String refusal(
            AdmissionRequest request,
            GenericKubernetesResource updated,
            UserInfo user,
            String username,
            String approve,
            @Nullable String specChangedBy) {
        String name = Objects.toString(updated.getMetadata().getName(), "");
        String namespace = request.getNamespace();
        ApprovalAuthorizer.Access access;
        try {
            access = authorizer.check(user, namespace, name);
        } catch (RuntimeException unanswered) {
            return "could not ask the API server whether " + username + " may approve: " + unanswered.getMessage();
        }
        if (!access.allowed()) {
            return "approving plan " + approve + " of databasemigration " + name + " needs the verb approve on "
                    + "databasemigrations.schemagate.io in namespace " + namespace + ", which " + username
                    + " lacks (the built-in admin role has it where SchemaGate's user roles are installed)"
                    + (access.reason().isEmpty() ? "" : ": " + access.reason());
        }
        if (distinctApproverRequired(updated)) {
            // Unrecorded when the spec last changed while the webhook did not see it: unknown is not "another".
            if (specChangedBy == null) {
                return "spec.approval.distinctApprover: who last changed the spec of databasemigration " + name
                        + " is not recorded (it changed while SchemaGate's webhook did not see it), so no approver "
                        + "can be told apart from them; the next change of the spec records its author";
            }
            if (username.equals(specChangedBy)) {
                return "spec.approval.distinctApprover: " + username + " last changed the spec of "
                        + "databasemigration " + name + " and may not also approve its plan; another user with the "
                        + "verb approve must";
            }
        }
        return null;
    }

    /**
     * Sets each recorded annotation to its computed value: the annotations map is created when
     * missing, and a value nobody should hold is removed.
     */
    private static List<JsonPatch> patch(
            GenericKubernetesResource updated, Map<String, String> given, Map<String, String> recorded) {
        List<JsonPatch> operations = new ArrayList<>();
        // Read back as an empty map where the request had none: the map itself has to be added then.
        if (updated.getMetadata().getAnnotations() == null
                || updated.getMetadata().getAnnotations().isEmpty()) {
            Map<String, String> created = new LinkedHashMap<>();
            recorded.forEach((key, value) -> {
                if (value != null) {
                    created.put(key, value);
                }
            });
            if (!created.isEmpty()) {
                operations.add(JsonPatch.add("/metadata/annotations", created));
            }
            return operations;
        }
        recorded.forEach((key, value) -> {
            if (value == null && given.containsKey(key)) {
                operations.add(JsonPatch.remove(JsonPatch.annotationPath(key)));
            } else if (value != null && !value.equals(given.get(key))) {
                operations.add(JsonPatch.add(JsonPatch.annotationPath(key), value));
            }
        });
        return operations;
    }

    /** The object with its metadata, which a review always has; an empty one stands in otherwise. */
    private GenericKubernetesResource read(Object object) {
        GenericKubernetesResource resource = serialization.convertValue(object, GenericKubernetesResource.class);
        if (resource.getMetadata() == null) {
            resource.setMetadata(new ObjectMeta());
        }
        return resource;
    }

    private static Map<String, String> annotationsOf(GenericKubernetesResource resource) {
        if (resource == null || resource.getMetadata().getAnnotations() == null) {
            return Map.of();
        }
        return resource.getMetadata().getAnnotations();
    }

    private static Object specOf(GenericKubernetesResource resource) {
        return resource.getAdditionalProperties().get("spec");
    }

    private static boolean distinctApproverRequired(GenericKubernetesResource resource) {
        return specOf(resource) instanceof Map<?, ?> spec
                && spec.get("approval") instanceof Map<?, ?> approval
                && Boolean.TRUE.equals(approval.get("distinctApprover"));
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value;
    }
}
