package io.schemagate.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.schemagate.api.ConfigMapSource;
import io.schemagate.api.DatabaseMigration;
import io.schemagate.api.DatabaseMigrationSpec;
import io.schemagate.api.RunStatus;
import io.schemagate.api.SqlxSpec;
import io.schemagate.api.WorkloadSource;
import io.schemagate.contract.Outcome;
import io.schemagate.db.Engine;
import io.schemagate.gate.Gating;
import io.schemagate.gate.PodGate;
import io.schemagate.testbed.TestNamespace;
import io.schemagate.testsupport.TestDatabases;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A resource of engine sqlx on the test bed: its Job runs the runner's sqlx engine against PostgreSQL. */
@ExtendWith(TestNamespace.Extension.class)
class SqlxEngineIT {
    /** Shaped like the sets sqlx users keep: timestamp versions, a reversible pair, a concurrent build. */
    static final Map<String, String> SCHEMA = Map.of(
            "20250101000001_initial_setup.sql",
                    "CREATE SCHEMA IF NOT EXISTS app; CREATE TYPE order_state AS ENUM ('new', 'paid', 'shipped');",
            "20250101000002_orders.up.sql",
                    "CREATE TABLE orders (id bigint PRIMARY KEY, state order_state NOT NULL"
                            + " DEFAULT 'new', tags jsonb);",
            "20250101000002_orders.down.sql", "DROP TABLE orders;");

    static final Map<String, String> INDEXES = Map.of(
            "20250101000003_order_tags.sql",
            "-- no-transaction\nCREATE INDEX CONCURRENTLY orders_tags ON orders USING gin (tags);");

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
    void migratesFromTwoConfigMapsAndReadsTheRevisionFromSqlxsTable() throws Exception {
        scenario.scripts("schema", SCHEMA);
        scenario.scripts("indexes", INDEXES);
        scenario.apply("orders", "schema", spec -> {
            sqlx(spec);
            spec.getSource().setConfigMaps(List.of(new ConfigMapSource("schema"), new ConfigMapSource("indexes")));
        });

        DatabaseMigration ready = scenario.awaitReady("orders");

        assertThat(ready.getStatus().getRevision().getCurrent()).isEqualTo("20250101000003");
        assertThat(ready.getStatus().getRevision().getApplied()).isEqualTo(3);
        assertThat(ready.getStatus().getRevision().getPending()).isEmpty();
        assertThat(ready.getStatus().getRevision().getDrift()).isNull();
        RunStatus run = ready.getStatus().getLastRun();
        assertThat(run.getOutcome()).isEqualTo(Outcome.Succeeded);
        assertThat(run.getApplied()).isEqualTo(3);
        assertThat(database.query("SELECT version || ' ' || description || ' ' || success"
                        + " FROM _sqlx_migrations ORDER BY version"))
                .containsExactly(
                        "20250101000001 initial setup true",
                        "20250101000002 orders true",
                        "20250101000003 order tags true");
        assertThat(scenario.jobs())
                .singleElement()
                .satisfies(job -> assertThat(job.getSpec()
                                .getTemplate()
                                .getSpec()
                                .getContainers()
                                .get(0)
                                .getEnv())
                        .anySatisfy(env -> assertThat(env.getValue()).isEqualTo("sqlx")));
        assertThat(scenario.tableExists("orders")).isTrue();
    }

    @Test
    void podsWaitForAnSqlxVersionAndAreReleasedWhenItIsApplied(TestNamespace namespace) throws Exception {
        scenario.scripts("schema", SCHEMA);
        scenario.apply("orders", "schema", SqlxEngineIT::sqlx);
        scenario.awaitReady("orders");

        Pod satisfied = create(
                namespace, GatingIT.pod("needs-2", "orders", Map.of(Gating.REVISION_ANNOTATION, "20250101000002")));
        Pod waiting = create(
                namespace, GatingIT.pod("needs-3", "orders", Map.of(Gating.REVISION_ANNOTATION, "20250101000003")));
        assertThat(PodGate.isHeld(satisfied)).isFalse();
        assertThat(PodGate.isHeld(waiting)).isTrue();

        Map<String, String> more = new HashMap<>(SCHEMA);
        more.putAll(INDEXES);
        scenario.scripts("schema", more);

        await().atMost(Scenario.TIMEOUT)
                .untilAsserted(() -> assertThat(namespace
                                .client()
                                .pods()
                                .inNamespace(namespace.name())
                                .withName("needs-3")
                                .get()
                                .getSpec()
                                .getSchedulingGates())
                        .isNullOrEmpty());
        // Released by the reconcile that read the new version, just before it writes the status.
        await().atMost(Scenario.TIMEOUT)
                .untilAsserted(() -> assertThat(scenario.resource("orders")
                                .get()
                                .getStatus()
                                .getRevision()
                                .getCurrent())
                        .isEqualTo("20250101000003"));
    }

    @Test
    void aRolloutWaitsForTheSqlxScriptsOfItsNewImageAndARollbackDoesNot(TestNamespace namespace) throws Exception {
        String repository = TestImages.repository("orders");
        TestImages.image(repository + ":1.0", SCHEMA);
        Map<String, String> next = new HashMap<>(SCHEMA);
        // Slow enough that the new pod is seen waiting for it.
        next.put("20250101000003_order_notes.sql", "SELECT pg_sleep(4); ALTER TABLE orders ADD COLUMN note text;");
        TestImages.image(repository + ":1.1", next);
        Workloads.create(namespace, "orders", repository + ":1.0", 1);
        scenario.apply("orders", "unused", spec -> {
            sqlx(spec);
            WorkloadSource workload = new WorkloadSource();
            workload.setName("orders");
            workload.setPath(TestImages.MIGRATIONS);
            spec.getSource().setConfigMaps(null);
            spec.getSource().setWorkload(workload);
        });
        assertThat(scenario.awaitReady("orders").getStatus().getRevision().getCurrent())
                .isEqualTo("20250101000002");

        try (GateWatch gates = new GateWatch(namespace)) {
            Workloads.setImage(namespace, "orders", repository + ":1.1");
            await("a pod of 1.1 held")
                    .atMost(Scenario.TIMEOUT)
                    .until(() -> gates.createdWith(repository + ":1.1").stream().anyMatch(gates::wasCreatedHeld));
            await("the pod of 1.1 released at the new revision")
                    .atMost(Scenario.TIMEOUT)
                    .untilAsserted(() -> {
                        DatabaseMigration resource = scenario.resource("orders").get();
                        assertThat(resource.getStatus().getRevision().getCurrent())
                                .isEqualTo("20250101000003");
                        assertThat(resource.getStatus().getGatedPods()).isZero();
                        assertThat(appPods(namespace, repository + ":1.1"))
                                .isNotEmpty()
                                .allSatisfy(pod -> assertThat(pod.getSpec().getSchedulingGates())
                                        .isNullOrEmpty());
                    });

            Workloads.setImage(namespace, "orders", repository + ":1.0");
            await("a pod of 1.0 again")
                    .atMost(Scenario.TIMEOUT)
                    .until(() -> !gates.createdWith(repository + ":1.0").isEmpty());
            assertThat(gates.createdWith(repository + ":1.0")).noneMatch(gates::wasCreatedHeld);
        }
    }

    @Test
    void twoResourcesShareOneTableWhenTheSecondIgnoresTheFirstsVersions() throws Exception {
        scenario.scripts("schema", SCHEMA);
        scenario.scripts("indexes", INDEXES);
        scenario.apply("orders", "schema", SqlxEngineIT::sqlx);
        scenario.awaitReady("orders");
        scenario.apply("orders-indexes", "indexes", spec -> {
            sqlx(spec);
            spec.setSqlx(new SqlxSpec());
            spec.getSqlx().setIgnoreMissing(true);
        });

        DatabaseMigration indexes = scenario.awaitReady("orders-indexes");

        assertThat(indexes.getStatus().getRevision().getCurrent()).isEqualTo("20250101000003");
        assertThat(indexes.getStatus().getRevision().getDrift()).isNull();
        assertThat(indexes.getStatus().getLastRun().getApplied()).isEqualTo(1);
        assertThat(database.query("SELECT count(*) FROM _sqlx_migrations")).containsExactly("3");
        // The first one sees the second's version above its scripts: drift, nothing to run.
        await().atMost(Scenario.TIMEOUT)
                .untilAsserted(() -> assertThat(scenario.resource("orders")
                                .get()
                                .getStatus()
                                .getRevision()
                                .getDrift())
                        .contains("applied but not in the source: 20250101000003"));
        assertThat(scenario.awaitReady("orders").getStatus().getHistory()).hasSize(1);
    }

    @Test
    void anEditedAppliedScriptStallsAsChecksumMismatch() throws Exception {
        scenario.scripts("schema", SCHEMA);
        scenario.apply("orders", "schema", SqlxEngineIT::sqlx);
        scenario.awaitReady("orders");

        Map<String, String> edited = new HashMap<>(SCHEMA);
        edited.put("20250101000002_orders.up.sql", "CREATE TABLE orders (id bigint PRIMARY KEY);");
        scenario.scripts("schema", edited);

        DatabaseMigration stalled = scenario.awaitCondition("orders", "Stalled", "ChecksumMismatch");
        assertThat(Scenario.condition(stalled, "Stalled").orElseThrow().getMessage())
                .contains("20250101000002_orders.up.sql");
        assertThat(scenario.jobs()).hasSize(1);
    }

    @Test
    void aDirtyDatabaseStallsWithWhatToDo() throws Exception {
        scenario.scripts("schema", SCHEMA);
        scenario.apply("orders", "schema", SqlxEngineIT::sqlx);
        scenario.awaitReady("orders");

        // As another tool's broken run leaves it; the next resync reads it.
        scenario.sql("UPDATE _sqlx_migrations SET success = false WHERE version = 20250101000002");

        DatabaseMigration stalled = scenario.awaitCondition("orders", "Stalled", "FailedMigrationInHistory");
        assertThat(Scenario.condition(stalled, "Stalled").orElseThrow().getMessage())
                .contains("20250101000002 (orders)")
                .contains("delete its row from public._sqlx_migrations");
    }

    @Test
    void anotherToolsTableOfTheSameNameStallsNamingIt() throws Exception {
        scenario.sql("CREATE TABLE _sqlx_migrations (id serial PRIMARY KEY, name text)");
        scenario.scripts("schema", SCHEMA);
        scenario.apply("orders", "schema", SqlxEngineIT::sqlx);

        DatabaseMigration stalled = scenario.awaitCondition("orders", "Stalled", "UnexpectedHistoryTable");
        assertThat(Scenario.condition(stalled, "Stalled").orElseThrow().getMessage())
                .contains("public._sqlx_migrations is not sqlx's history table");
        assertThat(scenario.jobs()).isEmpty();
    }

    @Test
    void theExampleMigratesAndItsVerifyScriptPasses(TestNamespace namespace) throws Exception {
        Path example = Path.of("examples/sqlx");
        Map<String, String> files = new HashMap<>();
        try (Stream<Path> scripts = Files.list(example.resolve("migrations"))) {
            for (Path script : scripts.toList()) {
                files.put(script.getFileName().toString(), Files.readString(script));
            }
        }
        scenario.scripts("catalog-migrations", files);
        namespace
                .client()
                .secrets()
                .inNamespace(namespace.name())
                .resource(new SecretBuilder()
                        .withNewMetadata()
                        .withName("catalog-db")
                        .endMetadata()
                        .addToStringData("url", database.url())
                        .addToStringData("username", database.user())
                        .addToStringData("password", database.password())
                        .build())
                .create();
        try (InputStream yaml = Files.newInputStream(example.resolve("databasemigration.yaml"))) {
            namespace
                    .client()
                    .resources(DatabaseMigration.class)
                    .inNamespace(namespace.name())
                    .load(yaml)
                    .create();
        }

        DatabaseMigration ready = scenario.awaitReady("catalog");

        assertThat(ready.getStatus().getRevision().getCurrent()).isEqualTo("20250101000005");
        assertThat(ready.getStatus().getRevision().getApplied()).isEqualTo(5);
        try (Connection connection = database.connect();
                Statement statement = connection.createStatement();
                ResultSet row = statement.executeQuery(files.get("verify.sql"))) {
            assertThat(row.next()).isTrue();
            for (int column = 1; column <= row.getMetaData().getColumnCount(); column++) {
                assertThat(row.getBoolean(column))
                        .as(row.getMetaData().getColumnName(column))
                        .isTrue();
            }
        }
    }

    private static List<Pod> appPods(TestNamespace namespace, String image) {
        return namespace
                .client()
                .pods()
                .inNamespace(namespace.name())
                .withLabel("app", "orders")
                .list()
                .getItems()
                .stream()
                .filter(pod -> pod.getMetadata().getDeletionTimestamp() == null)
                .filter(pod -> image.equals(pod.getSpec().getContainers().get(0).getImage()))
                .toList();
    }

    static void sqlx(DatabaseMigrationSpec spec) {
        spec.setEngine(Engine.sqlx);
    }

    private static Pod create(TestNamespace namespace, Pod pod) {
        return namespace
                .client()
                .pods()
                .inNamespace(namespace.name())
                .resource(pod)
                .create();
    }
}
