package io.schemagate.runner;

import static org.assertj.core.api.Assertions.assertThat;

import io.schemagate.contract.Direction;
import io.schemagate.contract.ErrorKind;
import io.schemagate.contract.MigrationResult;
import io.schemagate.contract.Outcome;
import io.schemagate.contract.RunnerEnvironment;
import io.schemagate.db.DatabaseConnection;
import io.schemagate.db.HistoryFormat;
import io.schemagate.db.HistoryTable;
import io.schemagate.db.SchemaHistoryReader;
import io.schemagate.db.SchemaRevision;
import io.schemagate.db.Version;
import io.schemagate.engine.Engines;
import io.schemagate.testsupport.Corpora;
import io.schemagate.testsupport.TestDatabases;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.CRC32;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The runner's sqlx engine in-process against a fresh PostgreSQL database per test. */
class SqlxMigrateTest {

    @RegisterExtension
    final TestDatabases database = new TestDatabases();

    @TempDir
    Path work;

    private Path migrations;
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    @BeforeEach
    void layout() throws IOException {
        migrations = Files.createDirectories(work.resolve("migrations"));
    }

    @Test
    void appliesAPublishedSetAndRecordsEachScriptAsSqlxDoes() throws Exception {
        Path corpus = Corpora.folder("sqlx-zero2prod/migrations");
        copy(corpus);

        MigrationResult result = migrate(Map.of());

        List<Path> scripts = sqlFiles(corpus);
        assertThat(result.outcome()).as(result.message()).isEqualTo(Outcome.Succeeded);
        assertThat(result.applied()).isEqualTo(scripts.size());
        assertThat(result.from()).isNull();
        assertThat(result.to()).isEqualTo("20220313191254").isEqualTo(result.latest());
        List<String> rows = database.query("SELECT version || ' ' || description || ' ' || success || ' '"
                + " || encode(checksum, 'hex') || ' ' || (execution_time > 0) FROM _sqlx_migrations ORDER BY version");
        List<String> expected = new ArrayList<>();
        for (Path script : scripts) {
            String name = script.getFileName().toString();
            String version = name.substring(0, name.indexOf('_'));
            String description = name.substring(name.indexOf('_') + 1, name.length() - ".sql".length())
                    .replace('_', ' ');
            expected.add(version + " " + description + " true " + sha384(script) + " true");
        }
        assertThat(rows).containsExactlyElementsOf(expected);
        // The script with its own BEGIN/COMMIT did its work.
        assertThat(database.query("SELECT is_nullable FROM information_schema.columns"
                        + " WHERE table_name = 'subscriptions' AND column_name = 'status'"))
                .containsExactly("NO");

        MigrationResult again = migrate(Map.of());
        assertThat(again.outcome()).isEqualTo(Outcome.Succeeded);
        assertThat(again.applied()).isZero();
        assertThat(again.from()).isEqualTo("20220313191254");
    }

    @Test
    void appliesReversiblePairsUpOnlyAndNoTransactionScriptsOutsideATransaction() throws Exception {
        copy(Corpora.folder("sqlx-quickwit/migrations/postgresql"));
        MigrationResult base = migrate(Map.of());
        assertThat(base.outcome()).as(base.message()).isEqualTo(Outcome.Succeeded);
        assertThat(base.applied()).isEqualTo(28);
        assertThat(database.query("SELECT count(*) FROM _sqlx_migrations")).containsExactly("28");

        // The deferred folder shares the table; its script builds an index concurrently.
        copy(Corpora.folder("sqlx-quickwit/migrations/postgresql_deferred"));
        MigrationResult deferred = migrate(Map.of());

        assertThat(deferred.outcome()).as(deferred.message()).isEqualTo(Outcome.Succeeded);
        assertThat(deferred.applied()).isEqualTo(1);
        assertThat(deferred.to()).isEqualTo("29");
        assertThat(database.query("SELECT indexname FROM pg_indexes WHERE indexname = 'splits_maturity_timestamp_idx'"))
                .containsExactly("splits_maturity_timestamp_idx");
        assertThat(database.query("SELECT description FROM _sqlx_migrations WHERE version = 29"))
                .containsExactly("create-index-splits-maturity-timestamp");
    }

    @Test
    void aFolderSharingTheTableWithAnotherRunsOnlyWhenMissingVersionsAreIgnored() throws Exception {
        copy(Corpora.folder("sqlx-quickwit/migrations/postgresql"));
        assertThat(migrate(Map.of()).applied()).isEqualTo(28);
        migrations = Files.createDirectories(work.resolve("deferred"));
        copy(Corpora.folder("sqlx-quickwit/migrations/postgresql_deferred"));

        MigrationResult refused = migrate(Map.of());
        MigrationResult deferred = migrate(Map.of(RunnerEnvironment.IGNORE_MISSING, "true"));

        assertThat(refused.errorKind()).isEqualTo(ErrorKind.MissingMigration);
        assertThat(refused.message()).contains("1, 2, 3").contains("nothing was changed");
        assertThat(deferred.outcome()).as(deferred.message()).isEqualTo(Outcome.Succeeded);
        assertThat(deferred.applied()).isEqualTo(1);
        assertThat(database.query("SELECT count(*) FROM _sqlx_migrations")).containsExactly("29");
    }

    @Test
    void theOperatorReadsTheRevisionTheRunnerWrote() throws Exception {
        script("1_customer.sql", "CREATE TABLE customer (id bigint PRIMARY KEY);");
        script("2_orders.up.sql", "CREATE TABLE orders (id bigint PRIMARY KEY);");
        script("2_orders.down.sql", "DROP TABLE orders;");
        migrate(Map.of());

        SchemaRevision revision = new SchemaHistoryReader()
                .read(
                        new DatabaseConnection(database.url(), database.user(), database.password()),
                        new HistoryTable(HistoryFormat.sqlx, "public", "_sqlx_migrations"));

        assertThat(revision.currentVersion()).contains(Version.parse("2"));
        assertThat(revision.applied()).extracting(row -> row.description()).containsExactly("customer", "orders");
        assertThat(revision.applied().get(1).checksum()).isEqualTo(sha384(migrations.resolve("2_orders.up.sql")));
        assertThat(database.query("SELECT to_regclass('orders') IS NOT NULL")).containsExactly("t");
    }

    @Test
    void anEditedAppliedScriptIsAChecksumMismatchAndNothingRuns() throws Exception {
        script("1_customer.sql", "CREATE TABLE customer (id bigint PRIMARY KEY);");
        migrate(Map.of());
        script("1_customer.sql", "CREATE TABLE customer (id bigint PRIMARY KEY, name text);");
        script("2_orders.sql", "CREATE TABLE orders (id bigint PRIMARY KEY);");

        MigrationResult result = migrate(Map.of());

        assertThat(result.errorKind()).isEqualTo(ErrorKind.ChecksumMismatch);
        assertThat(result.failedMigration()).isEqualTo("1_customer.sql");
        assertThat(result.message()).contains("nothing was changed");
        assertThat(database.query("SELECT to_regclass('orders') IS NULL")).containsExactly("t");
    }

    @Test
    void aDirtyDatabaseStopsTheRunWithWhatToDo() throws Exception {
        script("1_customer.sql", "CREATE TABLE customer (id bigint PRIMARY KEY);");
        script("2_orders.sql", "CREATE TABLE orders (id bigint PRIMARY KEY);");
        migrate(Map.of());
        database.execute("UPDATE _sqlx_migrations SET success = false WHERE version = 2");
        script("3_notes.sql", "CREATE TABLE notes (id bigint PRIMARY KEY);");

        MigrationResult result = migrate(Map.of());

        assertThat(result.errorKind()).isEqualTo(ErrorKind.MigrationFailed);
        assertThat(result.message()).contains("Migration 2").contains("dirty").contains("delete its row");
        assertThat(database.query("SELECT to_regclass('notes') IS NULL")).containsExactly("t");
    }

    @Test
    void aFailingScriptLeavesTheEarlierOnesAppliedAndNothingOfItself() throws Exception {
        script("1_customer.sql", "CREATE TABLE customer (id bigint PRIMARY KEY);");
        script("2_broken.sql", "CREATE TABLE broken (id bigint); SELECT * FROM no_such_table;");
        script("3_orders.sql", "CREATE TABLE orders (id bigint PRIMARY KEY);");

        MigrationResult result = migrate(Map.of());

        assertThat(result.errorKind()).isEqualTo(ErrorKind.MigrationFailed);
        assertThat(result.failedMigration()).isEqualTo("2_broken.sql");
        assertThat(result.sqlState()).isEqualTo("42P01");
        assertThat(result.to()).isEqualTo("1");
        assertThat(result.applied()).isEqualTo(1);
        assertThat(database.query("SELECT version FROM _sqlx_migrations")).containsExactly("1");
        assertThat(database.query("SELECT to_regclass('broken') IS NULL")).containsExactly("t");
    }

    @Test
    void waitsForSqlxsOwnLockNoLongerThanTheLockTimeout() throws Exception {
        script("1_customer.sql", "CREATE TABLE customer (id bigint PRIMARY KEY);");
        CRC32 crc = new CRC32();
        crc.update(database.name().getBytes(StandardCharsets.UTF_8));
        long sqlxLock = 0x3d32ad9eL * crc.getValue();
        try (Connection holder = database.connect();
                Statement statement = holder.createStatement()) {
            // What an application's sqlx::migrate!() holds while it migrates.
            statement.execute("SELECT pg_advisory_lock(" + sqlxLock + ")");

            MigrationResult result = migrate(Map.of(RunnerEnvironment.LOCK_TIMEOUT, "1s"));

            assertThat(result.errorKind()).isEqualTo(ErrorKind.LockTimeout);
            assertThat(result.errorKind().isTransient()).isTrue();
        }
        assertThat(database.query("SELECT to_regclass('customer') IS NULL")).containsExactly("t");
        assertThat(migrate(Map.of()).outcome()).isEqualTo(Outcome.Succeeded);
    }

    @Test
    void badFileNamesAndTwoScriptsOfOneVersionAreRefusedByName() throws Exception {
        script("1_customer.sql", "CREATE TABLE customer (id bigint PRIMARY KEY);");
        script("1_clients.up.sql", "CREATE TABLE clients (id bigint PRIMARY KEY);");
        script("verify_schema.sql", "SELECT 1;");
        script("README.md", "not a migration");

        MigrationResult result = migrate(Map.of());

        assertThat(result.errorKind()).isEqualTo(ErrorKind.InvalidConfiguration);
        assertThat(result.message())
                .contains("verify_schema.sql: not an sqlx migration name")
                .contains("version 1 is also used by")
                .doesNotContain("README");
        assertThat(database.query("SELECT to_regclass('_sqlx_migrations') IS NULL"))
                .containsExactly("t");
    }

    @Test
    void migratesDownToAnAppliedVersionWithTheDownScriptsNewestFirst() throws Exception {
        script("1_customer.up.sql", "CREATE TABLE customer (id bigint PRIMARY KEY);");
        script("1_customer.down.sql", "DROP TABLE customer;");
        script("2_orders.up.sql", "CREATE TABLE orders (id bigint PRIMARY KEY, customer bigint REFERENCES customer);");
        script("2_orders.down.sql", "DROP TABLE orders;");
        // Reverted before 2, or its down script fails: orders is gone by then.
        script("3_order_note.up.sql", "ALTER TABLE orders ADD COLUMN note text;");
        script("3_order_note.down.sql", "ALTER TABLE orders DROP COLUMN note;");
        assertThat(migrate(Map.of()).to()).isEqualTo("3");

        MigrationResult result = migrate(Map.of(RunnerEnvironment.DIRECTION, "Down", RunnerEnvironment.TARGET, "1"));

        assertThat(result.outcome()).as(result.message()).isEqualTo(Outcome.Succeeded);
        assertThat(result.direction()).isEqualTo(Direction.Down);
        assertThat(result.from()).isEqualTo("3");
        assertThat(result.to()).isEqualTo("1");
        assertThat(result.applied()).isEqualTo(2);
        assertThat(result.message()).isEqualTo("Reverted 2 migrations; the schema went down from version 3 to 1");
        assertThat(out.toString(StandardCharsets.UTF_8))
                .containsSubsequence("Reverting 3_order_note.up.sql", "Reverting 2_orders.up.sql");
        assertThat(database.query("SELECT version FROM _sqlx_migrations")).containsExactly("1");
        assertThat(database.query("SELECT (to_regclass('orders') IS NULL) || ' ' || (to_regclass('customer') IS NULL)"))
                .containsExactly("true false");
        // Up again from there: the same scripts, the same rows.
        assertThat(migrate(Map.of()).applied()).isEqualTo(2);
        assertThat(database.query("SELECT version FROM _sqlx_migrations ORDER BY version"))
                .containsExactly("1", "2", "3");
    }

    @Test
    void aDowngradeThatCannotBeDoneWholeChangesNothing() throws Exception {
        script("1_customer.up.sql", "CREATE TABLE customer (id bigint PRIMARY KEY);");
        script("1_customer.down.sql", "DROP TABLE customer;");
        script("2_orders.up.sql", "CREATE TABLE orders (id bigint PRIMARY KEY);");
        script("2_orders.down.sql", "DROP TABLE orders;");
        script("3_order_note.sql", "ALTER TABLE orders ADD COLUMN note text;");
        migrate(Map.of());

        MigrationResult irreversible =
                migrate(Map.of(RunnerEnvironment.DIRECTION, "Down", RunnerEnvironment.TARGET, "1"));
        MigrationResult notApplied =
                migrate(Map.of(RunnerEnvironment.DIRECTION, "Down", RunnerEnvironment.TARGET, "0"));

        assertThat(irreversible.errorKind()).isEqualTo(ErrorKind.DowngradeNotPossible);
        assertThat(irreversible.message())
                .contains("No down script for 3_order_note.sql")
                .contains("nothing was changed");
        assertThat(notApplied.errorKind()).isEqualTo(ErrorKind.DowngradeNotPossible);
        assertThat(notApplied.message()).contains("target 0 is not an applied version (applied: 1, 2, 3)");
        assertThat(database.query("SELECT version FROM _sqlx_migrations ORDER BY version"))
                .containsExactly("1", "2", "3");
        assertThat(database.query("SELECT count(*) FROM information_schema.columns WHERE column_name = 'note'"))
                .containsExactly("1");
    }

    @Test
    void adoptingRecordsTheScriptsUpToTheVersionWithoutRunningThemThenAppliesTheRest() throws Exception {
        // Built by hand: running script 1 or 2 again would fail on the tables that exist.
        database.execute("CREATE TABLE customer (id bigint PRIMARY KEY); CREATE TABLE orders (id bigint PRIMARY KEY)");
        script("1_customer.sql", "CREATE TABLE customer (id bigint PRIMARY KEY);");
        script("2_orders.sql", "CREATE TABLE orders (id bigint PRIMARY KEY);");
        script("3_order_note.sql", "ALTER TABLE orders ADD COLUMN note text;");

        MigrationResult result = migrate(Map.of(RunnerEnvironment.ADOPT, "2"));

        assertThat(result.outcome()).as(result.message()).isEqualTo(Outcome.Succeeded);
        assertThat(result.adopted()).isEqualTo("2");
        assertThat(result.applied()).isEqualTo(1);
        assertThat(result.to()).isEqualTo("3");
        assertThat(database.query("SELECT version || ' ' || success || ' ' || (execution_time = 0)"
                        + " FROM _sqlx_migrations ORDER BY version"))
                .containsExactly("1 true true", "2 true true", "3 true false");
        assertThat(database.query("SELECT encode(checksum, 'hex') FROM _sqlx_migrations WHERE version = 1"))
                .containsExactly(sha384(migrations.resolve("1_customer.sql")));
    }

    @Test
    void adoptionIsRefusedOnAHistoryWithRowsAndForAVersionNoScriptHas() throws Exception {
        script("1_customer.sql", "CREATE TABLE customer (id bigint PRIMARY KEY);");
        script("3_orders.sql", "CREATE TABLE orders (id bigint PRIMARY KEY);");

        MigrationResult unknown = migrate(Map.of(RunnerEnvironment.ADOPT, "2"));
        assertThat(database.query("SELECT count(*) FROM _sqlx_migrations")).containsExactly("0");
        migrate(Map.of());
        MigrationResult withRows = migrate(Map.of(RunnerEnvironment.ADOPT, "1"));

        assertThat(unknown.errorKind()).isEqualTo(ErrorKind.AdoptRefused);
        assertThat(unknown.message()).contains("spec.adopt.version 2 is not the version of any script");
        assertThat(withRows.errorKind()).isEqualTo(ErrorKind.AdoptRefused);
        assertThat(withRows.message()).contains("_sqlx_migrations already has 2 rows");
        assertThat(database.query("SELECT version FROM _sqlx_migrations ORDER BY version"))
                .containsExactly("1", "3");
    }

    private MigrationResult migrate(Map<String, String> overrides) throws InvalidSettingsException {
        Map<String, String> env = new HashMap<>();
        env.put(RunnerEnvironment.ENGINE, "sqlx");
        env.put(RunnerEnvironment.DB_URL, database.url());
        env.put(RunnerEnvironment.DB_USERNAME, database.user());
        env.put(RunnerEnvironment.DB_PASSWORD, database.password());
        env.put(RunnerEnvironment.MIGRATIONS_DIR, migrations.toString());
        env.put(RunnerEnvironment.RESULT_FILE, work.resolve("termination-log").toString());
        env.putAll(overrides);
        PrintStream console = new PrintStream(out, true, StandardCharsets.UTF_8);
        return new MigrateCommand(console, console, Engines::of).run(RunnerSettings.fromEnvironment(env, Engines::of));
    }

    private void script(String name, String content) throws IOException {
        Files.writeString(migrations.resolve(name), content);
    }

    private void copy(Path folder) throws IOException {
        for (Path file : sqlFiles(folder)) {
            Files.copy(file, migrations.resolve(file.getFileName().toString()));
        }
    }

    private static List<Path> sqlFiles(Path folder) throws IOException {
        try (Stream<Path> files = Files.list(folder)) {
            return files.filter(file -> file.toString().endsWith(".sql"))
                    .sorted()
                    .toList();
        }
    }

    private static String sha384(Path file) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-384").digest(Files.readAllBytes(file)));
    }
}
