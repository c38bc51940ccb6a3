package io.schemagate.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.api.model.authentication.TokenRequestBuilder;
import io.fabric8.kubernetes.api.model.rbac.SubjectBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.schemagate.api.ApprovalSpec;
import io.schemagate.api.Approvals;
import io.schemagate.api.DatabaseMigration;
import io.schemagate.api.PlanStatus;
import io.schemagate.api.RunStatus;
import io.schemagate.gate.Gating;
import io.schemagate.gate.PodGate;
import io.schemagate.support.Json;
import io.schemagate.testbed.TestNamespace;
import io.schemagate.testsupport.TestDatabases;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/** spec.approval on the bed: a run waits for the digest of its exact plan, and a changed plan for its own. */
@ExtendWith(TestNamespace.Extension.class)
class ApprovalIT {
    static final Map<String, String> SCRIPTS = Map.of(
            "V1__customers.sql", "CREATE TABLE customers (id bigint PRIMARY KEY);",
            "V2__orders.sql", "CREATE TABLE orders (id bigint PRIMARY KEY, customer bigint REFERENCES customers);");

    @RegisterExtension
    static final SharedOperator operator = new SharedOperator();

    @RegisterExtension
    final TestDatabases database = new TestDatabases();

    private Scenario scenario;

    @BeforeEach
    void setUp(TestNamespace namespace) {
        scenario = new Scenario(namespace, database);
        scenario.credentials();
    }

    @Test
    void aRunStartsOnlyOnceItsExactPlanIsApprovedAndAChangedPlanNeedsItsOwn(TestNamespace namespace) throws Exception {
        scenario.scripts("schema", SCRIPTS);
        scenario.apply("orders", "schema", spec -> spec.setApproval(new ApprovalSpec(true)));

        DatabaseMigration awaiting = scenario.awaitCondition("orders", "Reconciling", "AwaitingApproval");
        PlanStatus plan = awaiting.getStatus().getPlan();
        assertThat(plan.getScripts())
                .extracting(PlanStatus.PlannedScript::getName)
                .containsExactly("V1__customers.sql", "V2__orders.sql");
        assertThat(plan.getScripts())
                .allSatisfy(script -> assertThat(script.getChecksum()).isNotBlank());
        assertThat(plan.getFrom()).isNull();
        assertThat(plan.getTo()).isEqualTo("2");
        assertThat(Scenario.condition(awaiting, "Reconciling").orElseThrow().getMessage())
                .contains("schemagate.io/approve=" + plan.getDigest());
        assertThat(scenario.awaitEvents("orders", "AwaitingApproval")).containsOnlyOnce("AwaitingApproval");
        assertThat(scenario.jobs()).isEmpty();
        Pod held = namespace
                .client()
                .pods()
                .inNamespace(namespace.name())
                .resource(GatingIT.pod("needs-2", "orders", Map.of(Gating.REVISION_ANNOTATION, "2")))
                .create();
        assertThat(PodGate.isHeld(held)).isTrue();

        // Reviewed, but the scripts changed since: the approval is for the old plan and starts nothing.
        Map<String, String> more = new HashMap<>(SCRIPTS);
        more.put("V3__order_notes.sql", "ALTER TABLE orders ADD COLUMN note text;");
        scenario.scripts("schema", more);
        await("a new plan")
                .atMost(Scenario.TIMEOUT)
                .until(() -> !plan.getDigest()
                        .equals(scenario.resource("orders")
                                .get()
                                .getStatus()
                                .getPlan()
                                .getDigest()));
        approve(plan.getDigest());
        DatabaseMigration replanned = scenario.awaitCondition("orders", "Reconciling", "AwaitingApproval");
        PlanStatus next = replanned.getStatus().getPlan();
        assertThat(next.getScripts()).hasSize(3);
        assertThat(scenario.jobs())
                .as("the old plan's approval started nothing")
                .isEmpty();

        approve(next.getDigest());

        DatabaseMigration ready = scenario.awaitReady("orders");
        assertThat(ready.getStatus().getRevision().getCurrent()).isEqualTo("3");
        assertThat(ready.getStatus().getPlan()).isNull();
        assertThat(ready.getStatus().getLastRun().getApprovedPlan()).isEqualTo(next.getDigest());
        assertThat(scenario.jobs())
                .singleElement()
                .satisfies(job -> assertThat(job.getMetadata().getAnnotations())
                        .containsEntry("schemagate.io/approved-plan", next.getDigest()));
        await("the held pod released")
                .atMost(Scenario.TIMEOUT)
                .untilAsserted(() -> assertThat(namespace
                                .client()
                                .pods()
                                .inNamespace(namespace.name())
                                .withName("needs-2")
                                .get()
                                .getSpec()
                                .getSchedulingGates())
                        .isNullOrEmpty());
    }

    /**
     * Approving takes the verb approve, asked of the API server for the very user, who is then named
     * wherever the run is. The users are ServiceAccounts of the namespace, each with a token of its
     * own, bound to the built-in roles into which the chart's user roles aggregate.
     */
    @Test
    void approvingTakesTheVerbApproveAndTheApproverIsRecordedByName(TestNamespace namespace) throws Exception {
        KubernetesClient admin = namespace.client();
        String ns = namespace.name();
        scenario.scripts("schema", SCRIPTS);
        try (UserRoles roles = UserRoles.install(admin, ns);
                KubernetesClient alice = user(admin, ns, "alice", "edit");
                KubernetesClient bob = user(admin, ns, "bob", "admin");
                // A reviewer bound to edit, and to the approve role alone besides.
                KubernetesClient carol = user(admin, ns, "carol", "edit", roles.named("approve"))) {
            DatabaseMigration resource = Scenario.resourceFor("orders", database.url(), "schema", spec -> {
                ApprovalSpec approval = new ApprovalSpec(true);
                approval.setDistinctApprover(true);
                spec.setApproval(approval);
            });
            resource.getMetadata().setNamespace(ns);
            alice.resource(resource).create();
            String first = scenario.awaitCondition("orders", "Reconciling", "AwaitingApproval")
                    .getStatus()
                    .getPlan()
                    .getDigest();
            assertThat(scenario.resource("orders").get().getMetadata().getAnnotations())
                    .containsEntry(Approvals.SPEC_CHANGED_BY, serviceAccount(ns, "alice"));

            assertThatThrownBy(() -> annotate(alice, ns, Map.of(Approvals.APPROVE, first)))
                    .isInstanceOfSatisfying(KubernetesClientException.class, refused -> {
                        assertThat(refused.getCode()).isEqualTo(403);
                        assertThat(refused.getMessage())
                                .contains(
                                        "needs the verb approve on databasemigrations.schemagate.io in namespace " + ns)
                                .contains("which " + serviceAccount(ns, "alice") + " lacks");
                    });

            // Bob changes the spec: with distinctApprover he may not approve what he changed.
            bob.resources(DatabaseMigration.class)
                    .inNamespace(ns)
                    .withName("orders")
                    .edit(changed -> {
                        changed.getSpec().setTarget("2");
                        return changed;
                    });
            await("a new plan").atMost(Scenario.TIMEOUT).until(() -> {
                PlanStatus plan = scenario.resource("orders").get().getStatus().getPlan();
                return plan != null && !plan.getDigest().equals(first);
            });
            String second =
                    scenario.resource("orders").get().getStatus().getPlan().getDigest();
            assertThatThrownBy(() -> annotate(bob, ns, Map.of(Approvals.APPROVE, second)))
                    .isInstanceOfSatisfying(
                            KubernetesClientException.class,
                            refused -> assertThat(refused.getMessage())
                                    .contains("spec.approval.distinctApprover: " + serviceAccount(ns, "bob")
                                            + " last changed the spec"));
            // A record forged along with the approval is replaced by what the API server said.
            annotate(carol, ns, Map.of(Approvals.APPROVE, second, Approvals.APPROVED_BY, "somebody-else"));

            DatabaseMigration ready = scenario.awaitReady("orders");
            assertThat(ready.getStatus().getRevision().getCurrent()).isEqualTo("2");
            assertThat(ready.getMetadata().getAnnotations())
                    .containsEntry(Approvals.APPROVED_BY, serviceAccount(ns, "carol"))
                    .containsEntry(Approvals.SPEC_CHANGED_BY, serviceAccount(ns, "bob"));
            RunStatus run = ready.getStatus().getLastRun();
            assertThat(run.getApprovedPlan()).isEqualTo(second);
            assertThat(run.getApprovedBy()).isEqualTo(serviceAccount(ns, "carol"));
            assertThat(run.getApproverGroups()).contains("system:serviceaccounts", "system:serviceaccounts:" + ns);
            assertThat(ready.getStatus().getHistory().get(0).getApprovedBy()).isEqualTo(serviceAccount(ns, "carol"));
            assertThat(scenario.jobs())
                    .singleElement()
                    .satisfies(job -> assertThat(job.getMetadata().getAnnotations())
                            .containsEntry(Approvals.APPROVED_BY, serviceAccount(ns, "carol")));
            scenario.awaitEvents("orders", "PlanApproved");
            assertThat(scenario.eventMessages("orders", "PlanApproved"))
                    .singleElement()
                    .asString()
                    .contains("runs plan " + second + ", approved by " + serviceAccount(ns, "carol"));
        }
    }

    /** A ServiceAccount bound to ClusterRoles in the namespace, and a client that authenticates as it. */
    private static KubernetesClient user(
            KubernetesClient admin, String namespace, String name, String... clusterRoles) {
        admin.serviceAccounts()
                .inNamespace(namespace)
                .resource(new ServiceAccountBuilder()
                        .withNewMetadata()
                        .withName(name)
                        .endMetadata()
                        .build())
                .create();
        for (String clusterRole : clusterRoles) {
            UserRoles.bind(
                    admin,
                    namespace,
                    new SubjectBuilder()
                            .withKind("ServiceAccount")
                            .withName(name)
                            .withNamespace(namespace)
                            .build(),
                    clusterRole);
        }
        String token = admin.serviceAccounts()
                .inNamespace(namespace)
                .withName(name)
                .tokenRequest(new TokenRequestBuilder()
                        .withNewSpec()
                        .withExpirationSeconds(3600L)
                        .endSpec()
                        .build())
                .getStatus()
                .getToken();
        Config own = admin.getConfiguration();
        Config config = new ConfigBuilder(Config.empty())
                .withMasterUrl(own.getMasterUrl())
                .withCaCertFile(own.getCaCertFile())
                .withCaCertData(own.getCaCertData())
                .withOauthToken(token)
                .build();
        return new KubernetesClientBuilder().withConfig(config).build();
    }

    private static String serviceAccount(String namespace, String name) {
        return "system:serviceaccount:" + namespace + ":" + name;
    }

    /** A merge patch of annotations, as kubectl annotate sends. */
    private static void annotate(KubernetesClient as, String namespace, Map<String, String> annotations) {
        as.resources(DatabaseMigration.class)
                .inNamespace(namespace)
                .withName("orders")
                .patch(
                        PatchContext.of(PatchType.JSON_MERGE),
                        Json.write(Map.of("metadata", Map.of("annotations", annotations))));
    }

    private void approve(String digest) {
        scenario.edit("orders", resource -> {
            Map<String, String> annotations = new HashMap<>(
                    resource.getMetadata().getAnnotations() == null
                            ? Map.of()
                            : resource.getMetadata().getAnnotations());
            annotations.put("schemagate.io/approve", digest);
            resource.getMetadata().setAnnotations(annotations);
        });
    }
}
