package io.schemagate.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import io.schemagate.api.AdoptSpec;
import io.schemagate.api.BackupSpec;
import io.schemagate.api.BackupStatus;
import io.schemagate.api.BackupVolume;
import io.schemagate.api.DatabaseMigration;
import io.schemagate.api.DatabaseMigrationSpec;
import io.schemagate.api.DowngradeSpec;
import io.schemagate.api.RunStatus;
import io.schemagate.contract.Outcome;
import io.schemagate.db.Engine;
import io.schemagate.gate.Gating;
import io.schemagate.gate.PodGate;
import io.schemagate.support.Json;
import io.schemagate.testbed.TestBed;
import io.schemagate.testbed.TestNamespace;
import io.schemagate.testsupport.TestDatabases;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The lifecycle verbs on the bed, with the runner image's real pg_dump and the host's pg_restore:
 * a backup before every run into a PersistentVolumeClaim, a guarded downgrade, and the adoption of a
 * database built by hand.
 */
@ExtendWith(TestNamespace.Extension.class)
class LifecycleIT {
    /** Five scripts, 10,000 rows, each reversible: the schema the closing figures are measured on. */
    static final Map<String, String> SCHEMA = Map.of(
            "1_customers.up.sql", "CREATE TABLE customers (id bigint PRIMARY KEY, email text NOT NULL UNIQUE);",
            "1_customers.down.sql", "DROP TABLE customers;",
            "2_orders.up.sql",
                    "CREATE TABLE orders (id bigint PRIMARY KEY, customer bigint NOT NULL REFERENCES"
                            + " customers, total numeric(10, 2) NOT NULL);",
            "2_orders.down.sql", "DROP TABLE orders;",
            "3_seed.up.sql",
                    "INSERT INTO customers SELECT n, 'c' || n || '@example.com' FROM generate_series(1, 2000)"
                            + " n; INSERT INTO orders SELECT n, 1 + n % 2000, n % 500 FROM generate_series(1, 8000) n;",
            "3_seed.down.sql", "DELETE FROM orders; DELETE FROM customers;",
            "4_orders_by_customer.up.sql", "CREATE INDEX orders_by_customer ON orders (customer);",
            "4_orders_by_customer.down.sql", "DROP INDEX orders_by_customer;",
            "5_order_notes.up.sql", "ALTER TABLE orders ADD COLUMN note text;",
            "5_order_notes.down.sql", "ALTER TABLE orders DROP COLUMN note;");

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
    void everyRunDumpsFirstAndTheDumpRestoresToTheSameSchema(TestNamespace namespace) throws Exception {
        claim(namespace, "dumps", "ReadWriteOnce");
        scenario.scripts("schema", SCHEMA);
        scenario.apply("orders", "schema", spec -> backedUp(spec, "dumps", 1));
        String first = scenario.awaitReady("orders")
                .getStatus()
                .getLastRun()
                .getBackup()
                .getFile();
        List<String> atFive = database.shape("public");

        Map<String, String> six = new HashMap<>(SCHEMA);
        six.put("6_order_state.up.sql", "ALTER TABLE orders ADD COLUMN state text NOT NULL DEFAULT 'new';");
        scenario.scripts("schema", six);
        await("the second run recorded").atMost(Scenario.TIMEOUT).until(() -> {
            List<RunStatus> history =
                    scenario.resource("orders").get().getStatus().getHistory();
            return history.size() == 2 && history.get(0).getOutcome() == Outcome.Succeeded;
        });

        RunStatus run = scenario.resource("orders").get().getStatus().getLastRun();
        assertThat(run.getTo()).isEqualTo("6");
        BackupStatus backup = run.getBackup();
        assertThat(run.getOutcome()).isEqualTo(Outcome.Succeeded);
        assertThat(backup.getFile()).matches("orders-[0-9]{8}T[0-9]{9}Z\\.dump").isNotEqualTo(first);
        assertThat(backup.getPgDump()).startsWith("pg_dump ");
        Path volume = TestBed.get().state().resolve("volumes").resolve(namespace.name() + "_dumps");
        try (Stream<Path> files = Files.list(volume)) {
            assertThat(files.map(path -> path.getFileName().toString()))
                    .as("keep: 1")
                    .containsExactly(backup.getFile());
        }
        Path dump = volume.resolve(backup.getFile());
        assertThat(Files.size(dump)).isEqualTo(backup.getSizeBytes());

        TestDatabases restored = TestDatabases.fresh();
        try {
            long start = System.nanoTime();
            Process restore = new ProcessBuilder(
                            "pg_restore",
                            "--no-owner",
                            "--clean",
                            "--if-exists",
                            "--exit-on-error",
                            "--dbname=" + restored.libpqUrl(),
                            dump.toString())
                    .redirectErrorStream(true)
                    .start();
            String printed = new String(restore.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(restore.waitFor()).as(printed).isZero();
            long restoreMillis = (System.nanoTime() - start) / 1_000_000;
            assertThat(restored.shape("public"))
                    .isEqualTo(atFive)
                    .contains(
                            "public.orders rows 8000", "public.customers rows 2000", "public._sqlx_migrations rows 5");
            System.out.printf(
                    "LifecycleIT: 5 scripts, 10000 rows: dump %d bytes in %d ms (%s), restore %d ms%n",
                    backup.getSizeBytes(), backup.getDurationMillis(), backup.getPgDump(), restoreMillis);
        } finally {
            restored.drop();
        }
        assertThat(Json.write(scenario.resource("orders").get().getStatus())).doesNotContain(database.password());
    }

    @Test
    void aMissingClaimStallsBeforeAnyRunAndTheRunFollowsOnceItExists(TestNamespace namespace) throws Exception {
        scenario.scripts("schema", SCHEMA);
        scenario.apply("orders", "schema", spec -> backedUp(spec, "later", 5));

        DatabaseMigration stalled = scenario.awaitCondition("orders", "Stalled", "BackupFailed");
        assertThat(Scenario.condition(stalled, "Stalled").orElseThrow().getMessage())
                .contains("PersistentVolumeClaim later does not exist")
                .contains("no run was started");
        assertThat(scenario.jobs()).isEmpty();
        assertThat(scenario.tableExists("customers")).isFalse();

        claim(namespace, "later", "ReadWriteOnce");
        // Looked at again at the next reconcile: a change of the resource brings it at once.
        scenario.edit("orders", resource -> resource.getMetadata().setAnnotations(Map.of("touched", "1")));

        DatabaseMigration ready = scenario.awaitReady("orders");
        assertThat(ready.getStatus().getLastRun().getBackup().getSizeBytes()).isPositive();
        assertThat(ready.getStatus().getRevision().getCurrent()).isEqualTo("5");
    }

    @Test
    void aReadOnlyClaimIsRefusedAndNothingIsMigrated(TestNamespace namespace) throws Exception {
        claim(namespace, "archive", "ReadOnlyMany");
        scenario.scripts("schema", SCHEMA);
        scenario.apply("orders", "schema", spec -> backedUp(spec, "archive", 5));

        DatabaseMigration stalled = scenario.awaitCondition("orders", "Stalled", "BackupFailed");

        assertThat(Scenario.condition(stalled, "Stalled").orElseThrow().getMessage())
                .contains("is read-only");
        assertThat(scenario.jobs()).isEmpty();
        assertThat(database.query("SELECT to_regclass('_sqlx_migrations') IS NULL"))
                .containsExactly("t");
    }

    @Test
    void aLowerTargetMigratesDownOnlyWhenAllowedAndGatingFollows(TestNamespace namespace) throws Exception {
        claim(namespace, "dumps", "ReadWriteOnce");
        scenario.scripts("schema", SCHEMA);
        scenario.apply("orders", "schema", spec -> backedUp(spec, "dumps", 5));
        scenario.awaitReady("orders");

        scenario.edit("orders", resource -> resource.getSpec().setTarget("3"));
        DatabaseMigration refused = scenario.awaitCondition("orders", "Stalled", "TargetBehindDatabase");
        assertThat(Scenario.condition(refused, "Stalled").orElseThrow().getMessage())
                .contains("set spec.downgrade.allowed: true");
        scenario.edit("orders", resource -> resource.getSpec().setDowngrade(new DowngradeSpec(true)));

        await().atMost(Scenario.TIMEOUT)
                .until(() -> "3"
                        .equals(scenario.resource("orders")
                                .get()
                                .getStatus()
                                .getRevision()
                                .getCurrent()));
        DatabaseMigration down = scenario.awaitReady("orders");
        RunStatus run = down.getStatus().getLastRun();
        assertThat(run.getDirection()).isEqualTo("Down");
        assertThat(run.getFrom()).isEqualTo("5");
        assertThat(run.getTo()).isEqualTo("3");
        assertThat(run.getApplied()).isEqualTo(2);
        assertThat(run.getBackup()).as("a dump before the downgrade").isNotNull();
        scenario.awaitEvents("orders", "MigrationSucceeded");
        assertThat(database.query("SELECT version FROM _sqlx_migrations ORDER BY version"))
                .containsExactly("1", "2", "3");
        assertThat(database.query("SELECT count(*) FROM information_schema.columns WHERE column_name = 'note'"))
                .containsExactly("0");
        assertThat(scenario.jobs()).hasSize(2);

        Pod needsFive = namespace
                .client()
                .pods()
                .inNamespace(namespace.name())
                .resource(GatingIT.pod("needs-5", "orders", Map.of(Gating.REVISION_ANNOTATION, "5")))
                .create();
        Pod needsThree = namespace
                .client()
                .pods()
                .inNamespace(namespace.name())
                .resource(GatingIT.pod("needs-3", "orders", Map.of(Gating.REVISION_ANNOTATION, "3")))
                .create();
        assertThat(PodGate.isHeld(needsFive)).as("its revision was reverted").isTrue();
        assertThat(PodGate.isHeld(needsThree)).isFalse();
    }

    @Test
    void aDowngradeToAVersionNeverAppliedChangesNothing() throws Exception {
        Map<String, String> gapped = new HashMap<>(SCHEMA);
        gapped.remove("4_orders_by_customer.up.sql");
        gapped.remove("4_orders_by_customer.down.sql");
        scenario.scripts("schema", gapped);
        scenario.apply("orders", "schema", spec -> spec.setEngine(Engine.sqlx));
        scenario.awaitReady("orders");

        scenario.edit("orders", resource -> {
            resource.getSpec().setTarget("4");
            resource.getSpec().setDowngrade(new DowngradeSpec(true));
        });

        DatabaseMigration stalled = scenario.awaitCondition("orders", "Stalled", "DowngradeNotPossible");
        assertThat(Scenario.condition(stalled, "Stalled").orElseThrow().getMessage())
                .contains("target 4 is not an applied version (applied: 1, 2, 3, 5)");
        assertThat(scenario.jobs()).hasSize(1);
    }

    @Test
    void aDatabaseBuiltByHandIsAdoptedOnceAndMigratedOnFromThere() throws Exception {
        database.execute("CREATE TABLE customers (id bigint PRIMARY KEY, email text NOT NULL UNIQUE);"
                + " CREATE TABLE orders (id bigint PRIMARY KEY, customer bigint NOT NULL REFERENCES customers,"
                + " total numeric(10, 2) NOT NULL)");
        scenario.scripts("schema", SCHEMA);
        scenario.apply("orders", "schema", spec -> {
            spec.setEngine(Engine.sqlx);
            spec.setAdopt(new AdoptSpec("2"));
        });

        DatabaseMigration ready = scenario.awaitReady("orders");

        assertThat(ready.getStatus().getAdoption().getVersion()).isEqualTo("2");
        assertThat(ready.getStatus().getAdoption().getJob())
                .isEqualTo(ready.getStatus().getLastRun().getJob());
        assertThat(ready.getStatus().getLastRun().getAdopted()).isEqualTo("2");
        assertThat(ready.getStatus().getLastRun().getApplied()).isEqualTo(3);
        assertThat(database.query(
                        "SELECT version || ' ' || (execution_time = 0) FROM _sqlx_migrations ORDER BY version"))
                .containsExactly("1 true", "2 true", "3 false", "4 false", "5 false");
        assertThat(database.query("SELECT count(*) FROM orders")).containsExactly("8000");

        // spec.adopt stays in the manifest (GitOps): done once, the next script just runs.
        Map<String, String> six = new HashMap<>(SCHEMA);
        six.put("6_order_state.up.sql", "ALTER TABLE orders ADD COLUMN state text;");
        scenario.scripts("schema", six);
        await().atMost(Scenario.TIMEOUT)
                .until(() -> "6"
                        .equals(scenario.resource("orders")
                                .get()
                                .getStatus()
                                .getRevision()
                                .getCurrent()));
        assertThat(scenario.awaitReady("orders").getStatus().getAdoption().getVersion())
                .isEqualTo("2");
    }

    @Test
    void adoptionIsRefusedWhereTheHistoryHasRows() throws Exception {
        scenario.scripts("schema", SCHEMA);
        scenario.apply("orders", "schema", spec -> spec.setEngine(Engine.sqlx));
        scenario.awaitReady("orders");
        // Someone else's resource, or one recreated: no adoption on record, rows in the table.
        scenario.resource("orders").delete();
        await().atMost(Scenario.TIMEOUT).until(() -> scenario.resource("orders").get() == null);
        scenario.apply("orders", "schema", spec -> {
            spec.setEngine(Engine.sqlx);
            spec.setAdopt(new AdoptSpec("2"));
        });

        DatabaseMigration stalled = scenario.awaitCondition("orders", "Stalled", "AdoptRefused");

        assertThat(Scenario.condition(stalled, "Stalled").orElseThrow().getMessage())
                .contains("already records revision 5")
                .contains("remove spec.adopt");
        assertThat(database.query("SELECT count(*) FROM _sqlx_migrations")).containsExactly("5");
    }

    private static void backedUp(DatabaseMigrationSpec spec, String claim, int keep) {
        spec.setEngine(Engine.sqlx);
        BackupSpec backup = new BackupSpec();
        backup.setEnabled(true);
        backup.setKeep(keep);
        backup.setVolume(new BackupVolume());
        backup.getVolume().setPersistentVolumeClaim(new BackupVolume.ClaimReference(claim));
        spec.setBackup(backup);
    }

    private static void claim(TestNamespace namespace, String name, String accessMode) {
        namespace
                .client()
                .persistentVolumeClaims()
                .inNamespace(namespace.name())
                .resource(new PersistentVolumeClaimBuilder()
                        .withNewMetadata()
                        .withName(name)
                        .endMetadata()
                        .withNewSpec()
                        .withAccessModes(accessMode)
                        .withNewResources()
                        .addToRequests("storage", new Quantity("100Mi"))
                        .endResources()
                        .endSpec()
                        .build())
                .create();
    }
}
