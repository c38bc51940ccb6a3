package io.schemagate.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.schemagate.api.DatabaseMigration;
import io.schemagate.contract.Outcome;
import io.schemagate.packaging.Chart;
import io.schemagate.testsupport.TestDatabases;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The examples as users apply them (kubectl apply -k, helm install), against the operator the chart
 * installed, on the real node: the runner Jobs are containers of the SchemaGate image, the
 * applications' pods are held by the gate until their schema is in, then really run.
 */
class ExamplesOnRealNodeIT {
    @RegisterExtension
    static final InstalledOperator operator =
            new InstalledOperator("examples", List.of("e2e-quickstart", "e2e-sqlx", "e2e-alembic", "e2e-orders"));

    private final Cluster cluster = new Cluster();
    private final List<TestDatabases> databases = new java.util.ArrayList<>();

    @AfterEach
    void dropDatabases() throws Exception {
        for (TestDatabases database : databases) {
            database.drop();
        }
    }

    @Test
    void theQuickstartRunsItsMigrationsInTheImageAndReleasesItsPods() throws Exception {
        String ns = "e2e-quickstart";
        databases.add(cluster.databaseSecret(ns, "shop-db"));

        cluster.kubectl("apply", "-n", ns, "-k", "examples/quickstart");

        DatabaseMigration ready = cluster.awaitReady(ns, "shop");
        assertThat(ready.getStatus().getRevision().getCurrent()).isEqualTo("3");
        assertThat(ready.getStatus().getLastRun().getOutcome()).isEqualTo(Outcome.Succeeded);
        Job job = cluster.jobs(ns).get(0);
        cluster.jobPods(ns, job).forEach(cluster::assertRanInAContainer);
        cluster.awaitEvents(ns, "shop", "MigrationStarted", "MigrationSucceeded", "PodsHeld", "PodsReleased");
        cluster.awaitRunning(ns, Map.of("app", "shop"), 2);
    }

    @Test
    void theSqlxExampleRunsInTheImage() throws Exception {
        String ns = "e2e-sqlx";
        databases.add(cluster.databaseSecret(ns, "catalog-db"));

        cluster.kubectl("apply", "-n", ns, "-k", "examples/sqlx");

        DatabaseMigration ready = cluster.awaitReady(ns, "catalog");
        assertThat(ready.getStatus().getRevision().getCurrent()).isEqualTo("20250101000005");
        cluster.jobPods(ns, cluster.jobs(ns).get(0)).forEach(cluster::assertRanInAContainer);
    }

    /** Alembic of the application's own image, with its Python, SQLAlchemy and psycopg, in a container. */
    @Test
    void theAlembicExampleRunsAlembicFromTheApplicationsImage() throws Exception {
        String ns = "e2e-alembic";
        TestDatabases database = cluster.databaseSecret(ns, "accounts-db");
        databases.add(database);

        cluster.kubectl("apply", "-n", ns, "-k", "examples/alembic");

        DatabaseMigration ready = cluster.awaitReady(ns, "accounts");
        assertThat(database.query("SELECT version_num FROM alembic_version"))
                .containsExactly(ready.getStatus().getRevision().getCurrent());
        cluster.jobPods(ns, cluster.jobs(ns).get(0)).forEach(cluster::assertRanInAContainer);
        cluster.awaitRunning(ns, Map.of("app", "accounts"), 2);
    }

    /**
     * The example chart, through the library chart: installed, then upgraded to a new image whose
     * scripts are migrated ahead of its rollout; then to an image whose migration fails, whose pods
     * stay held while the old ones serve; then rolled back, which nothing holds.
     */
    @Test
    void theOrdersChartMigratesAheadOfEachRolloutHoldsAFailedOneAndNeverARollback() throws Exception {
        String ns = "e2e-orders";
        TestDatabases database = TestDatabases.fresh();
        databases.add(database);
        Map<String, String> values = Map.of(
                "schemagate.database.url", cluster.node.jdbcUrl(database.name()),
                "credentials.create", "true",
                "credentials.username", database.user(),
                "credentials.password", database.password());
        Map<String, String> app = Map.of("app.kubernetes.io/name", "orders");
        Chart.install(Chart.EXAMPLE, cluster.bed.kubeconfig(), "shop", ns, values);
        cluster.awaitReady(ns, "shop-orders");
        cluster.awaitRunning(ns, app, 2);
        assertThat(cluster.migration(ns, "shop-orders")
                        .getStatus()
                        .getRevision()
                        .getCurrent())
                .isEqualTo("2");

        Images.withScripts(
                "example.com/orders:1.1",
                "example.com/orders:1.0",
                "/app/db/migration",
                Map.of("V3__index_orders_by_customer.sql", "CREATE INDEX orders_by_customer ON orders (customer);\n"));
        upgrade(ns, values, "1.1");
        await("1.1 rolled out")
                .atMost(Cluster.TIMEOUT)
                .until(() -> cluster.pods(ns, app).stream()
                        .allMatch(pod -> image(pod).endsWith(":1.1") && cluster.runsOnTheNode(pod)));
        DatabaseMigration migrated = cluster.awaitReady(ns, "shop-orders");
        assertThat(migrated.getStatus().getRevision().getCurrent()).isEqualTo("3");
        assertThat(migrated.getStatus().getLastRun().getImage()).isEqualTo("example.com/orders:1.1");

        Images.withScripts(
                "example.com/orders:1.2",
                "example.com/orders:1.1",
                "/app/db/migration",
                Map.of("V4__broken.sql", "ALTER TABLE no_such_table ADD COLUMN x int;\n"));
        upgradeWithoutWaiting(ns, values, "1.2");
        cluster.awaitCondition(ns, "shop-orders", "Stalled", "True", "MigrationFailed");
        await("1.2's pods held while 1.1's serve").atMost(Cluster.TIMEOUT).untilAsserted(() -> {
            List<Pod> pods = cluster.pods(ns, app);
            assertThat(pods)
                    .filteredOn(pod -> image(pod).endsWith(":1.2"))
                    .isNotEmpty()
                    .allMatch(Cluster::held);
            assertThat(pods)
                    .filteredOn(pod -> image(pod).endsWith(":1.1"))
                    .hasSize(2)
                    .allMatch(cluster::runsOnTheNode);
        });
        assertThat(database.query("SELECT count(*) FROM flyway_schema_history WHERE version = '4'"))
                .as("nothing of the failed script recorded")
                .containsExactly("0");

        upgrade(ns, values, "1.1");
        await("rolled back to 1.1, nothing held")
                .atMost(Cluster.TIMEOUT)
                .untilAsserted(() -> assertThat(cluster.pods(ns, app))
                        .hasSize(2)
                        .allMatch(pod -> image(pod).endsWith(":1.1") && cluster.runsOnTheNode(pod)));
        Chart.uninstall(cluster.bed.kubeconfig(), "shop", ns);
    }

    private void upgrade(String ns, Map<String, String> values, String tag) {
        Map<String, String> withTag = new java.util.HashMap<>(values);
        withTag.put("image.tag", tag);
        Chart.upgrade(Chart.EXAMPLE, cluster.bed.kubeconfig(), "shop", ns, withTag);
    }

    /** An upgrade whose rollout cannot complete while its pods are held: Helm must not wait for it. */
    private void upgradeWithoutWaiting(String ns, Map<String, String> values, String tag) {
        Map<String, String> withTag = new java.util.HashMap<>(values);
        withTag.put("image.tag", tag);
        Chart.upgradeNoWait(Chart.EXAMPLE, cluster.bed.kubeconfig(), "shop", ns, withTag);
    }

    private static String image(Pod pod) {
        return pod.getSpec().getContainers().get(0).getImage();
    }
}
