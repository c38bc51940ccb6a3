package io.schemagate.webhook;

import static io.schemagate.gate.GatedPods.NAMESPACE;
import static io.schemagate.gate.GatedPods.pod;
import static io.schemagate.gate.GatedPods.resource;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodSchedulingGate;
import io.fabric8.kubernetes.api.model.admission.v1.AdmissionRequest;
import io.fabric8.kubernetes.api.model.admission.v1.AdmissionRequestBuilder;
import io.fabric8.kubernetes.api.model.admission.v1.AdmissionResponse;
import io.javaoperatorsdk.operator.api.reconciler.ResourceCache;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.schemagate.api.DatabaseMigration;
import io.schemagate.gate.Gating;
import io.schemagate.gate.KnownMigrations;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class PodAdmissionTest {
    private final KnownMigrations known = new KnownMigrations();
    private final PodAdmission admission = new PodAdmission(known);

    @Test
    void holdsAPodByAddingTheGateAndTheHeldLabel() throws Exception {
        known.attach(cacheOf(resource("3", false, false, List.of())), Set.of(NAMESPACE));

        AdmissionResponse response = admission.review(create(pod("orders:1.1", Map.of())));

        assertThat(response.getAllowed()).isTrue();
        assertThat(response.getUid()).isEqualTo("uid-1");
        assertThat(response.getPatchType()).isEqualTo("JSONPatch");
        JsonNode patch = new ObjectMapper().readTree(Base64.getDecoder().decode(response.getPatch()));
        assertThat(patch.toString())
                .isEqualTo("[{\"op\":\"add\",\"path\":\"/spec/schedulingGates\","
                        + "\"value\":[{\"name\":\"schemagate.io/schema\"}]},"
                        + "{\"op\":\"add\",\"path\":\"/metadata/labels/schemagate.io~1held\",\"value\":\"true\"}]");
        assertThat(response.getWarnings())
                .singleElement()
                .asString()
                .startsWith("SchemaGate holds this pod: waits for DatabaseMigration orders to be Ready");
    }

    @Test
    void appendsToGatesOthersPut() throws Exception {
        known.attach(cacheOf(resource("3", false, false, List.of())), Set.of(NAMESPACE));
        Pod pod = pod("orders:1.1", Map.of());
        pod.getSpec().setSchedulingGates(List.of(new PodSchedulingGate("example.com/quota")));

        AdmissionResponse response = admission.review(create(pod));

        JsonNode first = new ObjectMapper()
                .readTree(Base64.getDecoder().decode(response.getPatch()))
                .get(0);
        assertThat(first.get("path").asText()).isEqualTo("/spec/schedulingGates/-");
        assertThat(first.get("value").get("name").asText()).isEqualTo(Gating.SCHEDULING_GATE);
    }

    @Test
    void aPodCreatedWithTheGateIsNotGatedTwiceButLabelledSoItIsReleased() throws Exception {
        Pod pod = pod("orders:1.1", Map.of());
        pod.getSpec().setSchedulingGates(List.of(new PodSchedulingGate(Gating.SCHEDULING_GATE)));

        for (boolean ready : List.of(false, true)) {
            known.attach(cacheOf(resource("3", ready, false, List.of())), Set.of(NAMESPACE));

            JsonNode patch = new ObjectMapper()
                    .readTree(Base64.getDecoder()
                            .decode(admission.review(create(pod)).getPatch()));

            assertThat(patch.toString())
                    .as("ready: %s", ready)
                    .isEqualTo("[{\"op\":\"add\","
                            + "\"path\":\"/metadata/labels/schemagate.io~1held\",\"value\":\"true\"}]");
        }
        pod.getMetadata().getLabels().put(Gating.HELD_LABEL, "true");
        assertThat(admission.review(create(pod)).getPatch()).isNull();
    }

    @Test
    void admitsAPodWhoseSchemaIsThereUnchanged() {
        known.attach(cacheOf(resource("3", true, false, List.of())), Set.of(NAMESPACE));

        AdmissionResponse response = admission.review(create(pod("orders:1.0", Map.of())));

        assertThat(response.getAllowed()).isTrue();
        assertThat(response.getPatch()).isNull();
        assertThat(response.getWarnings()).isNullOrEmpty();
    }

    @Test
    void refusesAMalformedAnnotationWithAMessageNamingIt() {
        known.attach(cacheOf(resource("3", true, false, List.of())), Set.of(NAMESPACE));

        AdmissionResponse response =
                admission.review(create(pod("orders:1.0", Map.of(Gating.REVISION_ANNOTATION, "four"))));

        assertThat(response.getAllowed()).isFalse();
        assertThat(response.getStatus().getCode()).isEqualTo(400);
        assertThat(response.getStatus().getMessage())
                .isEqualTo(
                        "SchemaGate: annotation schemagate.io/revision: "
                                + "\"four\" is not a schema version (digits separated by dots or underscores, such as 4 or 2.1)");
    }

    @Test
    void aNamespaceSchemaGateDoesNotWatchIsLeftAloneWithAWarning() {
        known.attach(cacheOf(resource("3", false, false, List.of())), Set.of("elsewhere"));

        AdmissionResponse response = admission.review(create(pod("orders:1.0", Map.of())));

        assertThat(response.getAllowed()).isTrue();
        assertThat(response.getPatch()).isNull();
        assertThat(response.getWarnings())
                .containsExactly("SchemaGate does not watch namespace shop; the pod is not gated");
    }

    @Test
    void anEmptyOptInLabelIsRefused() {
        known.attach(cacheOf(resource("3", true, false, List.of())), Set.of(NAMESPACE));
        Pod pod = pod("orders:1.0", Map.of());
        pod.getMetadata().getLabels().put(Gating.MIGRATION_LABEL, "");

        AdmissionResponse response = admission.review(create(pod));

        assertThat(response.getAllowed()).isFalse();
        assertThat(response.getStatus().getMessage())
                .isEqualTo("SchemaGate: label schemagate.io/migration must "
                        + "name the DatabaseMigration the pod needs, in its namespace");
    }

    private static AdmissionRequest create(Pod pod) {
        return new AdmissionRequestBuilder()
                .withUid("uid-1")
                .withOperation("CREATE")
                .withNamespace(NAMESPACE)
                .withObject(pod)
                .build();
    }

    static ResourceCache<DatabaseMigration> cacheOf(DatabaseMigration resource) {
        Map<ResourceID, DatabaseMigration> byId = Map.of(ResourceID.fromResource(resource), resource);
        return new ResourceCache<>() {
            @Override
            public Optional<DatabaseMigration> get(ResourceID id) {
                return Optional.ofNullable(byId.get(id));
            }

            @Override
            public Stream<ResourceID> keys() {
                return byId.keySet().stream();
            }

            @Override
            public Stream<DatabaseMigration> list(Predicate<DatabaseMigration> predicate) {
                return byId.values().stream().filter(predicate);
            }

            @Override
            public Stream<DatabaseMigration> list(String namespace, Predicate<DatabaseMigration> predicate) {
                return list(predicate.and(r -> namespace.equals(r.getMetadata().getNamespace())));
            }
        };
    }
}
