package io.schemagate.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceQuota;
import io.fabric8.kubernetes.api.model.ResourceQuotaBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.schemagate.api.AdoptSpec;
import io.schemagate.api.CommandHistorySpec;
import io.schemagate.api.CommandSpec;
import io.schemagate.api.DatabaseMigration;
import io.schemagate.api.DatabaseMigrationSpec;
import io.schemagate.api.DowngradeSpec;
import io.schemagate.api.ImageSource;
import io.schemagate.api.RunStatus;
import io.schemagate.contract.Outcome;
import io.schemagate.db.Engine;
import io.schemagate.db.HistoryFormat;
import io.schemagate.gate.Gating;
import io.schemagate.gate.PodGate;
import io.schemagate.reconcile.MigrationJob;
import io.schemagate.support.Json;
import io.schemagate.testbed.TestBed;
import io.schemagate.testbed.TestNamespace;
import io.schemagate.testsupport.Corpora;
import io.schemagate.testsupport.TestDatabases;
import io.schemagate.testsupport.Tools;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Engine command on the test bed: the real golang-migrate and Liquibase command lines, in images of
 * their own, apply an application image's scripts; SchemaGate reads the revision from the tool's table.
 */
@ExtendWith(TestNamespace.Extension.class)
class CommandEngineIT {
    /** A password no URL survives unencoded. */
    static final String PASSWORD = "p@ss:w/rd?#% +";

    private static final String MIGRATOR = "migrator_" + Long.toHexString(System.nanoTime());

    private static String tool;

    @RegisterExtension
    static final SharedOperator operator = new SharedOperator();

    @RegisterExtension
    final TestDatabases database = new TestDatabases();

    private Scenario scenario;

    @BeforeAll
    static void toolImage() {
        tool = TestImages.repository("golang-migrate") + ":v4";
        Tools.image("golang-migrate", TestBed.get().imageRoot(tool));
    }

    @BeforeEach
    void setUp(TestNamespace namespace) throws Exception {
        scenario = new Scenario(namespace, database);
        scenario.migrator(MIGRATOR, PASSWORD);
    }

    @Test
    void golangMigrateAppliesAPublishedSetAndTheRevisionIsReadFromItsTable(TestNamespace namespace) throws Exception {
        Map<String, String> harbor = read(Corpora.folder("golang-migrate-harbor/migrations"));
        String app = TestImages.repository("harbor") + ":2.16";
        TestImages.image(app, harbor);
        apply(app);

        DatabaseMigration ready = scenario.awaitReady("harbor");

        assertThat(ready.getStatus().getRevision().getCurrent()).isEqualTo("190");
        RunStatus run = ready.getStatus().getLastRun();
        assertThat(run.getOutcome()).isEqualTo(Outcome.Succeeded);
        assertThat(run.getTo()).isEqualTo("190");
        assertThat(run.getLatest()).isEqualTo("190");
        assertThat(run.getApplied()).isEqualTo(harbor.size());
        assertThat(database.query("SELECT version || ' ' || dirty FROM schema_migrations"))
                .containsExactly("190 false");

        Job job = scenario.jobs().get(0);
        Container toolContainer = job.getSpec().getTemplate().getSpec().getInitContainers().stream()
                .filter(container -> container.getName().equals(MigrationJob.TOOL_CONTAINER))
                .findFirst()
                .orElseThrow();
        assertThat(toolContainer.getImage()).isEqualTo(tool);
        assertThat(toolContainer.getEnv()).extracting(EnvVar::getName).containsExactly("SCHEMAGATE_TARGET");
        assertThat(Json.write(job)).doesNotContain(PASSWORD).doesNotContain("p%40ss");
        Secret connection = namespace
                .client()
                .secrets()
                .inNamespace(namespace.name())
                .withName(job.getMetadata().getName() + "-connection")
                .get();
        assertThat(connection.getMetadata().getOwnerReferences())
                .singleElement()
                .satisfies(owner ->
                        assertThat(owner.getUid()).isEqualTo(job.getMetadata().getUid()));
        assertThat(Json.write(ready.getStatus())).doesNotContain(PASSWORD);
    }

    /**
     * Traccar's published changelogs, run by the real Liquibase command line in an image of its own:
     * it finds the connection in its own variables, and pods asking for a changeset it ran are admitted.
     */
    @Test
    void liquibaseAppliesAPublishedChangelogAndPodsAskForItsChangesets(TestNamespace namespace) throws Exception {
        String liquibase = TestImages.repository("liquibase") + ":4.33";
        Tools.image("liquibase", TestBed.get().imageRoot(liquibase));
        String app = TestImages.repository("traccar") + ":6.15";
        TestImages.image(app, read(Corpora.folder("liquibase-traccar/schema")));
        scenario.apply("traccar", database.url() + "?sslmode=disable", "unused", spec -> {
            command(spec, app);
            spec.getCommand().setImage(liquibase);
            spec.getCommand()
                    .setArgs(List.of(
                            "--search-path=/schemagate/migrations", "--changelog-file=changelog-master.xml", "update"));
            spec.getCommand().getHistory().setFormat(HistoryFormat.liquibase);
        });

        DatabaseMigration ready = scenario.awaitReady("traccar");

        List<String> ids = database.query("SELECT id FROM databasechangelog ORDER BY orderexecuted");
        assertThat(ids).hasSizeGreaterThan(30);
        assertThat(ready.getStatus().getRevision().getCurrent()).isEqualTo(ids.get(ids.size() - 1));
        assertThat(ready.getStatus().getRevision().getApplied()).isEqualTo(ids.size());
        assertThat(ready.getStatus().getRevision().getReached())
                .startsWith(ids.get(ids.size() - 1))
                .contains(ids.get(0));
        assertThat(ready.getStatus().getRevision().getLock()).isNull();
        assertThat(ready.getStatus().getLastRun().getApplied()).isEqualTo(ids.size());
        assertThat(Json.write(ready.getStatus())).doesNotContain(PASSWORD);

        Pod ran = namespace
                .client()
                .pods()
                .inNamespace(namespace.name())
                .resource(GatingIT.pod("needs-first", "traccar", Map.of(Gating.REVISION_ANNOTATION, ids.get(0))))
                .create();
        Pod notRun = namespace
                .client()
                .pods()
                .inNamespace(namespace.name())
                .resource(GatingIT.pod("needs-later", "traccar", Map.of(Gating.REVISION_ANNOTATION, "changelog-99.0")))
                .create();
        assertThat(PodGate.isHeld(ran)).isFalse();
        assertThat(PodGate.isHeld(notRun)).isTrue();
    }

    /**
     * The tool's connection Secret comes before its pod: a Secret the API server refuses (a quota)
     * leaves the Job suspended without a pod, and the run goes ahead once the quota allows it.
     */
    @Test
    void aRunWhoseConnectionSecretIsRefusedWaitsSuspendedAndRunsOnceItIsAllowed(TestNamespace namespace)
            throws Exception {
        String app = TestImages.repository("quota") + ":1.0";
        TestImages.image(app, Map.of("1_customers.up.sql", "CREATE TABLE customers (id bigint);\n"));
        var quotas = namespace.client().resourceQuotas().inNamespace(namespace.name());
        // The credentials Secret is the namespace's only one: not one more may be created.
        quotas.resource(new ResourceQuotaBuilder()
                        .withNewMetadata()
                        .withName("secrets")
                        .endMetadata()
                        .withNewSpec()
                        .addToHard("secrets", new Quantity("1"))
                        .endSpec()
                        .build())
                .create();
        await("quota usage counted").atMost(Scenario.TIMEOUT).until(() -> {
            ResourceQuota quota = quotas.withName("secrets").get();
            return quota.getStatus() != null
                    && quota.getStatus().getUsed() != null
                    && quota.getStatus().getUsed().containsKey("secrets");
        });
        List<String> messages = new CopyOnWriteArrayList<>();
        try (var watch = scenario.resource("harbor").watch(new Watcher<>() {
            @Override
            public void eventReceived(Action action, DatabaseMigration resource) {
                Scenario.condition(resource, "Reconciling").ifPresent(c -> messages.add(c.getMessage()));
            }

            @Override
            public void onClose(WatcherException cause) {}
        })) {
            apply(app);

            DatabaseMigration refused = scenario.awaitCondition("harbor", "Reconciling", "ConnectionHandoverFailed");
            assertThat(Scenario.condition(refused, "Reconciling").orElseThrow().getMessage())
                    .contains("-connection", "exceeded quota", "the Job waits, suspended");
            Job waiting = scenario.jobs().get(0);
            assertThat(waiting.getSpec().getSuspend()).isTrue();
            assertThat(namespace
                            .client()
                            .pods()
                            .inNamespace(namespace.name())
                            .list()
                            .getItems())
                    .as("no pod starts before its connection Secret")
                    .isEmpty();

            quotas.withName("secrets").edit(quota -> {
                quota.getSpec().getHard().put("secrets", new Quantity("5"));
                return quota;
            });
            DatabaseMigration ready = scenario.awaitReady("harbor");

            assertThat(ready.getStatus().getRevision().getCurrent()).isEqualTo("1");
            assertThat(scenario.jobs())
                    .singleElement()
                    .satisfies(job -> assertThat(job.getMetadata().getUid())
                            .isEqualTo(waiting.getMetadata().getUid()));
            assertThat(messages).noneMatch(message -> message.contains("CreateContainerConfigError"));
        }
    }

    /** goose and dbmate, each from an image of its own, each read from its own table. */
    @Test
    void gooseAndDbmateApplyTheirScriptsAndTheirTablesAreRead() throws Exception {
        // One file read by both tools: each takes the other's markers for comments. dbmate insists on a down block.
        Map<String, String> scripts = Map.of(
                "20250101000001_customers.sql",
                        "-- +goose Up\n-- migrate:up\nCREATE TABLE customers (id bigint);\n"
                                + "-- +goose Down\n-- migrate:down\nDROP TABLE customers;\n",
                "20250101000002_orders.sql",
                        "-- +goose Up\n-- migrate:up\nCREATE TABLE orders (id bigint);\n"
                                + "-- +goose Down\n-- migrate:down\nDROP TABLE orders;\n");
        String app = TestImages.repository("orders") + ":1.0";
        TestImages.image(app, scripts);
        String goose = TestImages.repository("goose") + ":v3";
        Tools.image("goose", TestBed.get().imageRoot(goose));
        String dbmate = TestImages.repository("dbmate") + ":v2";
        Tools.image("dbmate", TestBed.get().imageRoot(dbmate));
        scenario.apply("goose", database.url() + "?sslmode=disable", "unused", spec -> {
            command(spec, app);
            spec.getCommand().setImage(goose);
            spec.getCommand().setArgs(List.of("-dir", "/schemagate/migrations", "postgres", "$(DATABASE_URL)", "up"));
            spec.getCommand().getHistory().setFormat(HistoryFormat.goose);
        });
        assertThat(scenario.awaitReady("goose").getStatus().getRevision().getCurrent())
                .isEqualTo("20250101000002");

        // The same scripts again for dbmate, read by its own conventions, once goose's resource is gone.
        scenario.resource("goose").delete();
        await().atMost(Scenario.TIMEOUT).until(() -> scenario.resource("goose").get() == null);
        database.execute("DROP TABLE customers, orders, goose_db_version");
        scenario.apply("dbmate", database.url() + "?sslmode=disable", "unused", spec -> {
            command(spec, app);
            spec.getCommand().setImage(dbmate);
            spec.getCommand().setArgs(List.of("--migrations-dir", "/schemagate/migrations", "--no-dump-schema", "up"));
            spec.getCommand().getHistory().setFormat(HistoryFormat.dbmate);
        });

        DatabaseMigration ready = scenario.awaitReady("dbmate");
        assertThat(ready.getStatus().getRevision().getCurrent()).isEqualTo("20250101000002");
        assertThat(ready.getStatus().getRevision().getApplied()).isEqualTo(2);
        assertThat(ready.getStatus().getLastRun().getApplied()).isEqualTo(2);
        assertThat(database.query("SELECT version FROM schema_migrations ORDER BY version"))
                .containsExactly("20250101000001", "20250101000002");
    }

    @Test
    void aFailingScriptShowsTheToolsOwnWordsAndTheDirtyDatabaseStalls() throws Exception {
        Map<String, String> scripts = new HashMap<>();
        scripts.put("1_customers.up.sql", "CREATE TABLE customers (id bigint PRIMARY KEY);");
        scripts.put("1_customers.down.sql", "DROP TABLE customers;");
        scripts.put(
                "2_orders.up.sql", "CREATE TABLE orders (id bigint PRIMARY KEY, customer bigint REFERENCES nowhere);");
        String app = TestImages.repository("orders") + ":1.0";
        TestImages.image(app, scripts);
        apply(app);

        DatabaseMigration stalled = scenario.awaitCondition("harbor", "Stalled", "FailedMigrationInHistory");

        assertThat(Scenario.condition(stalled, "Stalled").orElseThrow().getMessage())
                .contains("force");
        RunStatus run = stalled.getStatus().getLastRun();
        assertThat(run.getReason()).isEqualTo("CommandFailed");
        assertThat(run.getLogTail()).contains("migration failed").contains("nowhere");
        assertThat(Json.write(stalled.getStatus())).doesNotContain(PASSWORD);
        assertThat(database.query("SELECT version || ' ' || dirty FROM schema_migrations"))
                .containsExactly("2 true");
        assertThat(scenario.jobs()).hasSize(1);
    }

    @Test
    void golangMigrateMigratesDownWithItsDownArgumentsWhenAllowed() throws Exception {
        Map<String, String> scripts = new HashMap<>();
        scripts.put("1_customers.up.sql", "CREATE TABLE customers (id bigint PRIMARY KEY);");
        scripts.put("1_customers.down.sql", "DROP TABLE customers;");
        scripts.put(
                "2_orders.up.sql",
                "CREATE TABLE orders (id bigint PRIMARY KEY, customer bigint REFERENCES customers);");
        scripts.put("2_orders.down.sql", "DROP TABLE orders;");
        scripts.put("3_order_notes.up.sql", "ALTER TABLE orders ADD COLUMN note text;");
        scripts.put("3_order_notes.down.sql", "ALTER TABLE orders DROP COLUMN note;");
        String app = TestImages.repository("orders") + ":3.0";
        TestImages.image(app, scripts);
        apply(app);
        scenario.awaitReady("harbor");

        scenario.edit("harbor", resource -> {
            resource.getSpec().setTarget("1");
            resource.getSpec().setDowngrade(new DowngradeSpec(true));
            resource.getSpec()
                    .getCommand()
                    .setDownArgs(List.of(
                            "-path",
                            "/schemagate/migrations",
                            "-database",
                            "$(DATABASE_URL)",
                            "goto",
                            "$(SCHEMAGATE_TARGET)"));
        });
        await("migrated down")
                .atMost(Scenario.TIMEOUT)
                .until(() -> "1"
                        .equals(scenario.resource("harbor")
                                .get()
                                .getStatus()
                                .getRevision()
                                .getCurrent()));

        RunStatus run = scenario.awaitReady("harbor").getStatus().getLastRun();
        assertThat(run.getDirection()).isEqualTo("Down");
        assertThat(run.getFrom()).isEqualTo("3");
        assertThat(run.getTo()).isEqualTo("1");
        assertThat(run.getApplied()).isEqualTo(2);
        assertThat(database.query("SELECT version || ' ' || dirty FROM schema_migrations"))
                .containsExactly("1 false");
        assertThat(database.query("SELECT to_regclass('orders') IS NULL")).containsExactly("t");
    }

    @Test
    void golangMigrateAdoptsADatabaseBuiltByHandWithItsForceThenMigratesOn() throws Exception {
        scenario.sql("CREATE TABLE customers (id bigint PRIMARY KEY); ALTER TABLE customers OWNER TO " + MIGRATOR);
        Map<String, String> scripts = new HashMap<>();
        scripts.put("1_customers.up.sql", "CREATE TABLE customers (id bigint PRIMARY KEY);");
        scripts.put(
                "2_orders.up.sql",
                "CREATE TABLE orders (id bigint PRIMARY KEY, customer bigint REFERENCES customers);");
        String app = TestImages.repository("orders") + ":2.0";
        TestImages.image(app, scripts);
        scenario.apply("harbor", database.url() + "?sslmode=disable", "unused", spec -> {
            command(spec, app);
            spec.getCommand()
                    .setAdoptArgs(List.of(
                            "-path",
                            "/schemagate/migrations",
                            "-database",
                            "$(DATABASE_URL)",
                            "force",
                            "$(SCHEMAGATE_ADOPT)"));
            spec.setAdopt(new AdoptSpec("1"));
        });

        DatabaseMigration ready = scenario.awaitReady("harbor");

        assertThat(ready.getStatus().getRevision().getCurrent()).isEqualTo("2");
        assertThat(ready.getStatus().getAdoption().getVersion()).isEqualTo("1");
        assertThat(ready.getStatus().getLastRun().getAdopted()).isEqualTo("1");
        assertThat(ready.getStatus().getLastRun().getApplied()).isEqualTo(1);
        assertThat(database.query("SELECT version || ' ' || dirty FROM schema_migrations"))
                .containsExactly("2 false");
        assertThat(scenario.tableExists("orders")).isTrue();
    }

    @Test
    void aToolMissingFromItsImageStallsWithItsOwnReason() throws Exception {
        String app = TestImages.repository("orders") + ":1.0";
        TestImages.image(app, Map.of("1_customers.up.sql", "CREATE TABLE customers (id bigint PRIMARY KEY);"));
        scenario.apply("harbor", database.url() + "?sslmode=disable", "unused", spec -> {
            command(spec, app);
            spec.getCommand().setCommand(List.of("/usr/local/bin/migrate"));
        });

        DatabaseMigration stalled = scenario.awaitCondition("harbor", "Stalled", "ToolNotFound");

        assertThat(Scenario.condition(stalled, "Stalled").orElseThrow().getMessage())
                .contains("could not be started")
                .contains("spec.command.command");
        assertThat(scenario.jobs()).hasSize(1);
        assertThat(database.query("SELECT to_regclass('customers') IS NULL")).containsExactly("t");
    }

    private void apply(String app) {
        // golang-migrate's driver asks for TLS unless told otherwise; the bed's PostgreSQL has none.
        scenario.apply("harbor", database.url() + "?sslmode=disable", "unused", spec -> command(spec, app));
    }

    private static void command(DatabaseMigrationSpec spec, String app) {
        spec.setEngine(Engine.command);
        ImageSource image = new ImageSource();
        image.setRef(app);
        image.setPath(TestImages.MIGRATIONS);
        spec.getSource().setConfigMaps(null);
        spec.getSource().setImage(image);
        CommandSpec command = new CommandSpec();
        command.setImage(tool);
        command.setArgs(List.of("-path", "/schemagate/migrations", "-database", "$(DATABASE_URL)", "up"));
        CommandHistorySpec history = new CommandHistorySpec();
        history.setFormat(HistoryFormat.golangMigrate);
        command.setHistory(history);
        spec.setCommand(command);
    }

    private static Map<String, String> read(Path folder) throws Exception {
        Map<String, String> files = new HashMap<>();
        try (Stream<Path> scripts = Files.list(folder)) {
            for (Path script : scripts.toList()) {
                files.put(script.getFileName().toString(), Files.readString(script));
            }
        }
        return files;
    }
}
