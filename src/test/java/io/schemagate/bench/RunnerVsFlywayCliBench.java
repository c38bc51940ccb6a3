package io.schemagate.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.schemagate.contract.RunnerEnvironment;
import io.schemagate.reconcile.MigrationJob;
import io.schemagate.testsupport.TestDatabases;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BiFunction;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SchemaGate's runner ({@code java -jar quarkus-run.jar migrate}, what a migration Job runs) against
 * Flyway's own command-line tool, both applying the same 500 migrations to a fresh database: wall
 * clock from process start to exit, the same JVM binary for both, alternating which goes first so
 * neither always finds the caches warmer. The Flyway tool comes from the Maven profile {@code bench}.
 */
class RunnerVsFlywayCliBench {
    static final int MIGRATIONS = 500;
    private static final int REPETITIONS = Integer.getInteger("bench.repetitions", 5);
    private static final String RUNNER = "SchemaGate runner";
    private static final String CLI = "Flyway command-line tool";

    @TempDir
    Path work;

    @Test
    void appliesFiveHundredMigrations() throws Exception {
        Path scripts = writeMigrations(work.resolve("migrations"));
        Path cliLib = Path.of(System.getProperty("schemagate.bench.flyway-cli", "target/bench/flyway-cli"));
        assertThat(cliLib)
                .as("Flyway's command-line tool, copied by the Maven profile bench: run `make bench`")
                .isDirectoryContaining("glob:**/flyway-commandline-*.jar");
        Map<String, List<Double>> millis =
                ToolRace.race(RUNNER, CLI, REPETITIONS, (tool, round) -> run(tool, scripts, cliLib, round));
        report(millis, cliLib);
    }

    /** Runs one tool against a fresh database, checks that all migrations were applied, and drops it. */
    private double run(String tool, Path scripts, Path cliLib, int round) throws Exception {
        TestDatabases database = TestDatabases.fresh();
        try {
            ProcessBuilder builder = tool.equals(RUNNER)
                    ? runner(database, scripts, work.resolve("runner-result.json"))
                    : flywayCli(database, scripts, cliLib);
            Path log = work.resolve(tool.replace(' ', '-') + "-" + round + ".log");
            builder.directory(work.toFile()).redirectErrorStream(true).redirectOutput(log.toFile());
            long start = System.nanoTime();
            Process process = builder.start();
            assertThat(process.waitFor(10, TimeUnit.MINUTES))
                    .as(tool + " finished")
                    .isTrue();
            double elapsed = (System.nanoTime() - start) / 1_000_000.0;
            assertThat(process.exitValue())
                    .as(tool + " exit code; output:\n" + tail(log))
                    .isZero();
            assertThat(count(
                            database,
                            "SELECT count(*) FROM flyway_schema_history WHERE success AND version IS NOT NULL"))
                    .as(tool + " applied every migration")
                    .isEqualTo(MIGRATIONS);
            assertThat(count(
                            database,
                            "SELECT count(*) FROM pg_tables WHERE schemaname = 'public' AND tablename LIKE 'item\\_%'"))
                    .as(tool + " created every table")
                    .isEqualTo(MIGRATIONS);
            return elapsed;
        } finally {
            database.drop();
        }
    }

    /**
     * The runner as a Job runs it, on the database and scripts, writing its result where told: with
     * the Job's JVM options and the class-data sharing archive the image's entry point maps.
     */
    static ProcessBuilder runner(TestDatabases database, Path scripts, Path resultFile) {
        ProcessBuilder builder = new ProcessBuilder(
                java(), "-XX:SharedArchiveFile=" + classArchive(), "-jar", jar().toString(), "migrate");
        Map<String, String> env = builder.environment();
        env.keySet().removeIf(name -> name.startsWith("SCHEMAGATE_"));
        env.put(RunnerEnvironment.DB_URL, database.url());
        env.put(RunnerEnvironment.DB_USERNAME, database.user());
        env.put(RunnerEnvironment.DB_PASSWORD, database.password());
        env.put(RunnerEnvironment.MIGRATIONS_DIR, scripts.toString());
        env.put(RunnerEnvironment.RESULT_FILE, resultFile.toString());
        // The JVM options a Job gives the runner, beside the image's own.
        env.put("JDK_JAVA_OPTIONS", MigrationJob.JVM_OPTIONS);
        return builder;
    }

    private static Path jar() {
        return Path.of(System.getProperty("schemagate.app.jar", "target/quarkus-app/quarkus-run.jar"))
                .toAbsolutePath();
    }

    private static Path archive;

    /**
     * The runner's class-data sharing archive, trained once per JVM as the image's Dockerfile trains
     * it: a run of {@code migrate} that stops at a connection nothing answers, with the Job's JVM
     * options, without which a JVM leaves the archive aside.
     */
    private static synchronized Path classArchive() {
        if (archive != null) {
            return archive;
        }
        Path trained = Path.of("target/bench/runner.jsa").toAbsolutePath();
        try {
            Files.createDirectories(trained.getParent());
            Files.deleteIfExists(trained);
            List<String> command = new ArrayList<>(List.of(java()));
            command.addAll(List.of(MigrationJob.JVM_OPTIONS.split(" ")));
            command.addAll(List.of("-XX:ArchiveClassesAtExit=" + trained, "-jar", jar().toString(), "migrate"));
            ProcessBuilder training = new ProcessBuilder(command).redirectErrorStream(true);
            Map<String, String> env = training.environment();
            env.keySet().removeIf(name -> name.startsWith("SCHEMAGATE_") || name.equals("JDK_JAVA_OPTIONS"));
            env.put(RunnerEnvironment.DB_URL, "jdbc:postgresql://127.0.0.1:1/training");
            env.put(RunnerEnvironment.MIGRATIONS_DIR, trained.getParent().toString());
            env.put(
                    RunnerEnvironment.RESULT_FILE,
                    trained.resolveSibling("training-result.json").toString());
            Process process = training.start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            process.waitFor();
            assertThat(trained)
                    .as("the training run's archive; its output:\n" + output)
                    .isNotEmptyFile();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        archive = trained;
        return archive;
    }

    /** The tool's own entry point and flags; the password goes in its environment, not on the command line. */
    private static ProcessBuilder flywayCli(TestDatabases database, Path scripts, Path cliLib) {
        ProcessBuilder builder = new ProcessBuilder(
                java(),
                "-cp",
                cliLib.toAbsolutePath() + "/*",
                "org.flywaydb.commandline.Main",
                "migrate",
                // Its update check would call out to the internet; SchemaGate's runner has none.
                "-skipCheckForUpdate",
                "-url=" + database.url(),
                "-user=" + database.user(),
                "-locations=filesystem:" + scripts);
        builder.environment().keySet().removeIf(name -> name.startsWith("FLYWAY_") || name.equals("JDK_JAVA_OPTIONS"));
        builder.environment().put("FLYWAY_PASSWORD", database.password());
        return builder;
    }

    /**
     * Realistic DDL that grows a schema: each script creates a table that references the previous one,
     * indexes it and seeds a few rows.
     */
    static Path writeMigrations(Path dir) throws IOException {
        return writeMigrations(dir, (n, table) -> "V" + n + "__create_" + table + ".sql");
    }

    /** The same scripts, named by the engine's convention from their number and table. */
    static Path writeMigrations(Path dir, BiFunction<Integer, String, String> fileName) throws IOException {
        Files.createDirectories(dir);
        for (int n = 1; n <= MIGRATIONS; n++) {
            String table = String.format(Locale.ROOT, "item_%04d", n);
            String parent = n == 1
                    ? ""
                    : String.format(Locale.ROOT, ",%n    parent_id bigint REFERENCES item_%04d (id)", n - 1);
            String sql = String.format(Locale.ROOT, """
                    CREATE TABLE %1$s (
                        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                        name text NOT NULL,
                        created_at timestamptz NOT NULL DEFAULT now()%2$s
                    );
                    CREATE INDEX %1$s_created_at ON %1$s (created_at);
                    INSERT INTO %1$s (name) SELECT 'row ' || g FROM generate_series(1, 10) AS g;
                    """, table, parent);
            Files.writeString(dir.resolve(fileName.apply(n, table)), sql);
        }
        return dir;
    }

    private static void report(Map<String, List<Double>> millis, Path cliLib) throws IOException {
        Map<String, Double> medians = new LinkedHashMap<>();
        List<List<String>> rows = ToolRace.rows("Tool (" + MIGRATIONS + " migrations)", millis, medians);
        double ratio = medians.get(RUNNER) / medians.get(CLI);
        // Both tools of a round ran back to back, so their ratio cancels most of the drift in machine load.
        List<Double> roundRatios = new ArrayList<>();
        for (int round = 0; round < millis.get(RUNNER).size(); round++) {
            roundRatios.add(millis.get(RUNNER).get(round) / millis.get(CLI).get(round));
        }
        double medianRoundRatio = Percentiles.rank(roundRatios.stream().sorted().toList(), 50);
        String cliJars = jarNames(cliLib);
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("migrations", MIGRATIONS);
        data.put("millis", millis);
        data.put("medianMillis", medians);
        data.put("ratioRunnerToCli", ratio);
        data.put("roundRatiosRunnerToCli", roundRatios);
        data.put("flywayCliClasspath", cliJars);
        BenchReport.record(
                "runnerVsFlywayCli",
                new BenchReport.Section(
                        "Runner vs Flyway's command-line tool",
                        MIGRATIONS
                                + " generated migrations (a table referencing the previous one, an index, 10 rows each) "
                                + "applied to a fresh database by each tool, wall clock from process start to exit, "
                                + "same JVM binary, alternating order, " + REPETITIONS + " counted runs each after one "
                                + "warm-up run each.",
                        rows,
                        List.of(
                                String.format(
                                        Locale.ROOT,
                                        "Ratio of the medians, runner / command-line tool: **%.2f** "
                                                + "(median of the per-round ratios: %.2f).",
                                        ratio,
                                        medianRoundRatio),
                                "Flyway command-line classpath: " + cliJars + "."),
                        data));
    }

    private static String jarNames(Path dir) throws IOException {
        try (Stream<Path> jars = Files.list(dir)) {
            return String.join(
                    ", ", jars.map(jar -> jar.getFileName().toString()).sorted().toList());
        }
    }

    private static int count(TestDatabases database, String sql) throws SQLException {
        try (Connection connection = database.connect();
                Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery(sql)) {
            rows.next();
            return rows.getInt(1);
        }
    }

    private static String tail(Path log) throws IOException {
        List<String> lines = Files.readAllLines(log);
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
    }

    private static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }
}
