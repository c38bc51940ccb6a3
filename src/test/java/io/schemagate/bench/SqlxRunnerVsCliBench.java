package io.schemagate.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.schemagate.contract.RunnerEnvironment;
import io.schemagate.testsupport.TestDatabases;
import io.schemagate.testsupport.Tools;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SchemaGate's runner with engine sqlx ({@code java -jar quarkus-run.jar migrate}, what a migration
 * Job runs) against sqlx-cli's {@code sqlx migrate run}, both applying the same 500 migrations to a
 * fresh database: wall clock from process start to exit, alternating which goes first. sqlx-cli is
 * native code that starts in milliseconds, so the ratio shows the JVM's start as well as the work.
 */
class SqlxRunnerVsCliBench {
    private static final int REPETITIONS = Integer.getInteger("bench.repetitions", 5);
    private static final String RUNNER = "SchemaGate runner (engine sqlx)";
    private static final String CLI = "sqlx-cli (sqlx migrate run)";

    @TempDir
    Path work;

    @Test
    void appliesFiveHundredMigrations() throws Exception {
        Path scripts = RunnerVsFlywayCliBench.writeMigrations(
                work.resolve("migrations"), (n, table) -> String.format(Locale.ROOT, "%04d_create_%s.sql", n, table));
        Path sqlx = Tools.sqlxCli();
        Map<String, List<Double>> millis =
                ToolRace.race(RUNNER, CLI, REPETITIONS, (tool, round) -> run(tool, scripts, sqlx, round));
        report(millis);
    }

    /** Runs one tool against a fresh database, checks that all migrations were applied, and drops it. */
    private double run(String tool, Path scripts, Path sqlx, int round) throws Exception {
        TestDatabases database = TestDatabases.fresh();
        try {
            ProcessBuilder builder = tool.equals(RUNNER) ? runner(database, scripts) : cli(database, scripts, sqlx);
            Path log = work.resolve("tool-" + (tool.equals(RUNNER) ? "runner" : "cli") + "-" + round + ".log");
            builder.directory(work.toFile()).redirectErrorStream(true).redirectOutput(log.toFile());
            long start = System.nanoTime();
            Process process = builder.start();
            assertThat(process.waitFor(10, TimeUnit.MINUTES))
                    .as(tool + " finished")
                    .isTrue();
            double elapsed = (System.nanoTime() - start) / 1_000_000.0;
            assertThat(process.exitValue())
                    .as(tool + " exit code; output:\n" + Files.readString(log))
                    .isZero();
            assertThat(count(database, "SELECT count(*) FROM _sqlx_migrations WHERE success"))
                    .as(tool + " recorded every migration")
                    .isEqualTo(RunnerVsFlywayCliBench.MIGRATIONS);
            assertThat(count(
                            database,
                            "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'"
                                    + " AND tablename LIKE 'item\\_%'"))
                    .as(tool + " created every table")
                    .isEqualTo(RunnerVsFlywayCliBench.MIGRATIONS);
            return elapsed;
        } finally {
            database.drop();
        }
    }

    private ProcessBuilder runner(TestDatabases database, Path scripts) {
        ProcessBuilder builder = RunnerVsFlywayCliBench.runner(database, scripts, work.resolve("runner-result.json"));
        builder.environment().put(RunnerEnvironment.ENGINE, "sqlx");
        return builder;
    }

    private static ProcessBuilder cli(TestDatabases database, Path scripts, Path sqlx) {
        ProcessBuilder builder = new ProcessBuilder(sqlx.toString(), "migrate", "run", "--source", scripts.toString());
        builder.environment().put("DATABASE_URL", database.libpqUrl());
        return builder;
    }

    private static void report(Map<String, List<Double>> millis) throws Exception {
        Map<String, Double> medians = new LinkedHashMap<>();
        List<List<String>> rows =
                ToolRace.rows("Tool (" + RunnerVsFlywayCliBench.MIGRATIONS + " migrations)", millis, medians);
        double ratio = medians.get(RUNNER) / medians.get(CLI);
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("migrations", RunnerVsFlywayCliBench.MIGRATIONS);
        data.put("millis", millis);
        data.put("medianMillis", medians);
        data.put("ratioRunnerToCli", ratio);
        BenchReport.record(
                "sqlxRunnerVsCli",
                new BenchReport.Section(
                        "Runner (engine sqlx) vs sqlx-cli",
                        RunnerVsFlywayCliBench.MIGRATIONS
                                + " generated migrations (the Flyway comparison's scripts, named"
                                + " <n>_create_<table>.sql) applied to a fresh database by each tool, wall clock from process"
                                + " start to exit, alternating order, " + REPETITIONS
                                + " counted runs each after one warm-up"
                                + " run each. sqlx-cli is the build of testbed/tools/sqlx-cli.sh.",
                        rows,
                        List.of(String.format(
                                Locale.ROOT, "Ratio of the medians, runner / sqlx-cli: **%.2f**.", ratio)),
                        data));
    }

    private static int count(TestDatabases database, String sql) throws SQLException {
        try (Connection connection = database.connect();
                Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery(sql)) {
            rows.next();
            return rows.getInt(1);
        }
    }
}
