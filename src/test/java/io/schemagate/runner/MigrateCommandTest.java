package io.schemagate.runner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.schemagate.contract.ErrorKind;
import io.schemagate.contract.MigrationResult;
import io.schemagate.contract.Outcome;
import io.schemagate.contract.RunnerEnvironment;
import io.schemagate.db.JdbcUrls;
import io.schemagate.engine.Engines;
import io.schemagate.testsupport.TestDatabases;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The runner in-process against a fresh PostgreSQL database per test. */
class MigrateCommandTest {

    @RegisterExtension
    final TestDatabases database = new TestDatabases();

    @TempDir
    Path work;

    private Path migrations;
    private Path resultFile;
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @BeforeEach
    void layout() throws IOException {
        migrations = Files.createDirectories(work.resolve("migrations"));
        resultFile = work.resolve("termination-log");
    }

    @Test
    void migratesAnEmptyDatabase() throws Exception {
        threeMigrations();

        MigrationResult result = migrate(Map.of());

        assertThat(result.outcome()).isEqualTo(Outcome.Succeeded);
        assertThat(result.errorKind()).isNull();
        assertThat(result.from()).isNull();
        assertThat(result.to()).isEqualTo("3");
        assertThat(result.applied()).isEqualTo(3);
        assertThat(result.exitCode()).isZero();
        assertThat(tables()).contains("customer", "orders");
        JsonNode json = resultJson();
        assertThat(json.get("outcome").asText()).isEqualTo("Succeeded");
        assertThat(json.get("errorKind").isNull()).isTrue();
        assertThat(json.get("from").isNull()).isTrue();
        assertThat(json.get("to").asText()).isEqualTo("3");
        assertThat(json.get("applied").asInt()).isEqualTo(3);
        assertThat(out.toString(StandardCharsets.UTF_8))
                .contains("Migrating schema \"public\" to version \"3 - order customer\"")
                .contains("schemagate migrate: Succeeded");
    }

    @Test
    void appliesOnlyWhatIsNew() throws Exception {
        threeMigrations();
        migrate(Map.of());
        script("V4__add_note.sql", "ALTER TABLE orders ADD COLUMN note text;");

        MigrationResult result = migrate(Map.of());

        assertThat(result.outcome()).isEqualTo(Outcome.Succeeded);
        assertThat(result.from()).isEqualTo("3");
        assertThat(result.to()).isEqualTo("4");
        assertThat(result.applied()).isEqualTo(1);
    }

    @Test
    void aFailingScriptLeavesNothingBehindAndKeepsEarlierMigrations() throws Exception {
        threeMigrations();
        script("V4__add_note.sql", "ALTER TABLE orders ADD COLUMN note text;");
        script("V5__broken.sql", "CREATE TABLE half_done (id int);\nCREATE TABL broken (id int);\n");

        MigrationResult result = migrate(Map.of());

        assertThat(result.outcome()).isEqualTo(Outcome.Failed);
        assertThat(result.errorKind()).isEqualTo(ErrorKind.MigrationFailed);
        assertThat(result.failedMigration()).isEqualTo("V5__broken.sql");
        assertThat(result.sqlState()).isEqualTo("42601");
        assertThat(result.message())
                .contains("V5__broken.sql")
                .contains("line 2")
                .contains("syntax error");
        assertThat(result.applied()).isEqualTo(4);
        assertThat(result.from()).isNull();
        assertThat(result.to()).isEqualTo("4");
        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(tables()).contains("orders").doesNotContain("half_done", "broken");
        assertThat(historyVersions()).containsExactly("1", "2", "3", "4");
        assertThat(resultJson().get("sqlState").asText()).isEqualTo("42601");
    }

    @Test
    void anEditedAppliedScriptIsAChecksumMismatch() throws Exception {
        threeMigrations();
        migrate(Map.of());
        script("V2__orders.sql", "CREATE TABLE orders (id bigint PRIMARY KEY, customer_id bigint);");
        script("V4__add_note.sql", "ALTER TABLE orders ADD COLUMN note text;");

        MigrationResult result = migrate(Map.of());

        assertThat(result.errorKind()).isEqualTo(ErrorKind.ChecksumMismatch);
        assertThat(result.failedMigration()).isEqualTo("V2__orders.sql");
        assertThat(result.message()).contains("checksum");
        assertThat(result.from()).isEqualTo("3");
        assertThat(result.to()).isEqualTo("3");
        assertThat(result.applied()).isZero();
        assertThat(historyVersions()).containsExactly("1", "2", "3");
    }

    @Test
    void anAppliedScriptRemovedFromTheSourceIsAMissingMigration() throws Exception {
        threeMigrations();
        migrate(Map.of());
        Files.delete(migrations.resolve("V2__orders.sql"));

        MigrationResult result = migrate(Map.of());

        assertThat(result.errorKind()).isEqualTo(ErrorKind.MissingMigration);
        assertThat(result.failedMigration()).isEqualTo("V2__orders.sql");
        assertThat(result.exitCode()).isEqualTo(1);
    }

    @Test
    void refusesATargetBelowTheCurrentVersionAndChangesNothing() throws Exception {
        threeMigrations();
        migrate(Map.of());
        script("V4__add_note.sql", "ALTER TABLE orders ADD COLUMN note text;");

        MigrationResult result = migrate(Map.of(RunnerEnvironment.TARGET, "2"));

        assertThat(result.errorKind()).isEqualTo(ErrorKind.TargetBehindDatabase);
        assertThat(result.from()).isEqualTo("3");
        assertThat(result.to()).isEqualTo("3");
        assertThat(result.applied()).isZero();
        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(historyVersions()).containsExactly("1", "2", "3");
    }

    @Test
    void neverMigratesPastTheTarget() throws Exception {
        threeMigrations();
        script("V4__add_note.sql", "ALTER TABLE orders ADD COLUMN note text;");

        MigrationResult toTwo = migrate(Map.of(RunnerEnvironment.TARGET, "2"));
        assertThat(toTwo.to()).isEqualTo("2");
        assertThat(toTwo.applied()).isEqualTo(2);
        assertThat(historyVersions()).containsExactly("1", "2");

        MigrationResult same = migrate(Map.of(RunnerEnvironment.TARGET, "2"));
        assertThat(same.outcome()).isEqualTo(Outcome.Succeeded);
        assertThat(same.applied()).isZero();

        MigrationResult latest = migrate(Map.of(RunnerEnvironment.TARGET, "latest"));
        assertThat(latest.from()).isEqualTo("2");
        assertThat(latest.to()).isEqualTo("4");
    }

    @Test
    void reportsTheHighestScriptSoAnOlderImageIsKnownToBeSatisfied() throws Exception {
        threeMigrations();
        script("V4__add_note.sql", "ALTER TABLE orders ADD COLUMN note text;");
        MigrationResult newer = migrate(Map.of(RunnerEnvironment.TARGET, "2"));
        assertThat(newer.latest()).isEqualTo("4");
        assertThat(migrate(Map.of()).to()).isEqualTo("4");

        // What a rollback runs: the scripts of an image that knows versions 1 to 3 only.
        Files.delete(migrations.resolve("V4__add_note.sql"));
        MigrationResult older = migrate(Map.of());

        assertThat(older.outcome()).isEqualTo(Outcome.Succeeded);
        assertThat(older.applied()).isZero();
        assertThat(older.to()).isEqualTo("4");
        assertThat(older.latest()).isEqualTo("3");
    }

    @Test
    void replacesPlaceholders() throws Exception {
        script("V1__table.sql", "CREATE TABLE ${table_name} (id int);");

        MigrationResult result =
                migrate(Map.of(RunnerEnvironment.PLACEHOLDERS, "{\"table_name\":\"from_placeholder\"}"));

        assertThat(result.outcome()).isEqualTo(Outcome.Succeeded);
        assertThat(tables()).contains("from_placeholder");
    }

    @Test
    void keepsTheHistoryInTheFirstSchemaUnderTheConfiguredName() throws Exception {
        script("V1__table.sql", "CREATE TABLE things (id int);");

        MigrationResult result =
                migrate(Map.of(RunnerEnvironment.SCHEMAS, "app, audit", RunnerEnvironment.TABLE, "schema_log"));

        assertThat(result.outcome()).isEqualTo(Outcome.Succeeded);
        assertThat(database.query("SELECT table_schema || '.' || table_name FROM information_schema.tables"
                        + " WHERE table_schema IN ('app', 'audit', 'public')"))
                .containsExactlyInAnyOrder("app.schema_log", "app.things");
        assertThat(database.query("SELECT schema_name FROM information_schema.schemata"))
                .contains("app", "audit");
    }

    @Test
    void baselinesANonEmptySchemaOnlyWhenAsked() throws Exception {
        database.execute("CREATE TABLE legacy (id int)");
        threeMigrations();
        script("V4__audit.sql", "CREATE TABLE audit_log (id int);");

        MigrationResult refused = migrate(Map.of());
        assertThat(refused.errorKind()).isEqualTo(ErrorKind.InvalidConfiguration);
        assertThat(refused.message()).contains("baseline");

        MigrationResult baselined =
                migrate(Map.of(RunnerEnvironment.BASELINE_ON_MIGRATE, "true", RunnerEnvironment.BASELINE_VERSION, "3"));
        assertThat(baselined.outcome()).isEqualTo(Outcome.Succeeded);
        assertThat(baselined.from()).isNull();
        assertThat(baselined.to()).isEqualTo("4");
        assertThat(baselined.applied()).isEqualTo(1);
        assertThat(tables()).contains("legacy", "audit_log").doesNotContain("orders");
    }

    @Test
    void adoptingBaselinesTheHistoryAtTheVersionThenAppliesWhatFollows() throws Exception {
        // Built by hand up to V2: running V1 or V2 would fail on the tables that exist.
        database.execute("CREATE TABLE customer (id bigint PRIMARY KEY, name text NOT NULL);"
                + " CREATE TABLE orders (id bigint PRIMARY KEY)");
        threeMigrations();

        MigrationResult adopted = migrate(Map.of(RunnerEnvironment.ADOPT, "2"));

        assertThat(adopted.outcome()).as(adopted.message()).isEqualTo(Outcome.Succeeded);
        assertThat(adopted.adopted()).isEqualTo("2");
        assertThat(adopted.applied()).isEqualTo(1);
        assertThat(adopted.to()).isEqualTo("3");
        assertThat(database.query("SELECT version || ' ' || type FROM flyway_schema_history ORDER BY installed_rank"))
                .containsExactly("2 BASELINE", "3 SQL");
    }

    @Test
    void adoptionIsRefusedOnAHistoryWithRowsAndForAVersionNoScriptHas() throws Exception {
        threeMigrations();

        MigrationResult unknown = migrate(Map.of(RunnerEnvironment.ADOPT, "2.5"));
        assertThat(tables()).doesNotContain("customer");
        migrate(Map.of(RunnerEnvironment.TARGET, "1"));
        MigrationResult withRows = migrate(Map.of(RunnerEnvironment.ADOPT, "2"));

        assertThat(unknown.errorKind()).isEqualTo(ErrorKind.AdoptRefused);
        assertThat(unknown.message()).contains("spec.adopt.version 2.5 is not the version of any script");
        assertThat(withRows.errorKind()).isEqualTo(ErrorKind.AdoptRefused);
        assertThat(withRows.message()).contains("flyway_schema_history already has 1 rows");
        assertThat(database.query("SELECT version FROM flyway_schema_history")).containsExactly("1");
    }

    @Test
    void appliesAnOlderNewScriptOnlyOutOfOrder() throws Exception {
        script("V1__customer.sql", "CREATE TABLE customer (id bigint PRIMARY KEY);");
        script("V3__index.sql", "CREATE INDEX customer_id ON customer (id);");
        migrate(Map.of());
        script("V2__orders.sql", "CREATE TABLE orders (id bigint PRIMARY KEY);");

        MigrationResult refused = migrate(Map.of());
        assertThat(refused.errorKind()).isEqualTo(ErrorKind.InvalidConfiguration);
        assertThat(refused.failedMigration()).isEqualTo("V2__orders.sql");
        assertThat(tables()).doesNotContain("orders");

        MigrationResult applied = migrate(Map.of(RunnerEnvironment.OUT_OF_ORDER, "true"));
        assertThat(applied.outcome()).isEqualTo(Outcome.Succeeded);
        assertThat(applied.applied()).isEqualTo(1);
        assertThat(applied.from()).isEqualTo("3");
        assertThat(applied.to()).isEqualTo("3");
        assertThat(tables()).contains("orders");
    }

    @Test
    void readsScriptsOfSeveralMountedConfigMapsOnce() throws Exception {
        configMap("orders-a", Map.of("V1__customer.sql", "CREATE TABLE customer (id bigint PRIMARY KEY);"));
        configMap(
                "orders-b",
                Map.of(
                        "V2__orders.sql",
                        "CREATE TABLE orders (id bigint PRIMARY KEY);",
                        "R__orders_view.sql",
                        "CREATE OR REPLACE VIEW all_orders AS SELECT * FROM orders;",
                        "README.md",
                        "not a migration"));

        MigrationResult result = migrate(Map.of());

        assertThat(result.outcome()).isEqualTo(Outcome.Succeeded);
        assertThat(result.applied()).isEqualTo(3);
        assertThat(result.to()).isEqualTo("2");
        assertThat(database.query("SELECT table_name FROM information_schema.views WHERE table_schema = 'public'"))
                .containsExactly("all_orders");
    }

    @Test
    void aFailedMigrationRecordedInTheHistoryBlocksTheRun() throws Exception {
        threeMigrations();
        migrate(Map.of());
        script("V4__index.sql", "CREATE INDEX CONCURRENTLY orders_customer ON orders (customer_id);");
        database.execute("INSERT INTO flyway_schema_history (installed_rank, version, description, type, script,"
                + " checksum, installed_by, execution_time, success) VALUES (4, '4', 'index', 'SQL', 'V4__index.sql', 0,"
                + " current_user, 5, false)");

        MigrationResult result = migrate(Map.of());

        assertThat(result.errorKind()).isEqualTo(ErrorKind.MigrationFailed);
        assertThat(result.failedMigration()).isEqualTo("V4__index.sql");
        assertThat(result.message()).contains("failed migration to version 4");
        assertThat(result.exitCode()).isEqualTo(1);
    }

    /**
     * Statements PostgreSQL refuses inside a transaction, one or several to a script and between
     * transactional scripts. Flyway's default transactional lock keeps a transaction open that a
     * concurrent index build waits for, so this run used to hang until the Job's deadline.
     */
    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void runsNonTransactionalStatementsToCompletion() throws Exception {
        script(
                "V1__orders.sql",
                "CREATE TABLE orders (id bigint PRIMARY KEY, customer text, placed date);"
                        + "\nINSERT INTO orders SELECT n, 'c' || n % 50, DATE '2026-01-01' + n % 300"
                        + " FROM generate_series(1, 5000) n;");
        script("V2__index_customer.sql", "CREATE INDEX CONCURRENTLY orders_customer_idx ON orders (customer);");
        script(
                "V3__more_indexes.sql",
                "CREATE INDEX CONCURRENTLY orders_placed_idx ON orders (placed);\n"
                        + "CREATE UNIQUE INDEX CONCURRENTLY orders_id_customer_idx ON orders (id, customer);\n"
                        + "DROP INDEX CONCURRENTLY orders_customer_idx;");
        script("V4__note.sql", "ALTER TABLE orders ADD COLUMN note text;");
        script("V5__reindex.sql", "REINDEX INDEX CONCURRENTLY orders_placed_idx;");
        script("V6__vacuum.sql", "VACUUM (ANALYZE) orders;");

        MigrationResult result = migrate(Map.of());

        assertThat(result.outcome()).as(result.message()).isEqualTo(Outcome.Succeeded);
        assertThat(result.applied()).isEqualTo(6);
        assertThat(historyVersions()).containsExactly("1", "2", "3", "4", "5", "6");
        assertThat(database.query("SELECT indexrelid::regclass::text FROM pg_index WHERE indrelid = 'orders'::regclass"
                        + " AND indisvalid ORDER BY 1"))
                .containsExactly("orders_id_customer_idx", "orders_pkey", "orders_placed_idx");
        // Flyway itself does not know REINDEX CONCURRENTLY cannot run in a transaction; PostgreSQL says so.
        assertThat(out.toString(StandardCharsets.UTF_8))
                .contains("PostgreSQL refuses to run V5__reindex.sql inside a transaction");
    }

    @Test
    void aLockHeldByAnApplicationTransactionTimesOutAndRollsTheScriptBack() throws Exception {
        threeMigrations();
        migrate(Map.of());
        script("V4__audit.sql", "CREATE TABLE audit (id int);\nALTER TABLE orders ADD COLUMN note text;");
        try (Connection application = database.connect()) {
            application.setAutoCommit(false);
            application.createStatement().execute("SELECT * FROM orders FOR UPDATE");

            MigrationResult result = migrate(Map.of(RunnerEnvironment.LOCK_TIMEOUT, "300ms"));

            assertThat(result.errorKind()).isEqualTo(ErrorKind.LockTimeout);
            assertThat(result.errorKind().isTransient()).isTrue();
            assertThat(result.sqlState()).isEqualTo("55P03");
            assertThat(result.failedMigration()).isEqualTo("V4__audit.sql");
            assertThat(result.message()).contains("lock timeout");
            application.rollback();
        }
        assertThat(tables()).doesNotContain("audit");
        assertThat(historyVersions()).containsExactly("1", "2", "3");
    }

    @Test
    void aStatementLongerThanTheStatementTimeoutIsCanceled() throws Exception {
        script("V1__slow.sql", "SELECT pg_sleep(5);");

        MigrationResult result = migrate(Map.of(RunnerEnvironment.STATEMENT_TIMEOUT, "200ms"));

        assertThat(result.errorKind()).isEqualTo(ErrorKind.StatementTimeout);
        assertThat(result.sqlState()).isEqualTo("57014");
        assertThat(historyVersions()).isEmpty();
    }

    @Test
    void anIndexLeftInvalidByAFailedConcurrentBuildIsNamedAndNothingRuns() throws Exception {
        script(
                "V1__orders.sql",
                "CREATE TABLE orders (id bigint, customer text);\nINSERT INTO orders VALUES (1, 'a'), (1, 'a');");
        script("V2__unique.sql", "CREATE UNIQUE INDEX CONCURRENTLY orders_id_idx ON orders (id);");

        MigrationResult failed = migrate(Map.of());
        assertThat(failed.errorKind()).isEqualTo(ErrorKind.MigrationFailed);
        assertThat(failed.sqlState()).isEqualTo("23505");

        // The duplicates are fixed and the failed row repaired, as a user would; the index is still there.
        database.execute("DELETE FROM orders WHERE ctid <> (SELECT min(ctid) FROM orders)");
        database.execute("DELETE FROM flyway_schema_history WHERE NOT success");
        script("V3__customer.sql", "CREATE INDEX orders_customer_idx ON orders (customer);");
        MigrationResult refused = migrate(Map.of());

        assertThat(refused.errorKind()).as(refused.message()).isEqualTo(ErrorKind.InvalidIndex);
        assertThat(refused.message())
                .contains("public.orders_id_idx is INVALID")
                .contains("DROP INDEX CONCURRENTLY public.orders_id_idx");
        assertThat(historyVersions()).containsExactly("1");

        database.execute("DROP INDEX CONCURRENTLY orders_id_idx");
        assertThat(migrate(Map.of()).outcome()).isEqualTo(Outcome.Succeeded);
        assertThat(historyVersions()).containsExactly("1", "2", "3");
    }

    @Test
    void theScriptsSessionsHaveTheirClientCheckedWhileAStatementRuns() throws Exception {
        script(
                "V1__settings.sql",
                "CREATE TABLE settings AS"
                        + " SELECT current_setting('client_connection_check_interval') AS check_interval;");

        assertThat(migrate(Map.of()).outcome()).isEqualTo(Outcome.Succeeded);
        assertThat(database.query("SELECT check_interval FROM settings")).containsExactly("1s");
    }

    @Test
    void aMalformedTimeoutIsInvalidConfiguration() {
        assertThatThrownBy(() -> migrate(Map.of(RunnerEnvironment.LOCK_TIMEOUT, "10s; DROP TABLE orders")))
                .isInstanceOf(InvalidSettingsException.class)
                .hasMessageContaining(RunnerEnvironment.LOCK_TIMEOUT);
    }

    @Test
    void aPlaceholderFromASecretIsReplacedAndNeverShowsEvenInAFailure() throws Exception {
        String secret = "pl4ceholder-s3cret";
        script("V1__role.sql", "CREATE TABLE grants (secret text);\nINSERT INTO grants VALUES ('${app_password}');");
        script("V2__fails.sql", "DO $$ BEGIN RAISE EXCEPTION 'no grant for %', '${app_password}'; END $$;");

        MigrationResult result = migrate(Map.of(RunnerEnvironment.SECRET_PLACEHOLDER_PREFIX + "app_password", secret));

        assertThat(database.query("SELECT secret FROM grants")).containsExactly(secret);
        assertThat(result.errorKind()).isEqualTo(ErrorKind.MigrationFailed);
        assertThat(result.message()).contains("no grant for " + JdbcUrls.MASK);
        assertNowhere(secret);
    }

    @Test
    void takesNoArguments() throws Exception {
        int exitCode = command().run(List.of("--target=4"), env(Map.of()));

        assertThat(exitCode).isEqualTo(1);
        assertThat(resultJson().get("message").asText()).contains("migrate takes no arguments");
    }

    @Test
    void aPlaceholderWithoutValueIsInvalidConfiguration() throws Exception {
        script("V1__table.sql", "CREATE TABLE ${table_name} (id int);");

        MigrationResult result = migrate(Map.of());

        assertThat(result.errorKind()).isEqualTo(ErrorKind.InvalidConfiguration);
        assertThat(result.message()).contains("No value provided for placeholder");
        assertThat(tables()).containsOnly("flyway_schema_history");
    }

    @Test
    void aScriptNameFlywayWouldIgnoreIsInvalidConfiguration() throws Exception {
        script("V1_customer.sql", "CREATE TABLE customer (id int);");

        MigrationResult result = migrate(Map.of());

        assertThat(result.errorKind()).isEqualTo(ErrorKind.InvalidConfiguration);
        assertThat(result.message()).contains("V1_customer.sql");
    }

    @Test
    void aWrongPasswordIsAnAuthenticationFailureThatNeverShowsThePassword() throws Exception {
        threeMigrations();
        String wrong = "Wr0ng-pass-" + System.nanoTime();

        int exitCode = command().run(List.of(), env(Map.of(RunnerEnvironment.DB_PASSWORD, wrong)));

        JsonNode json = resultJson();
        assertThat(exitCode).isEqualTo(2);
        assertThat(json.get("errorKind").asText()).isEqualTo("AuthenticationFailed");
        assertThat(json.get("sqlState").asText()).isEqualTo("28P01");
        assertThat(json.get("message").asText()).contains("password authentication failed");
        assertNowhere(wrong);
    }

    @Test
    void credentialsInTheUrlNeverShowEvenWhenAMigrationFails() throws Exception {
        script("V1__broken.sql", "SELECT * FROM does_not_exist;");
        String url = database.url() + "?user=" + database.user() + "&password=" + database.password();

        int exitCode = command().run(List.of(), env(Map.of(RunnerEnvironment.DB_URL, url)));

        JsonNode json = resultJson();
        assertThat(exitCode).isEqualTo(1);
        assertThat(json.get("errorKind").asText()).isEqualTo("MigrationFailed");
        assertThat(json.get("sqlState").asText()).isEqualTo("42P01");
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("password=****");
        assertNowhere(database.password());
    }

    @Test
    void anUnreachableDatabaseIsTransient() throws Exception {
        threeMigrations();

        int exitCode = command()
                .run(List.of(), env(Map.of(RunnerEnvironment.DB_URL, "jdbc:postgresql://127.0.0.1:1/nowhere")));

        JsonNode json = resultJson();
        assertThat(exitCode).isEqualTo(2);
        assertThat(json.get("errorKind").asText()).isEqualTo("DatabaseUnreachable");
        assertThat(json.get("outcome").asText()).isEqualTo("Failed");
        assertThat(json.get("from").isNull()).isTrue();
    }

    @Test
    void invalidSettingsAreReportedInTheResultFile() throws Exception {
        int exitCode = command()
                .run(List.of(), env(Map.of(RunnerEnvironment.TARGET, "newest", RunnerEnvironment.OUT_OF_ORDER, "yes")));

        JsonNode json = resultJson();
        assertThat(exitCode).isEqualTo(1);
        assertThat(json.get("errorKind").asText()).isEqualTo("InvalidConfiguration");
        assertThat(json.get("message").asText())
                .contains(RunnerEnvironment.TARGET)
                .contains(RunnerEnvironment.OUT_OF_ORDER);
    }

    private void assertNowhere(String secret) throws IOException {
        assertThat(out.toString(StandardCharsets.UTF_8)).isNotEmpty().doesNotContain(secret);
        assertThat(err.toString(StandardCharsets.UTF_8)).doesNotContain(secret);
        assertThat(Files.readString(resultFile)).doesNotContain(secret);
    }

    private MigrationResult migrate(Map<String, String> overrides) throws InvalidSettingsException {
        return command().run(RunnerSettings.fromEnvironment(env(overrides), Engines::of));
    }

    private MigrateCommand command() {
        return new MigrateCommand(
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8),
                Engines::of);
    }

    private Map<String, String> env(Map<String, String> overrides) {
        Map<String, String> env = new HashMap<>();
        env.put(RunnerEnvironment.DB_URL, database.url());
        env.put(RunnerEnvironment.DB_USERNAME, database.user());
        env.put(RunnerEnvironment.DB_PASSWORD, database.password());
        env.put(RunnerEnvironment.MIGRATIONS_DIR, migrations.toString());
        env.put(RunnerEnvironment.RESULT_FILE, resultFile.toString());
        env.putAll(overrides);
        return env;
    }

    private void threeMigrations() throws IOException {
        script("V1__customer.sql", "CREATE TABLE customer (id bigint PRIMARY KEY, name text NOT NULL);");
        script("V2__orders.sql", "CREATE TABLE orders (id bigint PRIMARY KEY);");
        script("V3__order_customer.sql", "ALTER TABLE orders ADD COLUMN customer_id bigint REFERENCES customer;");
    }

    private void script(String name, String content) throws IOException {
        Files.writeString(migrations.resolve(name), content);
    }

    /** The layout Kubernetes mounts a ConfigMap with: files are symlinks into a hidden, timestamped directory. */
    private void configMap(String name, Map<String, String> files) throws IOException {
        Path mount = Files.createDirectories(migrations.resolve(name));
        Path data = Files.createDirectories(mount.resolve("..2025_01_01_00_00_00.000000001"));
        Files.createSymbolicLink(mount.resolve("..data"), data.getFileName());
        for (Map.Entry<String, String> file : files.entrySet()) {
            Files.writeString(data.resolve(file.getKey()), file.getValue());
            Files.createSymbolicLink(mount.resolve(file.getKey()), Path.of("..data", file.getKey()));
        }
    }

    private JsonNode resultJson() throws IOException {
        return new ObjectMapper().readTree(Files.readString(resultFile));
    }

    private List<String> tables() throws SQLException {
        return database.query("SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'");
    }

    private List<String> historyVersions() throws SQLException {
        return database.query("SELECT version FROM flyway_schema_history WHERE success ORDER BY installed_rank");
    }
}
