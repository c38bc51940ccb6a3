package io.schemagate.runner;

import static org.assertj.core.api.Assertions.assertThat;

import io.schemagate.contract.ErrorKind;
import io.schemagate.contract.MigrationResult;
import io.schemagate.contract.Outcome;
import io.schemagate.contract.RunnerEnvironment;
import io.schemagate.engine.Engines;
import io.schemagate.testsupport.TestDatabases;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The rehearsal step with this machine's pg_dump and pg_restore, on real PostgreSQL. */
class RehearsalStepTest {

    @RegisterExtension
    final TestDatabases database = new TestDatabases();

    @TempDir
    Path work;

    private Path migrations;
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    @BeforeEach
    void appliedUpToTwo() throws Exception {
        migrations = Files.createDirectories(work.resolve("migrations"));
        script("V1__customers.sql", "CREATE TABLE customers (id bigint PRIMARY KEY, email text NOT NULL);");
        script("V2__orders.sql", "CREATE TABLE orders (id bigint PRIMARY KEY, customer bigint REFERENCES customers);");
        assertThat(command()
                        .run(RunnerSettings.fromEnvironment(environment(Map.of()), Engines::of))
                        .outcome())
                .isEqualTo(Outcome.Succeeded);
        database.execute("INSERT INTO customers SELECT n, 'c' || n FROM generate_series(1, 100) n");
    }

    @Test
    void thePendingScriptsRunOnACopyOfTheSchemaThatIsDroppedAndTheRealDatabaseIsOnlyRead() throws Exception {
        script("V3__tier.sql", "ALTER TABLE customers ADD COLUMN tier text NOT NULL DEFAULT 'basic';");

        MigrationResult result = rehearse(Map.of());

        assertThat(result.outcome()).as(result.message()).isEqualTo(Outcome.Succeeded);
        assertThat(result.from()).isEqualTo("2");
        assertThat(result.to()).isEqualTo("3");
        assertThat(result.applied()).isEqualTo(1);
        assertThat(database.query("SELECT max(version) FROM flyway_schema_history"))
                .containsExactly("2");
        assertThat(database.query("SELECT count(*) FROM information_schema.columns WHERE column_name = 'tier'"))
                .containsExactly("0");
        assertThat(database.query("SELECT count(*) FROM customers")).containsExactly("100");
        assertThat(scratchDatabases()).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8))
                .contains("Rehearsing on a new scratch database " + database.name() + RehearsalStep.SCRATCH_INFIX);
    }

    @Test
    void aScriptThatFailsOnTheCopyIsARehearsalFailureWithItsSqlState() throws Exception {
        script("V3__broken.sql", "ALTER TABLE nowhere ADD COLUMN note text;");

        MigrationResult result = rehearse(Map.of());

        assertThat(result.errorKind()).isEqualTo(ErrorKind.RehearsalFailed);
        assertThat(result.failedMigration()).isEqualTo("V3__broken.sql");
        assertThat(result.sqlState()).isEqualTo("42P01");
        assertThat(result.message()).contains("schema-only copy").contains("the real database is untouched");
        assertThat(database.query("SELECT max(version) FROM flyway_schema_history"))
                .containsExactly("2");
        assertThat(scratchDatabases()).isZero();
    }

    @Test
    void aScratchDatabaseNamedInTheSpecIsUsedAndEmptiedAfterwards() throws Exception {
        script("V3__tier.sql", "ALTER TABLE customers ADD COLUMN tier text;");
        TestDatabases scratch = TestDatabases.fresh();
        try {
            scratch.execute("CREATE TABLE leftover (id int)");

            MigrationResult result = rehearse(Map.of(RunnerEnvironment.REHEARSAL_DATABASE, scratch.name()));

            assertThat(result.outcome()).as(result.message()).isEqualTo(Outcome.Succeeded);
            assertThat(scratch.query("SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
                            + " WHERE n.nspname = 'public'"))
                    .containsExactly("0");
            assertThat(scratchDatabases()).isZero();
        } finally {
            scratch.drop();
        }
    }

    @Test
    void aRoleWithoutCreateDbIsToldWhatToGrantOrName() throws Exception {
        String role = "rehearser_" + Long.toHexString(System.nanoTime());
        database.execute("CREATE ROLE " + role + " LOGIN PASSWORD 'pw'; GRANT ALL ON SCHEMA public TO " + role
                + "; GRANT SELECT ON ALL TABLES IN SCHEMA public TO " + role);
        script("V3__tier.sql", "ALTER TABLE customers ADD COLUMN tier text;");

        MigrationResult result =
                rehearse(Map.of(RunnerEnvironment.DB_USERNAME, role, RunnerEnvironment.DB_PASSWORD, "pw"));

        assertThat(result.errorKind()).isEqualTo(ErrorKind.RehearsalFailed);
        assertThat(result.sqlState()).isEqualTo("42501");
        assertThat(result.message())
                .contains("grant it CREATEDB, or name a scratch database in spec.rehearsal.database");
        database.execute("DROP OWNED BY " + role + "; DROP ROLE " + role);
    }

    private long scratchDatabases() throws Exception {
        return Long.parseLong(database.query("SELECT count(*) FROM pg_database WHERE datname LIKE '" + database.name()
                        + RehearsalStep.SCRATCH_INFIX + "%'")
                .get(0));
    }

    private MigrationResult rehearse(Map<String, String> overrides) throws Exception {
        Map<String, String> env = new HashMap<>(Map.of(RunnerEnvironment.REHEARSAL, "true"));
        env.putAll(overrides);
        return command().rehearse(RunnerSettings.fromEnvironment(environment(env), Engines::of));
    }

    private MigrateCommand command() {
        PrintStream console = new PrintStream(out, true, StandardCharsets.UTF_8);
        return new MigrateCommand(console, console, Engines::of);
    }

    private Map<String, String> environment(Map<String, String> overrides) {
        Map<String, String> env = new HashMap<>();
        env.put(RunnerEnvironment.DB_URL, database.url());
        env.put(RunnerEnvironment.DB_USERNAME, database.user());
        env.put(RunnerEnvironment.DB_PASSWORD, database.password());
        env.put(RunnerEnvironment.MIGRATIONS_DIR, migrations.toString());
        env.put(RunnerEnvironment.RESULT_FILE, work.resolve("termination-log").toString());
        env.putAll(overrides);
        return env;
    }

    private void script(String name, String content) throws Exception {
        Files.writeString(migrations.resolve(name), content);
    }
}
