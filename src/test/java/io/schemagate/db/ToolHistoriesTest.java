package io.schemagate.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.schemagate.testsupport.Corpora;
import io.schemagate.testsupport.TestDatabases;
import io.schemagate.testsupport.Tools;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * History tables written by the real tools (built by testbed/tools/), read by their formats: what
 * the command engine reports after each tool ran.
 */
class ToolHistoriesTest {

    @RegisterExtension
    final TestDatabases database = new TestDatabases();

    @TempDir
    Path scripts;

    private final SchemaHistoryReader reader = new SchemaHistoryReader();

    @Test
    void golangMigratesOneRowIsItsVersionAndDirtyReadsAsAFailedRow() throws Exception {
        write("1_customers.up.sql", "CREATE TABLE customers (id bigint PRIMARY KEY);");
        write("2_orders.up.sql", "CREATE TABLE orders (id bigint PRIMARY KEY);");
        run(Tools.golangMigrate(), "-path", scripts.toString(), "-database", url(), "up");

        SchemaRevision clean = read(HistoryFormat.golangMigrate, "schema_migrations");
        assertThat(clean.currentVersion()).contains(Version.parse("2"));
        assertThat(clean.failed()).isEmpty();

        database.execute("UPDATE schema_migrations SET dirty = true");
        assertThat(read(HistoryFormat.golangMigrate, "schema_migrations").failed())
                .extracting(AppliedMigration::version)
                .containsExactly(Version.parse("2"));
    }

    @Test
    void aGolangMigrateTableIsNotReadAsDbmatesOfTheSameName() throws Exception {
        write("1_customers.up.sql", "CREATE TABLE customers (id bigint PRIMARY KEY);");
        run(Tools.golangMigrate(), "-path", scripts.toString(), "-database", url(), "up");

        assertThatThrownBy(() -> read(HistoryFormat.dbmate, "schema_migrations"))
                .isInstanceOf(UnexpectedHistoryTableException.class)
                .hasMessageContaining("is not dbmate's history table")
                .hasMessageContaining("dirty");
    }

    @Test
    void goosesRowsAreItsAppliedVersionsAndAnUndoneOneIsNotAmongThem() throws Exception {
        write(
                "00001_customers.sql",
                "-- +goose Up\nCREATE TABLE customers (id bigint PRIMARY KEY);\n"
                        + "-- +goose Down\nDROP TABLE customers;\n");
        write(
                "00002_orders.sql",
                "-- +goose Up\nCREATE TABLE orders (id bigint PRIMARY KEY);\n"
                        + "-- +goose Down\nDROP TABLE orders;\n");
        write(
                "00003_notes.sql",
                "-- +goose Up\nCREATE TABLE notes (id bigint PRIMARY KEY);\n-- +goose Down\nDROP TABLE notes;\n");
        Map<String, String> env = Map.of("GOOSE_DRIVER", "postgres", "GOOSE_DBSTRING", url());
        run(env, Tools.goose(), "-dir", scripts.toString(), "up");
        run(env, Tools.goose(), "-dir", scripts.toString(), "down");

        SchemaRevision revision = read(HistoryFormat.goose, "goose_db_version");

        assertThat(revision.currentVersion()).contains(Version.parse("2"));
        assertThat(revision.appliedVersions()).containsExactlyInAnyOrder(Version.parse("1"), Version.parse("2"));
        assertThat(revision.failed()).isEmpty();
    }

    @Test
    void dbmatesTextVersionsAreItsAppliedVersions() throws Exception {
        write(
                "20250101000001_customers.sql",
                "-- migrate:up\nCREATE TABLE customers (id bigint PRIMARY KEY);\n"
                        + "-- migrate:down\nDROP TABLE customers;\n");
        write(
                "20250101000002_orders.sql",
                "-- migrate:up\nCREATE TABLE orders (id bigint PRIMARY KEY);\n"
                        + "-- migrate:down\nDROP TABLE orders;\n");
        run(
                Map.of("DATABASE_URL", url()),
                Tools.dbmate(),
                "--migrations-dir",
                scripts.toString(),
                "--no-dump-schema",
                "up");

        SchemaRevision revision = read(HistoryFormat.dbmate, "schema_migrations");

        assertThat(revision.currentVersion()).contains(Version.parse("20250101000002"));
        assertThat(revision.applied()).hasSize(2);
        assertThat(HistoryFormat.dbmate.dialect().scriptVersion("20250101000002_orders.sql"))
                .contains(Version.parse("20250101000002"));
    }

    /**
     * Traccar's published changelogs, run by the real Liquibase command line: every changeset it ran
     * or marked ran (TimescaleDB is absent) is a row, the last one is where the schema stands, and a
     * tag and a held lock show as Liquibase's own commands leave them.
     */
    @Test
    void liquibasesChangesetsTagsAndLockAreItsRevision() throws Exception {
        Map<String, String> env = Map.of(
                "LIQUIBASE_COMMAND_URL",
                database.url(),
                "LIQUIBASE_COMMAND_USERNAME",
                database.user(),
                "LIQUIBASE_COMMAND_PASSWORD",
                database.password(),
                "LIQUIBASE_SEARCH_PATH",
                Corpora.folder("liquibase-traccar/schema").toString(),
                "LIQUIBASE_COMMAND_CHANGELOG_FILE",
                "changelog-master.xml",
                "LIQUIBASE_ANALYTICS_ENABLED",
                "false");
        run(env, Tools.liquibase(), "update");

        SchemaRevision revision = read(HistoryFormat.liquibase, "databasechangelog");

        List<String> ids = database.query("SELECT id FROM databasechangelog ORDER BY orderexecuted");
        assertThat(revision.applied()).hasSize(ids.size());
        assertThat(revision.applied()).extracting(AppliedMigration::type).contains("EXECUTED", "MARK_RAN");
        assertThat(revision.label()).isEqualTo(ids.get(ids.size() - 1));
        assertThat(revision.named().reached()).containsAll(ids).first().isEqualTo(revision.label());
        assertThat(revision.named().lock()).isNull();

        run(env, Tools.liquibase(), "tag", "--tag=v1");
        database.execute("UPDATE databasechangeloglock SET locked = true, lockedby = 'orders-7d9f (10.0.0.7)',"
                + " lockgranted = now()");
        SchemaRevision tagged = read(HistoryFormat.liquibase, "databasechangelog");

        assertThat(tagged.named().tag()).isEqualTo("v1");
        assertThat(tagged.named().reached()).startsWith("v1", revision.label());
        assertThat(tagged.named().lock()).contains("public.databasechangeloglock is held by orders-7d9f (10.0.0.7)");
    }

    private SchemaRevision read(HistoryFormat format, String table) throws SQLException {
        return reader.read(
                new DatabaseConnection(database.url(), database.user(), database.password()),
                new HistoryTable(format, "public", table));
    }

    /** The test database as the tools take it: a libpq URL, without TLS (the bed's server has none). */
    private String url() {
        return database.libpqUrl() + "?sslmode=disable";
    }

    private void write(String name, String content) throws Exception {
        Files.writeString(scripts.resolve(name), content);
    }

    private static void run(Path tool, String... arguments) throws Exception {
        run(Map.of(), tool, arguments);
    }

    private static void run(Map<String, String> env, Path tool, String... arguments) throws Exception {
        List<String> command = new ArrayList<>(List.of(tool.toString()));
        command.addAll(List.of(arguments));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().putAll(env);
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(180, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(output).isZero();
    }
}
