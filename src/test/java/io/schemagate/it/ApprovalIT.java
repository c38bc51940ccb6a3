package io.schemagate.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Pod;
import io.schemagate.api.ApprovalSpec;
import io.schemagate.api.DatabaseMigration;
import io.schemagate.api.PlanStatus;
import io.schemagate.gate.Gating;
import io.schemagate.gate.PodGate;
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
