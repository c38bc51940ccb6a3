package io.schemagate.runner;

import static org.assertj.core.api.Assertions.assertThat;

import io.schemagate.contract.BackupRecord;
import io.schemagate.contract.ErrorKind;
import io.schemagate.contract.MigrationResult;
import io.schemagate.contract.Outcome;
import io.schemagate.contract.RunnerEnvironment;
import io.schemagate.db.Redactor;
import io.schemagate.engine.Engines;
import io.schemagate.support.Json;
import io.schemagate.testsupport.TestDatabases;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The runner's backup step with the real pg_dump of this machine against real PostgreSQL, restored with pg_restore. */
class BackupStepTest {

    @RegisterExtension
    final TestDatabases database = new TestDatabases();

    @TempDir
    Path work;

    private Path volume;
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    @BeforeEach
    void schema() throws Exception {
        volume = Files.createDirectories(work.resolve("backup"));
        database.execute("CREATE SCHEMA audit;"
                + " CREATE TABLE customer (id bigint PRIMARY KEY, email text NOT NULL UNIQUE, joined date DEFAULT"
                + " current_date);"
                + " CREATE TABLE orders (id bigint PRIMARY KEY, customer bigint NOT NULL REFERENCES customer,"
                + " total numeric(10, 2) CHECK (total >= 0));"
                + " CREATE INDEX orders_customer ON orders (customer);"
                + " CREATE TABLE audit.events (id bigserial PRIMARY KEY, payload jsonb);"
                + " INSERT INTO customer SELECT n, 'c' || n || '@example.com' FROM generate_series(1, 1000) n;"
                + " INSERT INTO orders SELECT n, 1 + n % 1000, n / 100.0 FROM generate_series(1, 3000) n;"
                + " INSERT INTO audit.events (payload) SELECT jsonb_build_object('n', n) FROM generate_series(1, 50) n;"
                + " CREATE SCHEMA scratch; CREATE TABLE scratch.elsewhere (id int);");
    }

    @Test
    void dumpsTheRunsSchemasSoThatPgRestoreBuildsTheSameSchemaElsewhere() throws Exception {
        MigrationResult result = backup(Map.of(), clockAt("2026-12-02T03:30:00.123Z"));

        assertThat(result.outcome()).as(result.message()).isEqualTo(Outcome.Succeeded);
        BackupRecord record = result.backup();
        assertThat(record.file()).isEqualTo("orders-20261202T033000123Z.dump");
        Path dump = volume.resolve(record.file());
        assertThat(dump).isRegularFile();
        assertThat(Files.size(dump)).isEqualTo(record.sizeBytes()).isGreaterThan(10_000);
        assertThat(record.pgDump()).startsWith("pg_dump ");
        // What the migrate step adds to its own result.
        assertThat(Json.read(Files.readString(work.resolve("record.json")), BackupRecord.class))
                .isEqualTo(record);
        try (Stream<Path> files = Files.list(volume)) {
            assertThat(files).containsExactly(dump);
        }

        TestDatabases restored = TestDatabases.fresh();
        try {
            // As docs/lifecycle.md restores: --clean --if-exists replaces the new database's own public schema.
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
            assertThat(restored.shape("public", "audit"))
                    .isEqualTo(database.shape("public", "audit"))
                    .contains("public.orders rows 3000", "audit.events rows 50");
            // Only the run's schemas: a table in a schema it does not migrate is not in the dump.
            assertThat(restored.query("SELECT to_regnamespace('scratch') IS NULL"))
                    .containsExactly("t");
        } finally {
            restored.drop();
        }
    }

    @Test
    void keepsTheResourcesNewestDumpsAndNothingElseIsTouched() throws Exception {
        Files.writeString(volume.resolve("notes.txt"), "kept");
        Files.writeString(volume.resolve("payments-20200101T000000000Z.dump"), "another resource's");
        Instant start = Instant.parse("2026-12-02T03:30:00Z");

        for (int i = 0; i < 3; i++) {
            MigrationResult result = backup(
                    Map.of(RunnerEnvironment.BACKUP_KEEP, "2"),
                    Clock.fixed(start.plus(Duration.ofMinutes(i)), ZoneOffset.UTC));
            assertThat(result.outcome()).as(result.message()).isEqualTo(Outcome.Succeeded);
        }

        try (Stream<Path> files = Files.list(volume)) {
            assertThat(files.map(path -> path.getFileName().toString()))
                    .containsExactlyInAnyOrder(
                            "notes.txt",
                            "payments-20200101T000000000Z.dump",
                            "orders-20261202T033100000Z.dump",
                            "orders-20261202T033200000Z.dump");
        }
    }

    @Test
    void aTableLockedByALongTransactionFailsTheBackupInsteadOfHangingIt() throws Exception {
        try (Connection holder = database.connect();
                Statement statement = holder.createStatement()) {
            holder.setAutoCommit(false);
            statement.execute("LOCK TABLE orders IN ACCESS EXCLUSIVE MODE");

            MigrationResult result = backup(Map.of(RunnerEnvironment.LOCK_TIMEOUT, "1s"), Clock.systemUTC());

            assertThat(result.errorKind()).isEqualTo(ErrorKind.BackupFailed);
            assertThat(result.message())
                    .contains("exited with code 1")
                    .contains("orders")
                    .contains("nothing was migrated")
                    .doesNotContain(database.password());
            holder.rollback();
        }
        try (Stream<Path> files = Files.list(volume)) {
            assertThat(files).as("no partial dump is left").isEmpty();
        }
        assertThat(work.resolve("record.json")).doesNotExist();
    }

    @Test
    void aMissingVolumeOrNoPgDumpForTheServerFailsBeforeAnythingIsWritten() throws Exception {
        MigrationResult unmounted = backup(
                Map.of(RunnerEnvironment.BACKUP_DIR, work.resolve("absent").toString()), Clock.systemUTC());
        MigrationResult noClient = new BackupStep(
                        new RunnerConsole(console(), console(), Redactor.forCredentials(null, null)),
                        Files.createDirectories(work.resolve("no-clients")),
                        Clock.systemUTC())
                .backup(RunnerSettings.fromEnvironment(environment(Map.of()), Engines::of));

        assertThat(unmounted.errorKind()).isEqualTo(ErrorKind.BackupFailed);
        assertThat(unmounted.message()).contains("not mounted at " + work.resolve("absent"));
        assertThat(noClient.errorKind()).isEqualTo(ErrorKind.BackupFailed);
        assertThat(noClient.message()).containsPattern("no pg_dump for PostgreSQL [0-9]+ \\(it has none under");
        try (Stream<Path> files = Files.list(volume)) {
            assertThat(files).isEmpty();
        }
    }

    private MigrationResult backup(Map<String, String> overrides, Clock clock) throws Exception {
        return new BackupStep(
                        new RunnerConsole(console(), console(), Redactor.forCredentials(null, null)),
                        PgClient.CLIENTS,
                        clock)
                .backup(RunnerSettings.fromEnvironment(environment(overrides), Engines::of));
    }

    private Map<String, String> environment(Map<String, String> overrides) throws Exception {
        Map<String, String> env = new HashMap<>();
        env.put(RunnerEnvironment.DB_URL, database.url());
        env.put(RunnerEnvironment.DB_USERNAME, database.user());
        env.put(RunnerEnvironment.DB_PASSWORD, database.password());
        env.put(
                RunnerEnvironment.MIGRATIONS_DIR,
                Files.createDirectories(work.resolve("migrations")).toString());
        env.put(RunnerEnvironment.SCHEMAS, "public,audit");
        env.put(RunnerEnvironment.BACKUP_DIR, volume.toString());
        env.put(RunnerEnvironment.BACKUP_NAME, "orders");
        env.put(RunnerEnvironment.BACKUP_KEEP, "5");
        env.put(RunnerEnvironment.BACKUP_RECORD, work.resolve("record.json").toString());
        env.put(RunnerEnvironment.RESULT_FILE, work.resolve("termination-log").toString());
        env.putAll(overrides);
        return env;
    }

    private PrintStream console() {
        return new PrintStream(out, true, StandardCharsets.UTF_8);
    }

    private static Clock clockAt(String instant) {
        return Clock.fixed(Instant.parse(instant), ZoneOffset.UTC);
    }
}
