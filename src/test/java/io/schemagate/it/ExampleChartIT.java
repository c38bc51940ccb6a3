package io.schemagate.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.schemagate.api.DatabaseMigration;
import io.schemagate.contract.Outcome;
import io.schemagate.packaging.Chart;
import io.schemagate.testbed.TestBed;
import io.schemagate.testbed.TestNamespace;
import io.schemagate.testsupport.TestDatabases;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The example application chart (examples/orders-chart), which declares its schema dependency
 * through the library chart (helm/schemagate-lib), on the bed, installed and upgraded by a real
 * Helm. The operator here never retries on a timer (10 minute backoff and resync), so everything
 * that happens within the test's timeouts was driven by events.
 */
@ExtendWith(TestNamespace.Extension.class)
class ExampleChartIT {
    private static final Map<String, String> EVENTS_ONLY = Map.of(
            "SCHEMAGATE_RETRY_INITIAL_BACKOFF", "10m",
            "SCHEMAGATE_RETRY_MAX_BACKOFF", "10m",
            "SCHEMAGATE_RESYNC_INTERVAL", "10m");
    private static final String SLOW_V4 = "SELECT pg_sleep(4); ALTER TABLE orders ADD COLUMN status text;";
    private static OperatorProcess operator;

    @RegisterExtension
    final TestDatabases database = new TestDatabases();

    private String repository;

    @BeforeAll
    static void startOperator() {
        operator = OperatorProcess.start(TestBed.get(), EVENTS_ONLY);
    }

    @AfterAll
    static void stopOperator() {
        operator.close();
    }

    @BeforeEach
    void images() throws Exception {
        repository = TestImages.repository("orders");
        TestImages.image(repository + ":1.0", DatabaseMigrationIT.THREE);
        TestImages.image(repository + ":1.1", DatabaseMigrationIT.threeAnd(Map.of("V4__add_status.sql", SLOW_V4)));
    }

    @Test
    void helmUpgradeMigratesFirstAndTheRolloutCompletesAfter(TestNamespace namespace) {
        Scenario scenario = new Scenario(namespace, database);
        String release = "shop";
        try (GateWatch gates = new GateWatch(namespace)) {
            // Helm waits for the Deployment: it becomes Available only once its pods are released.
            Chart.install(Chart.EXAMPLE, namespace.bed().kubeconfig(), release, namespace.name(), values("1.0"));
            // Pods are released just before the status is written: wait for it rather than race it.
            await().atMost(Scenario.TIMEOUT)
                    .untilAsserted(() -> assertThat(scenario.resource("shop-orders")
                                    .get()
                                    .getStatus()
                                    .getRevision()
                                    .getCurrent())
                            .isEqualTo("3"));
            assertThat(gates.createdWith(repository + ":1.0")).isNotEmpty().allMatch(gates::wasCreatedHeld);

            Chart.upgrade(Chart.EXAMPLE, namespace.bed().kubeconfig(), release, namespace.name(), values("1.1"));

            await().atMost(Scenario.TIMEOUT)
                    .untilAsserted(() -> assertThat(scenario.resource("shop-orders")
                                    .get()
                                    .getStatus()
                                    .getRevision()
                                    .getCurrent())
                            .isEqualTo("4"));
            DatabaseMigration upgraded = scenario.resource("shop-orders").get();
            assertThat(upgraded.getStatus().getLastRun().getImage()).isEqualTo(repository + ":1.1");
            assertThat(upgraded.getStatus().getLastRun().getOutcome()).isEqualTo(Outcome.Succeeded);
            // The first new pod came while V4 ran: it waited behind the gate.
            assertThat(gates.createdWith(repository + ":1.1")).anyMatch(gates::wasCreatedHeld);
            Deployment deployment = namespace
                    .client()
                    .apps()
                    .deployments()
                    .inNamespace(namespace.name())
                    .withName("shop-orders")
                    .get();
            assertThat(deployment.getStatus().getUpdatedReplicas()).isEqualTo(2);
            assertThat(deployment.getStatus().getAvailableReplicas()).isEqualTo(2);
        } finally {
            Chart.uninstall(namespace.bed().kubeconfig(), release, namespace.name());
        }
    }

    @Test
    void anyApplyOrderConvergesWithoutWaitingForARetry(TestNamespace namespace) {
        Scenario scenario = new Scenario(namespace, database);
        List<HasMetadata> objects = Chart.render(Chart.EXAMPLE, "shop", namespace.name(), values("1.0"));
        var client = namespace.client();

        // The reverse of Helm's order: the DatabaseMigration first, the Deployment, the Secret last.
        client.resource(Chart.find(objects, DatabaseMigration.class, "shop-orders"))
                .inNamespace(namespace.name())
                .create();
        scenario.awaitCondition("shop-orders", "Reconciling", "SourceNotFound");
        client.resource(Chart.find(objects, Deployment.class, "shop-orders"))
                .inNamespace(namespace.name())
                .create();
        scenario.awaitCondition("shop-orders", "Reconciling", "SecretNotFound");
        client.resource(Chart.find(objects, Secret.class, "shop-orders-db"))
                .inNamespace(namespace.name())
                .create();

        assertThat(scenario.awaitReady("shop-orders").getStatus().getRevision().getCurrent())
                .isEqualTo("3");
        await("Deployment available")
                .atMost(Scenario.TIMEOUT)
                .until(
                        () -> client.apps()
                                .deployments()
                                .inNamespace(namespace.name())
                                .withName("shop-orders")
                                .get()
                                .getStatus()
                                .getAvailableReplicas(),
                        available -> Integer.valueOf(2).equals(available));
    }

    private Map<String, String> values(String tag) {
        return Map.of(
                "image.repository",
                repository,
                "image.tag",
                tag,
                "schemagate.database.url",
                database.url(),
                "schemagate.database.credentialsSecret",
                "shop-orders-db",
                "credentials.create",
                "true",
                "credentials.username",
                database.user(),
                "credentials.password",
                database.password());
    }
}
