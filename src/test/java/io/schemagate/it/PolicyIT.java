package io.schemagate.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Event;
import io.schemagate.api.DatabaseMigration;
import io.schemagate.api.FindingStatus;
import io.schemagate.api.PolicySpec;
import io.schemagate.policy.PolicyAction;
import io.schemagate.testbed.TestNamespace;
import io.schemagate.testsupport.TestDatabases;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/** spec.policy on the bed: pending scripts parsed by PostgreSQL's own parser before any run starts. */
@ExtendWith(TestNamespace.Extension.class)
class PolicyIT {
    static final Map<String, String> SCHEMA = Map.of(
            "V1__orders.sql",
            "CREATE TABLE orders (id bigint PRIMARY KEY, customer bigint, note text);\n"
                    + "CREATE INDEX orders_by_customer ON orders (customer);");

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
    void aRefusedStatementStallsTheRunUntilTheScriptAcceptsIt(TestNamespace namespace) throws Exception {
        scenario.scripts("schema", SCHEMA);
        scenario.apply("orders", "schema", spec -> {
            spec.setPolicy(new PolicySpec());
            spec.getPolicy().setDestructive(PolicyAction.Refuse);
        });
        // A table created by the same plan is new: its blocking index is no risk.
        DatabaseMigration first = scenario.awaitReady("orders");
        assertThat(first.getStatus().getFindings()).isNull();

        Map<String, String> next = new HashMap<>(SCHEMA);
        next.put("V2__drop_note.sql", "-- The note moved to order_notes.\nALTER TABLE orders DROP COLUMN note;\n");
        scenario.scripts("schema", next);

        DatabaseMigration stalled = scenario.awaitCondition("orders", "Stalled", "PolicyViolation");
        assertThat(Scenario.condition(stalled, "Stalled").orElseThrow().getMessage())
                .contains("refuses V2__drop_note.sql:2 drop-column")
                .contains("-- schemagate:allow drop-column");
        FindingStatus finding = stalled.getStatus().getFindings().get(0);
        assertThat(finding.getRule()).isEqualTo("drop-column");
        assertThat(finding.getRiskClass()).isEqualTo("destructive");
        assertThat(finding.getLine()).isEqualTo(2);
        assertThat(finding.getStatement()).isEqualTo("ALTER TABLE orders DROP COLUMN note");
        assertThat(finding.getAction()).isEqualTo("Refuse");
        assertThat(scenario.jobs()).hasSize(1);
        assertThat(database.query("SELECT count(*) FROM information_schema.columns WHERE column_name = 'note'"))
                .containsExactly("1");

        next.put(
                "V2__drop_note.sql",
                "-- The note moved to order_notes.\n-- schemagate:allow drop-column\n"
                        + "ALTER TABLE orders DROP COLUMN note;\n");
        scenario.scripts("schema", next);

        await("the accepted script ran")
                .atMost(Scenario.TIMEOUT)
                .until(() -> "2"
                        .equals(scenario.resource("orders")
                                .get()
                                .getStatus()
                                .getRevision()
                                .getCurrent()));
        await("the findings' event")
                .atMost(Scenario.TIMEOUT)
                .untilAsserted(() -> assertThat(policyEvents(namespace))
                        .anySatisfy(message -> assertThat(message).contains("V2__drop_note.sql:3 drop-column")));
        assertThat(database.query("SELECT count(*) FROM information_schema.columns WHERE column_name = 'note'"))
                .containsExactly("0");
    }

    @Test
    void aLockingStatementOnALiveTableWaitsForApprovalAndAWarningLetsTheRunGo(TestNamespace namespace)
            throws Exception {
        scenario.scripts("schema", SCHEMA);
        scenario.apply("orders", "schema", spec -> {
            spec.setPolicy(new PolicySpec());
            spec.getPolicy().setLocking(PolicyAction.RequireApproval);
        });
        scenario.awaitReady("orders");

        Map<String, String> next = new HashMap<>(SCHEMA);
        next.put("V2__index_notes.sql", "CREATE INDEX orders_by_note ON orders (note);");
        next.put("V3__truncate.sql", "TRUNCATE orders;");
        scenario.scripts("schema", next);

        DatabaseMigration awaiting = scenario.awaitCondition("orders", "Reconciling", "AwaitingApproval");
        assertThat(Scenario.condition(awaiting, "Reconciling").orElseThrow().getMessage())
                .contains("the change policy asks for it: V2__index_notes.sql:1 create-index-blocking");
        assertThat(awaiting.getStatus().getFindings())
                .extracting(FindingStatus::getRule, FindingStatus::getAction)
                .containsExactly(tuple("create-index-blocking", "RequireApproval"), tuple("truncate", "Warn"));
        assertThat(scenario.jobs()).hasSize(1);

        String digest = awaiting.getStatus().getPlan().getDigest();
        scenario.edit(
                "orders", resource -> resource.getMetadata().setAnnotations(Map.of("schemagate.io/approve", digest)));

        await("the approved run applied both")
                .atMost(Scenario.TIMEOUT)
                .until(() -> "3"
                        .equals(scenario.resource("orders")
                                .get()
                                .getStatus()
                                .getRevision()
                                .getCurrent()));
        DatabaseMigration ready = scenario.awaitReady("orders");
        assertThat(ready.getStatus().getLastRun().getApprovedPlan()).isEqualTo(digest);
        assertThat(ready.getStatus().getFindings()).as("nothing pending").isNull();
        await("the findings' event")
                .atMost(Scenario.TIMEOUT)
                .untilAsserted(() -> assertThat(policyEvents(namespace))
                        .anySatisfy(message -> assertThat(message)
                                .startsWith("2 risky statement(s)")
                                .contains("V3__truncate.sql:1 truncate")));
    }

    private static List<String> policyEvents(TestNamespace namespace) {
        return namespace.client().v1().events().inNamespace(namespace.name()).list().getItems().stream()
                .filter(event -> "PolicyFindings".equals(event.getReason()))
                .map(Event::getMessage)
                .toList();
    }
}
