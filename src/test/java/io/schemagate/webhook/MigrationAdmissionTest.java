package io.schemagate.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.fabric8.kubernetes.api.model.admission.v1.AdmissionRequest;
import io.fabric8.kubernetes.api.model.admission.v1.AdmissionRequestBuilder;
import io.fabric8.kubernetes.api.model.admission.v1.AdmissionResponse;
import io.fabric8.kubernetes.api.model.authentication.UserInfo;
import io.fabric8.kubernetes.api.model.authentication.UserInfoBuilder;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.fabric8.zjsonpatch.JsonPatch;
import io.schemagate.api.Approvals;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * What the webhook records on a DatabaseMigration, and whom it lets approve. The authorizer here
 * answers from a set of names; MigrationApprovalIT has the API server's RBAC answer instead.
 */
class MigrationAdmissionTest {
    private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Map<String, Object> SPEC = Map.of("engine", "flyway");
    private static final Map<String, Object> CHANGED_SPEC = Map.of("engine", "flyway", "target", "3");
    /** A resource Alice wrote and Bob approved, as the webhook recorded it. */
    private static final Map<String, String> APPROVED_BY_BOB = Map.of(
            Approvals.SPEC_CHANGED_BY, "alice",
            Approvals.APPROVE, "0123456789abcdef",
            Approvals.APPROVED_BY, "bob",
            Approvals.APPROVED_GROUPS, "[]");

    private final Set<String> approvers = new java.util.HashSet<>(Set.of("bob", "carol"));
    private final List<String> asked = new ArrayList<>();
    private final MigrationAdmission admission = new MigrationAdmission(
            (user, namespace, name) -> {
                asked.add(user.getUsername() + " " + user.getGroups() + " " + namespace + "/" + name);
                return new ApprovalAuthorizer.Access(approvers.contains(user.getUsername()), "");
            },
            SERIALIZATION);

    @Test
    void aCreateRecordsItsAuthorIntoAnAnnotationsMapItAdds() throws Exception {
        GenericKubernetesResource created = resource(null, SPEC);

        AdmissionResponse response = admission.review(create("alice", created));

        assertThat(response.getAllowed()).isTrue();
        assertThat(annotationsAfter(created, response)).isEqualTo(Map.of(Approvals.SPEC_CHANGED_BY, "alice"));
        assertThat(asked).as("nothing to approve, nobody asked").isEmpty();
    }

    @Test
    void aChangedSpecRecordsItsNewAuthorAndAnotherChangeKeepsTheOld() throws Exception {
        GenericKubernetesResource before = resource(Map.of(Approvals.SPEC_CHANGED_BY, "alice"), SPEC);

        GenericKubernetesResource respecified = resource(Map.of(Approvals.SPEC_CHANGED_BY, "alice"), CHANGED_SPEC);
        assertThat(annotationsAfter(respecified, admission.review(update("dave", before, respecified))))
                .containsEntry(Approvals.SPEC_CHANGED_BY, "dave");

        GenericKubernetesResource relabelled =
                resource(Map.of(Approvals.SPEC_CHANGED_BY, "alice", "team", "payments"), SPEC);
        AdmissionResponse response = admission.review(update("dave", before, relabelled));
        assertThat(response.getPatch()).isNull();
    }

    @Test
    void approvingWithoutTheVerbIsRefusedWithThePermissionItLacks() {
        GenericKubernetesResource before = resource(Map.of(Approvals.SPEC_CHANGED_BY, "alice"), SPEC);
        GenericKubernetesResource approved =
                resource(Map.of(Approvals.SPEC_CHANGED_BY, "alice", Approvals.APPROVE, "0123456789abcdef"), SPEC);

        AdmissionResponse response = admission.review(update("alice", before, approved));

        assertThat(response.getAllowed()).isFalse();
        assertThat(response.getStatus().getCode()).isEqualTo(403);
        assertThat(response.getStatus().getMessage())
                .contains("plan 0123456789abcdef")
                .contains("needs the verb approve on databasemigrations.schemagate.io in namespace shop")
                .contains("which alice lacks");
        assertThat(response.getPatch()).isNull();
        assertThat(asked).containsExactly("alice [system:authenticated, dev] shop/orders");
    }

    @Test
    void anApprovalIsRecordedWithTheApproversNameAndGroups() throws Exception {
        GenericKubernetesResource before = resource(Map.of(Approvals.SPEC_CHANGED_BY, "alice"), SPEC);
        GenericKubernetesResource approved =
                resource(Map.of(Approvals.SPEC_CHANGED_BY, "alice", Approvals.APPROVE, "0123456789abcdef"), SPEC);

        AdmissionResponse response = admission.review(update("bob", before, approved));

        assertThat(response.getAllowed()).isTrue();
        assertThat(annotationsAfter(approved, response))
                .containsEntry(Approvals.APPROVED_BY, "bob")
                .containsEntry(Approvals.APPROVED_GROUPS, "[\"system:authenticated\",\"dev\"]")
                .containsEntry(Approvals.SPEC_CHANGED_BY, "alice");
        assertThat(response.getWarnings()).isNullOrEmpty();
    }

    @Test
    void aRecordWrittenByAUserIsReplacedWithAWarning() throws Exception {
        GenericKubernetesResource before = resource(APPROVED_BY_BOB, SPEC);
        Map<String, String> forged = new HashMap<>(APPROVED_BY_BOB);
        forged.put(Approvals.APPROVED_BY, "carol");
        forged.put(Approvals.SPEC_CHANGED_BY, "erin");
        GenericKubernetesResource after = resource(forged, SPEC);

        AdmissionResponse response = admission.review(update("alice", before, after));

        assertThat(response.getAllowed()).isTrue();
        assertThat(annotationsAfter(after, response)).isEqualTo(APPROVED_BY_BOB);
        assertThat(response.getWarnings())
                .singleElement()
                .asString()
                .contains(Approvals.APPROVED_BY)
                .contains(Approvals.SPEC_CHANGED_BY)
                .contains("was replaced");
        assertThat(asked).as("the approval itself did not change").isEmpty();
    }

    @Test
    void aDistinctApproverMustNotBeTheSpecsAuthor() throws Exception {
        Map<String, Object> spec =
                Map.of("engine", "flyway", "approval", Map.of("required", true, "distinctApprover", true));
        GenericKubernetesResource before = resource(Map.of(Approvals.SPEC_CHANGED_BY, "bob"), spec);
        GenericKubernetesResource approved =
                resource(Map.of(Approvals.SPEC_CHANGED_BY, "bob", Approvals.APPROVE, "0123456789abcdef"), spec);

        AdmissionResponse byAuthor = admission.review(update("bob", before, approved));
        assertThat(byAuthor.getAllowed()).isFalse();
        assertThat(byAuthor.getStatus().getMessage())
                .contains("spec.approval.distinctApprover: bob last changed the spec of databasemigration orders");

        AdmissionResponse byAnother = admission.review(update("carol", before, approved));
        assertThat(byAnother.getAllowed()).isTrue();
        assertThat(annotationsAfter(approved, byAnother)).containsEntry(Approvals.APPROVED_BY, "carol");
    }

    /** A resource last changed while the webhook did not see it: nobody can be told apart from its author. */
    @Test
    void aDistinctApproverIsRefusedWhileTheAuthorIsUnknown() {
        Map<String, Object> spec = Map.of("approval", Map.of("required", true, "distinctApprover", true));
        GenericKubernetesResource before = resource(null, spec);
        GenericKubernetesResource approved = resource(Map.of(Approvals.APPROVE, "0123456789abcdef"), spec);

        AdmissionResponse response = admission.review(update("carol", before, approved));

        assertThat(response.getAllowed()).isFalse();
        assertThat(response.getStatus().getMessage())
                .contains("who last changed the spec of databasemigration orders is not recorded");
    }

    @Test
    void anAuthorWhoChangesTheSpecAndApprovesAtOnceIsTheAuthor() {
        Map<String, Object> spec = Map.of("approval", Map.of("required", true, "distinctApprover", true));
        Map<String, Object> changed =
                Map.of("target", "3", "approval", Map.of("required", true, "distinctApprover", true));
        GenericKubernetesResource before = resource(Map.of(Approvals.SPEC_CHANGED_BY, "alice"), spec);
        GenericKubernetesResource after =
                resource(Map.of(Approvals.SPEC_CHANGED_BY, "alice", Approvals.APPROVE, "0123456789abcdef"), changed);

        assertThat(admission.review(update("bob", before, after)).getAllowed()).isFalse();
    }

    @Test
    void withdrawingAnApprovalRemovesItsRecord() throws Exception {
        GenericKubernetesResource before = resource(APPROVED_BY_BOB, SPEC);
        Map<String, String> withdrawn = new HashMap<>(APPROVED_BY_BOB);
        withdrawn.remove(Approvals.APPROVE);
        GenericKubernetesResource after = resource(withdrawn, SPEC);

        AdmissionResponse response = admission.review(update("alice", before, after));

        assertThat(response.getAllowed()).isTrue();
        assertThat(annotationsAfter(after, response)).isEqualTo(Map.of(Approvals.SPEC_CHANGED_BY, "alice"));
    }

    @Test
    void anAuthorizerThatCannotAnswerRefusesTheApproval() {
        MigrationAdmission unanswered = new MigrationAdmission(
                (user, namespace, name) -> {
                    throw new IllegalStateException("connection refused");
                },
                SERIALIZATION);
        GenericKubernetesResource approved = resource(Map.of(Approvals.APPROVE, "0123456789abcdef"), SPEC);

        AdmissionResponse response = unanswered.review(create("bob", approved));

        assertThat(response.getAllowed()).isFalse();
        assertThat(response.getStatus().getMessage())
                .isEqualTo("SchemaGate: could not ask the API server whether bob may approve: connection refused");
    }

    private static GenericKubernetesResource resource(Map<String, String> annotations, Map<String, Object> spec) {
        GenericKubernetesResource resource = new GenericKubernetesResourceBuilder()
                .withApiVersion("schemagate.io/v1alpha1")
                .withKind("DatabaseMigration")
                .withNewMetadata()
                .withName("orders")
                .withNamespace("shop")
                .withAnnotations(annotations == null ? null : new HashMap<>(annotations))
                .endMetadata()
                .build();
        resource.setAdditionalProperty("spec", spec);
        return resource;
    }

    private static AdmissionRequest create(String user, GenericKubernetesResource object) {
        return request("CREATE", user, null, object);
    }

    private static AdmissionRequest update(
            String user, GenericKubernetesResource before, GenericKubernetesResource after) {
        return request("UPDATE", user, before, after);
    }

    private static AdmissionRequest request(
            String operation, String user, GenericKubernetesResource before, GenericKubernetesResource after) {
        UserInfo info = new UserInfoBuilder()
                .withUsername(user)
                .withGroups("system:authenticated", "dev")
                .build();
        return new AdmissionRequestBuilder()
                .withUid("uid-1")
                .withOperation(operation)
                .withNamespace("shop")
                .withName("orders")
                .withUserInfo(info)
                .withOldObject(before)
                .withObject(after)
                .build();
    }

    /** The annotations the object has once the API server applies the webhook's patch to it. */
    private static Map<String, String> annotationsAfter(GenericKubernetesResource object, AdmissionResponse response)
            throws Exception {
        JsonNode tree = JSON.valueToTree(SERIALIZATION.convertValue(object, Map.class));
        if (response.getPatch() != null) {
            tree = JsonPatch.apply(JSON.readTree(Base64.getDecoder().decode(response.getPatch())), tree);
        }
        GenericKubernetesResource patched = SERIALIZATION.convertValue(tree, GenericKubernetesResource.class);
        Map<String, String> annotations = patched.getMetadata().getAnnotations();
        return annotations == null ? Map.of() : annotations;
    }
}
