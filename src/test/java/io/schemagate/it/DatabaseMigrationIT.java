package io.schemagate.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.schemagate.api.DatabaseMigration;
import io.schemagate.api.RunStatus;
import io.schemagate.api.SecretKeyReference;
import io.schemagate.api.ValueSource;
import io.schemagate.contract.Outcome;
import io.schemagate.support.Json;
import io.schemagate.testbed.TestNamespace;
import io.schemagate.testsupport.TestDatabases;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The core loop on the test bed: Jobs really run the runner against PostgreSQL. */
@ExtendWith(TestNamespace.Extension.class)
class DatabaseMigrationIT {
    static final Map<String, String> THREE = Map.of(
            "V1__create_customers.sql", "CREATE TABLE customers (id bigint PRIMARY KEY, name text NOT NULL);",
            "V2__create_orders.sql",
                    "CREATE TABLE orders (id bigint PRIMARY KEY, customer bigint REFERENCES customers);",
            "V3__index_orders.sql", "CREATE INDEX orders_customer ON orders (customer);");

    /** {@link #THREE} with more scripts, or some of its scripts replaced. */
    static Map<String, String> threeAnd(Map<String, String> more) {
        Map<String, String> scripts = new HashMap<>(THREE);
        scripts.putAll(more);
        return scripts;
    }

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
    void migratesToTheLatestRevisionAndRecordsItFromTheDatabase() throws Exception {
        scenario.scripts("orders-migrations", THREE);
        scenario.apply("orders", "orders-migrations", spec -> {});

        DatabaseMigration ready = scenario.awaitReady("orders");

        assertThat(ready.getStatus().getObservedGeneration())
                .isEqualTo(ready.getMetadata().getGeneration());
        assertThat(ready.getStatus().getRevision().getCurrent()).isEqualTo("3");
        assertThat(ready.getStatus().getRevision().getApplied()).isEqualTo(3);
        assertThat(ready.getStatus().getRevision().getPending()).isEmpty();
        RunStatus run = ready.getStatus().getLastRun();
        assertThat(run.getOutcome()).isEqualTo(Outcome.Succeeded);
        assertThat(run.getFrom()).isNull();
        assertThat(run.getTo()).isEqualTo("3");
        assertThat(run.getApplied()).isEqualTo(3);
        assertThat(ready.getStatus().getHistory()).hasSize(1);
        assertThat(scenario.tableExists("orders")).isTrue();

        Job job = scenario.jobs().get(0);
        assertThat(job.getMetadata().getName()).isEqualTo(run.getJob()).startsWith("orders-");
        assertThat(job.getMetadata().getOwnerReferences())
                .singleElement()
                .satisfies(owner ->
                        assertThat(owner.getUid()).isEqualTo(ready.getMetadata().getUid()));
        Container runner = job.getSpec().getTemplate().getSpec().getContainers().get(0);
        assertThat(runner.getSecurityContext().getReadOnlyRootFilesystem()).isTrue();
        assertThat(runner.getSecurityContext().getAllowPrivilegeEscalation()).isFalse();
        assertThat(runner.getSecurityContext().getCapabilities().getDrop()).containsExactly("ALL");
        assertThat(runner.getEnv())
                .noneSatisfy(env -> assertThat(env.getValue()).contains(database.password()));

        scenario.awaitEvents("orders", "MigrationStarted", "MigrationSucceeded");
        assertThat(Json.write(ready.getStatus())).doesNotContain(database.password());
        assertThat(operator.log()).contains("started Job " + run.getJob()).doesNotContain(database.password());
        assertThat(operator.metrics())
                .containsPattern("schemagate_runs_started_total\\{namespace=\""
                        + ready.getMetadata().getNamespace())
                .containsPattern("schemagate_runs_ended_total\\{namespace=\""
                        + ready.getMetadata().getNamespace() + "\",outcome=\"Succeeded\",reason=\"None\"} 1.0")
                .contains("schemagate_run_duration_seconds_count{outcome=\"Succeeded\"}");
    }

    @Test
    void aNewScriptStartsANewRunAndAnUnchangedSetNeverRunsAgain() throws Exception {
        scenario.scripts("orders-migrations", THREE);
        scenario.apply("orders", "orders-migrations", spec -> {});
        scenario.awaitReady("orders");

        // Resyncs come every 3 s in tests: several pass, and none starts a Job.
        await().during(Duration.ofSeconds(8))
                .atMost(Duration.ofSeconds(12))
                .until(() -> scenario.jobs().size() == 1);

        var four = new java.util.HashMap<>(THREE);
        four.put("V4__add_status.sql", "ALTER TABLE orders ADD COLUMN status text;");
        scenario.scripts("orders-migrations", four);

        await().atMost(Scenario.TIMEOUT).untilAsserted(() -> {
            DatabaseMigration resource = scenario.resource("orders").get();
            assertThat(resource.getStatus().getRevision().getCurrent()).isEqualTo("4");
            assertThat(resource.getStatus().getLastRun().getFrom()).isEqualTo("3");
            assertThat(resource.getStatus().getLastRun().getApplied()).isEqualTo(1);
        });
        scenario.awaitReady("orders");
        assertThat(scenario.jobs()).hasSize(2);
        assertThat(scenario.resource("orders").get().getStatus().getHistory()).hasSize(2);
    }

    @Test
    void finishedJobsBeyondTheNewestThreeAreDeletedOnceRecorded() throws Exception {
        Map<String, String> scripts = new HashMap<>(THREE);
        scenario.scripts("orders-migrations", scripts);
        scenario.apply("orders", "orders-migrations", spec -> {});
        scenario.awaitReady("orders");
        for (int version = 4; version <= 6; version++) {
            scripts.put("V" + version + "__more.sql", "CREATE TABLE more_" + version + " (id int);");
            scenario.scripts("orders-migrations", scripts);
            String expected = Integer.toString(version);
            await().atMost(Scenario.TIMEOUT)
                    .until(() -> expected.equals(scenario.resource("orders")
                            .get()
                            .getStatus()
                            .getRevision()
                            .getCurrent()));
        }

        await().atMost(Scenario.TIMEOUT)
                .untilAsserted(() -> assertThat(scenario.jobs())
                        .filteredOn(job -> job.getMetadata().getDeletionTimestamp() == null)
                        .hasSize(3));
        assertThat(scenario.resource("orders").get().getStatus().getHistory())
                .hasSize(4)
                .allSatisfy(run -> assertThat(run.getOutcome()).isEqualTo(Outcome.Succeeded));
    }

    /**
     * A Secret shaped exactly like CloudNativePG's application Secret: its jdbc-uri carries user and
     * password, and nothing else is needed. The password shows nowhere the operator writes.
     */
    @Test
    void aCloudNativePgApplicationSecretAloneIsEnough() {
        String jdbcUri = database.url() + "?password=" + URLEncoder.encode(database.password(), StandardCharsets.UTF_8)
                + "&user=" + database.user();
        scenario.namespace()
                .client()
                .secrets()
                .inNamespace(scenario.namespace().name())
                .resource(new SecretBuilder()
                        .withNewMetadata()
                        .withName("orders-db-app")
                        .endMetadata()
                        .withType("kubernetes.io/basic-auth")
                        .addToStringData("username", database.user())
                        .addToStringData("password", database.password())
                        .addToStringData("host", "orders-db-rw")
                        .addToStringData("port", TestDatabases.hostAndPort().split(":", -1)[1])
                        .addToStringData("dbname", database.name())
                        .addToStringData(
                                "uri",
                                "postgresql://" + database.user() + ":" + database.password() + "@orders-db-rw:5432/"
                                        + database.name())
                        .addToStringData("jdbc-uri", jdbcUri)
                        .build())
                .create();
        scenario.scripts("orders-migrations", THREE);
        scenario.apply("orders", "orders-migrations", spec -> {
            spec.getDatabase().setUrl(null);
            spec.getDatabase().setCredentialsSecret(null);
            spec.getDatabase().setUrlFrom(new ValueSource(new SecretKeyReference("orders-db-app", "jdbc-uri")));
        });

        DatabaseMigration ready = scenario.awaitReady("orders");

        assertThat(ready.getStatus().getRevision().getCurrent()).isEqualTo("3");
        assertThat(Json.write(ready.getStatus())).doesNotContain(database.password());
        Container runner = scenario.jobs()
                .get(0)
                .getSpec()
                .getTemplate()
                .getSpec()
                .getContainers()
                .get(0);
        assertThat(runner.getEnv()).extracting(EnvVar::getName).doesNotContain("SCHEMAGATE_DB_PASSWORD");
        assertThat(operator.log()).doesNotContain(database.password());
    }

    /** A name longer than a label value may be (63): its Job's labels are shortened, not refused. */
    @Test
    void aResourceWithALongNameRunsItsMigrations() {
        String name = "orders-" + "x".repeat(90) + ".shop";
        scenario.scripts("orders-migrations", THREE);
        scenario.apply(name, "orders-migrations", spec -> {});

        assertThat(scenario.awaitReady(name).getStatus().getRevision().getCurrent())
                .isEqualTo("3");
        assertThat(scenario.jobs())
                .singleElement()
                .satisfies(job -> assertThat(job.getMetadata().getLabels())
                        .allSatisfy((key, value) -> assertThat(value).hasSizeLessThanOrEqualTo(63)));
    }
}
