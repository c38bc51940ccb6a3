package io.schemagate.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.schemagate.testsupport.TestDatabases;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import java.util.TreeMap;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.configuration.FluentConfiguration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Reads history tables that real Flyway runs wrote. */
class SchemaHistoryReaderTest {

    private static final HistoryTable DEFAULT = new HistoryTable("public", HistoryTable.DEFAULT_TABLE);

    @RegisterExtension
    final TestDatabases database = new TestDatabases();

    @TempDir
    Path migrations;

    private final SchemaHistoryReader reader = new SchemaHistoryReader();
    private final Map<String, String> scripts = new TreeMap<>();

    @Test
    void aSchemaFlywayNeverTouchedHasNoHistoryTable() throws SQLException {
        SchemaRevision revision = reader.read(connection(), DEFAULT);

        assertThat(revision.historyTableExists()).isFalse();
        assertThat(revision.currentVersion()).isEmpty();
    }

    @Test
    void readsTheAppliedMigrationsAndTheCurrentVersion() throws Exception {
        script("V1__customer.sql", "CREATE TABLE customer (id int);\r\n");
        script("V1.9__nine.sql", "SELECT 19;");
        script("V1.10__ten.sql", "\ufeffSELECT 110;\n");
        script("R__view.sql", "CREATE OR REPLACE VIEW customers AS SELECT * FROM customer;");
        flyway().load().migrate();

        SchemaRevision revision = reader.read(connection(), DEFAULT);

        assertThat(revision.historyTableExists()).isTrue();
        assertThat(revision.currentVersion()).contains(Version.parse("1.10"));
        assertThat(revision.applied())
                .extracting(AppliedMigration::script)
                .containsExactly("V1__customer.sql", "V1.9__nine.sql", "V1.10__ten.sql", "R__view.sql");
        assertThat(revision.applied()).allSatisfy(row -> {
            assertThat(row.success()).isTrue();
            assertThat(row.installedOn()).isNotNull();
        });
        assertThat(revision.failed()).isEmpty();
        MigrationSet set = MigrationSet.of(scripts);
        assertThat(set.drifted(revision)).isEmpty();
        assertThat(revision.applied())
                .filteredOn(AppliedMigration::isVersioned)
                .extracting(AppliedMigration::checksum)
                .containsExactlyElementsOf(
                        set.versioned().stream().map(Migration::checksum).toList());
        assertThat(set.pending(revision, Version.LATEST)).isEmpty();
    }

    @Test
    void reportsAFailedMigrationLeftInTheHistory() throws Exception {
        script("V1__customer.sql", "CREATE TABLE customer (id int);");
        flyway().load().migrate();
        script("V2__index.sql", "CREATE INDEX CONCURRENTLY customer_id ON customer (id);");
        // What a failed non-transactional migration leaves behind when the history write survives it.
        execute("INSERT INTO flyway_schema_history (installed_rank, version, description, type, script, checksum,"
                + " installed_by, execution_time, success) VALUES (2, '2', 'index', 'SQL', 'V2__index.sql', 0,"
                + " current_user, 5, false)");

        SchemaRevision revision = reader.read(connection(), DEFAULT);

        assertThat(revision.currentVersion()).contains(Version.parse("1"));
        assertThat(revision.failed()).singleElement().satisfies(row -> {
            assertThat(row.version()).isEqualTo(Version.parse("2"));
            assertThat(row.script()).isEqualTo("V2__index.sql");
            assertThat(row.success()).isFalse();
        });
        assertThat(MigrationSet.of(scripts).pending(revision, Version.LATEST)).containsExactly(Version.parse("2"));
    }

    @Test
    void readsAHistoryTableWithACaseSensitiveNameInAnotherSchema() throws Exception {
        script("V7__start.sql", "CREATE TABLE started (id int);");
        flyway().schemas("App").table("Schema History").load().migrate();

        SchemaRevision revision = reader.read(connection(), new HistoryTable("App", "Schema History"));

        assertThat(revision.currentVersion()).contains(Version.parse("7"));
        assertThat(reader.read(connection(), DEFAULT).historyTableExists()).isFalse();
    }

    @Test
    void aWrongPasswordFailsWithItsSqlState() {
        SQLException error = catchThrowableOfType(
                SQLException.class,
                () -> reader.read(new DatabaseConnection(database.url(), database.user(), "wrong"), DEFAULT));

        assertThat(error.getSQLState()).isEqualTo("28P01");
    }

    private DatabaseConnection connection() {
        return new DatabaseConnection(database.url(), database.user(), database.password());
    }

    private FluentConfiguration flyway() {
        return Flyway.configure()
                .dataSource(database.url(), database.user(), database.password())
                .locations("filesystem:" + migrations);
    }

    private void execute(String sql) throws SQLException {
        try (Connection connection = database.connect();
                Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }

    private void script(String name, String content) throws IOException {
        scripts.put(name, content);
        Files.writeString(migrations.resolve(name), content);
    }
}
