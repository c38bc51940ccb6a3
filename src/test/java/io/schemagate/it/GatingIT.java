package io.schemagate.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.PodResource;
import io.schemagate.api.GateSpec;
import io.schemagate.gate.Gating;
import io.schemagate.gate.PodGate;
import io.schemagate.testbed.TestBed;
import io.schemagate.testbed.TestNamespace;
import io.schemagate.testsupport.TestDatabases;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The webhook and the release of held pods, with pods created directly and ConfigMap sources. */
@ExtendWith(TestNamespace.Extension.class)
class GatingIT {
    @RegisterExtension
    static final SharedOperator operator = new SharedOperator();

    @RegisterExtension
    final TestDatabases database = new TestDatabases();

    @Test
    void aPodWaitsForItsResourceToBeReadyAndIsReleasedWhenItIs(TestNamespace namespace) throws Exception {
        Scenario scenario = new Scenario(namespace, database);
        scenario.credentials();
        scenario.scripts("orders-migrations", DatabaseMigrationIT.THREE);
        scenario.apply("orders", "orders-migrations", spec -> spec.setSuspend(true));
        scenario.awaitCondition("orders", "Ready", "False", "Suspended");

        Pod created = create(namespace, pod("web", "orders", Map.of()));

        assertThat(PodGate.isHeld(created)).isTrue();
        assertThat(created.getMetadata().getLabels()).containsEntry(Gating.HELD_LABEL, "true");
        await().atMost(Scenario.TIMEOUT)
                .untilAsserted(() -> assertThat(
                                scenario.resource("orders").get().getStatus().getGatedPods())
                        .isEqualTo(1));
        assertThat(operator.metrics())
                .contains("schemagate_gated_pods{name=\"orders\",namespace=\"" + namespace.name() + "\"} 1.0");

        scenario.edit("orders", resource -> resource.getSpec().setSuspend(false));

        awaitScheduled(pod(namespace, "web"));
        Pod released = pod(namespace, "web").get();
        assertThat(released.getMetadata().getLabels()).doesNotContainKey(Gating.HELD_LABEL);
        // The status is written just after the release, in the same reconcile.
        await().atMost(Scenario.TIMEOUT)
                .untilAsserted(() -> assertThat(
                                scenario.resource("orders").get().getStatus().getGatedPods())
                        .isZero());
        scenario.awaitEvents("orders", "PodsHeld", "MigrationStarted", "PodsReleased", "MigrationSucceeded");
        // kubectl describe tells the run in the order it happened, though most of it fits in one second.
        List<String> described = describedEventReasons(namespace, "orders");
        assertThat(described).startsWith("PodsHeld", "MigrationStarted");
        assertThat(described)
                .containsExactlyInAnyOrder("PodsHeld", "MigrationStarted", "PodsReleased", "MigrationSucceeded");
        assertThat(described).isEqualTo(scenario.eventReasonsByTime("orders"));
    }

    /** The Reason column of the Events table that `kubectl describe` prints for the resource. */
    private static List<String> describedEventReasons(TestNamespace namespace, String name) throws Exception {
        TestBed.CommandResult describe = TestBed.get().runKubectl("describe", "dbm", name, "-n", namespace.name());
        assertThat(describe.exitCode()).as(describe.output()).isZero();
        return describe.output()
                .lines()
                .dropWhile(line -> !line.startsWith("Events:"))
                // The title, the header and its underline.
                .skip(3)
                .map(line -> line.trim().split("\\s+", -1)[1])
                .toList();
    }

    @Test
    void theRevisionAnnotationHoldsOnlyPodsThatNeedMore(TestNamespace namespace) {
        Scenario scenario = new Scenario(namespace, database);
        scenario.credentials();
        scenario.scripts("orders-migrations", DatabaseMigrationIT.THREE);
        scenario.apply("orders", "orders-migrations", spec -> {});
        scenario.awaitReady("orders");

        Pod satisfied = create(namespace, pod("needs-3", "orders", Map.of(Gating.REVISION_ANNOTATION, "3")));
        Pod waiting = create(namespace, pod("needs-4", "orders", Map.of(Gating.REVISION_ANNOTATION, "4")));

        assertThat(PodGate.isHeld(satisfied)).isFalse();
        assertThat(PodGate.isHeld(waiting)).isTrue();
        scenario.scripts(
                "orders-migrations",
                DatabaseMigrationIT.threeAnd(
                        Map.of("V4__add_status.sql", "ALTER TABLE orders ADD COLUMN status text;")));
        awaitScheduled(pod(namespace, "needs-4"));
        // Released by the reconcile that read version 4, just before it writes the status.
        await().atMost(Scenario.TIMEOUT)
                .untilAsserted(() -> assertThat(scenario.resource("orders")
                                .get()
                                .getStatus()
                                .getRevision()
                                .getCurrent())
                        .isEqualTo("4"));
    }

    @Test
    void podsHeldByADeletedResourceAreReleasedAndTheyAreTold(TestNamespace namespace) {
        Scenario scenario = new Scenario(namespace, database);
        scenario.credentials();
        scenario.scripts("orders-migrations", DatabaseMigrationIT.THREE);
        scenario.apply("orders", "orders-migrations", spec -> spec.setSuspend(true));
        scenario.awaitCondition("orders", "Ready", "False", "Suspended");
        assertThat(PodGate.isHeld(create(namespace, pod("web", "orders", Map.of()))))
                .isTrue();
        await().atMost(Scenario.TIMEOUT)
                .untilAsserted(() -> assertThat(operator.metrics())
                        .contains("schemagate_gated_pods{name=\"orders\",namespace=\"" + namespace.name() + "\"} 1.0"));

        scenario.resource("orders").delete();

        awaitScheduled(pod(namespace, "web"));
        assertThat(pod(namespace, "web").get().getMetadata().getLabels()).doesNotContainKey(Gating.HELD_LABEL);
        await().atMost(Scenario.TIMEOUT)
                .untilAsserted(() -> assertThat(podEvents(namespace, "web"))
                        .contains("PodsReleased: Released: DatabaseMigration orders, which held the pod, was deleted"));
        assertThat(operator.metrics())
                .as("the deleted resource's gauge went with it")
                .doesNotContain("schemagate_gated_pods{name=\"orders\",namespace=\"" + namespace.name() + "\"}");
    }

    @Test
    void podsHeldByADeletedResourceThatSaysHoldStayHeldUntilOneOfItsNameReleasesThem(TestNamespace namespace) {
        Scenario scenario = new Scenario(namespace, database);
        scenario.credentials();
        scenario.scripts("orders-migrations", DatabaseMigrationIT.THREE);
        scenario.apply("orders", "orders-migrations", spec -> {
            spec.setSuspend(true);
            spec.getGate().setOnDelete(GateSpec.OnDelete.Hold);
        });
        scenario.awaitCondition("orders", "Ready", "False", "Suspended");
        create(namespace, pod("web", "orders", Map.of()));
        await().atMost(Scenario.TIMEOUT)
                .untilAsserted(() -> assertThat(
                                scenario.resource("orders").get().getStatus().getGatedPods())
                        .isEqualTo(1));

        scenario.resource("orders").delete();

        // The operator had the deletion in hand: it says on the pod that it keeps it held.
        await().atMost(Scenario.TIMEOUT)
                .untilAsserted(() -> assertThat(podEvents(namespace, "web"))
                        .anyMatch(event -> event.startsWith(
                                "PodsHeld: DatabaseMigration orders was deleted; the pod" + " stays held")));
        assertThat(PodGate.isHeld(pod(namespace, "web").get())).isTrue();

        scenario.apply("orders", "orders-migrations", spec -> {});
        awaitScheduled(pod(namespace, "web"));
    }

    /** "Reason: message" of each event on the pod. */
    private static List<String> podEvents(TestNamespace namespace, String pod) {
        return namespace.client().v1().events().inNamespace(namespace.name()).list().getItems().stream()
                .filter(event -> "Pod".equals(event.getInvolvedObject().getKind())
                        && pod.equals(event.getInvolvedObject().getName()))
                .map(event -> event.getReason() + ": " + event.getMessage())
                .toList();
    }

    @Test
    void aPodOfAResourceNotCreatedYetWaitsForIt(TestNamespace namespace) {
        Scenario scenario = new Scenario(namespace, database);
        scenario.credentials();
        scenario.scripts("orders-migrations", DatabaseMigrationIT.THREE);

        assertThat(PodGate.isHeld(create(namespace, pod("early", "orders", Map.of()))))
                .isTrue();

        scenario.apply("orders", "orders-migrations", spec -> {});
        awaitScheduled(pod(namespace, "early"));
    }

    /** "v4" is no Flyway version; before the resource exists it could still be an Alembic revision. */
    @Test
    void aMalformedAnnotationIsRefusedWithAMessage(TestNamespace namespace) {
        Scenario scenario = new Scenario(namespace, database);
        scenario.credentials();
        scenario.scripts("orders-migrations", DatabaseMigrationIT.THREE);
        scenario.apply("orders", "orders-migrations", spec -> {});
        // The operator writes a status from the informer the webhook answers from: it knows the resource then.
        await().atMost(Scenario.TIMEOUT)
                .until(() -> Scenario.condition(scenario.resource("orders").get(), "Ready")
                        .isPresent());

        assertThatThrownBy(() -> create(namespace, pod("bad", "orders", Map.of(Gating.REVISION_ANNOTATION, "v4"))))
                .isInstanceOf(KubernetesClientException.class)
                .hasMessageContaining("SchemaGate: annotation schemagate.io/revision: \"v4\" is not a schema version");
        assertThat(pod(namespace, "bad").get()).isNull();
    }

    @Test
    void aPodThatDoesNotOptInIsNeverTouched(TestNamespace namespace) {
        Pod plain = create(
                namespace,
                new PodBuilder(pod("plain", "orders", Map.of()))
                        .editMetadata()
                        .removeFromLabels(Gating.MIGRATION_LABEL)
                        .endMetadata()
                        .build());

        assertThat(plain.getSpec().getSchedulingGates()).isNullOrEmpty();
        assertThat(plain.getMetadata().getLabels()).containsOnlyKeys("app");
        awaitScheduled(pod(namespace, "plain"));
    }

    @Test
    void theOperatorIsReadyOnlyWithItsWebhookServing() throws Exception {
        HttpResponse<String> ready = operator.get("/q/health/ready");

        assertThat(ready.statusCode()).isEqualTo(200);
        assertThat(new ObjectMapper().readTree(ready.body()).get("checks")).anySatisfy(check -> {
            assertThat(check.get("name").asText()).isEqualTo("webhook");
            assertThat(check.get("status").asText()).isEqualTo("UP");
        });
    }

    static Pod pod(String name, String migration, Map<String, String> annotations) {
        return new PodBuilder()
                .withNewMetadata()
                .withName(name)
                .addToLabels("app", name)
                .addToLabels(Gating.MIGRATION_LABEL, migration)
                .withAnnotations(annotations)
                .endMetadata()
                .withNewSpec()
                .addNewContainer()
                .withName("app")
                .withImage("nginx:1.27")
                .endContainer()
                .endSpec()
                .build();
    }

    private static Pod create(TestNamespace namespace, Pod pod) {
        return namespace
                .client()
                .pods()
                .inNamespace(namespace.name())
                .resource(pod)
                .create();
    }

    private static PodResource pod(TestNamespace namespace, String name) {
        return namespace.client().pods().inNamespace(namespace.name()).withName(name);
    }

    private static void awaitScheduled(PodResource pod) {
        await("scheduled").atMost(Scenario.TIMEOUT).untilAsserted(() -> {
            Pod current = pod.get();
            assertThat(current.getSpec().getSchedulingGates()).isNullOrEmpty();
            assertThat(current.getSpec().getNodeName()).isEqualTo("bed-node");
        });
    }
}
