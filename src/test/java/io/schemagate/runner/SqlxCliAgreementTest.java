package io.schemagate.runner;

import static org.assertj.core.api.Assertions.assertThat;

import io.schemagate.contract.MigrationResult;
import io.schemagate.contract.Outcome;
import io.schemagate.contract.RunnerEnvironment;
import io.schemagate.engine.Engines;
import io.schemagate.testsupport.Corpora;
import io.schemagate.testsupport.TestDatabases;
import io.schemagate.testsupport.Tools;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * SchemaGate's sqlx engine and the real sqlx-cli (built from crates.io by testbed/tools/sqlx-cli.sh)
 * on one database, both ways: each takes the other's history as its own.
 */
class SqlxCliAgreementTest {

    private static final String ZERO2PROD = "sqlx-zero2prod/migrations";
    private static final String QUICKWIT = "sqlx-quickwit/migrations/postgresql";

    private static Path sqlx;

    @RegisterExtension
    final TestDatabases database = new TestDatabases();

    @BeforeAll
    static void buildSqlxCli() {
        sqlx = Tools.sqlxCli();
    }

    @Test
    void afterSchemaGateSqlxCliFindsEveryMigrationInstalledAndNothingToRun() throws Exception {
        Path scripts = Corpora.folder(ZERO2PROD);
        MigrationResult result = migrate(scripts);
        assertThat(result.outcome()).as(result.message()).isEqualTo(Outcome.Succeeded);
        List<String> before = history();

        String info = sqlxCli("migrate", "info", "--source", scripts.toString());
        String run = sqlxCli("migrate", "run", "--source", scripts.toString());

        List<String> lines = info.lines().filter(line -> !line.isBlank()).toList();
        assertThat(lines)
                .hasSize(result.applied())
                .allSatisfy(line -> assertThat(line).contains("/installed "));
        assertThat(info).doesNotContain("pending").doesNotContain("different checksum");
        assertThat(run).doesNotContain("Applied");
        assertThat(history()).isEqualTo(before);
    }

    @Test
    void aDatabaseSqlxCliMigratedIsAdoptedAtItsRevisionWithoutRunningAnything() throws Exception {
        Path scripts = Corpora.folder(QUICKWIT);
        String run = sqlxCli("migrate", "run", "--source", scripts.toString());
        assertThat(run).contains("Applied 28/migrate");
        List<String> before = history();

        MigrationResult result = migrate(scripts);

        assertThat(result.outcome()).as(result.message()).isEqualTo(Outcome.Succeeded);
        assertThat(result.applied()).isZero();
        assertThat(result.from()).isEqualTo("28");
        assertThat(result.to()).isEqualTo("28");
        assertThat(history()).isEqualTo(before);
    }

    private MigrationResult migrate(Path scripts) throws InvalidSettingsException {
        PrintStream console = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
        return new MigrateCommand(console, console, Engines::of)
                .run(RunnerSettings.fromEnvironment(
                        Map.of(
                                RunnerEnvironment.ENGINE, "sqlx",
                                RunnerEnvironment.DB_URL, database.url(),
                                RunnerEnvironment.DB_USERNAME, database.user(),
                                RunnerEnvironment.DB_PASSWORD, database.password(),
                                RunnerEnvironment.MIGRATIONS_DIR, scripts.toString(),
                                RunnerEnvironment.RESULT_FILE, "/dev/null"),
                        Engines::of));
    }

    /** sqlx-cli's output; a failed command fails the test with what it printed. */
    private String sqlxCli(String... arguments) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(sqlx.toString()));
        command.addAll(List.of(arguments));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().put("DATABASE_URL", database.libpqUrl());
        builder.environment().put("NO_COLOR", "1");
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(output).isZero();
        return output;
    }

    private List<String> history() throws SQLException {
        try (Connection connection = database.connect();
                Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("SELECT version, description, installed_on, success,"
                        + " encode(checksum, 'hex'), execution_time FROM _sqlx_migrations ORDER BY version")) {
            List<String> values = new ArrayList<>();
            while (rows.next()) {
                values.add(rows.getString(1) + "|" + rows.getString(2) + "|" + rows.getString(3) + "|"
                        + rows.getString(4) + "|" + rows.getString(5) + "|" + rows.getString(6));
            }
            return values;
        }
    }
}
