package io.schemagate.runner;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.schemagate.contract.RunnerEnvironment;
import io.schemagate.testsupport.TestDatabases;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged application run the way the Job runs it: {@code java -jar quarkus-run.jar migrate}.
 * Runs in the integration-test phase, after Quarkus built {@code target/quarkus-app}.
 */
class MigrateJarIT {

    /** Lines only a booting Quarkus prints: migrate mode must start none of it. */
    private static final List<String> QUARKUS_BOOT_LINES =
            List.of("Installed features", "Listening on", "started in", "Profile prod activated", "__  ____  __");

    @RegisterExtension
    final TestDatabases database = new TestDatabases();

    @TempDir
    Path work;

    private Path migrations;
    private Path resultFile;

    @BeforeEach
    void layout() throws IOException {
        migrations = Files.createDirectories(work.resolve("migrations/orders"));
        resultFile = work.resolve("termination-log");
        Files.writeString(migrations.resolve("V1__customer.sql"), "CREATE TABLE customer (id bigint PRIMARY KEY);");
        Files.writeString(migrations.resolve("V2__orders.sql"), "CREATE TABLE orders (id bigint PRIMARY KEY);");
    }

    @Test
    void migratesWithoutBootingQuarkus() throws Exception {
        Run run = migrate(Map.of());

        assertThat(run.exitCode()).as(run.toString()).isZero();
        JsonNode result = new ObjectMapper().readTree(Files.readString(resultFile));
        assertThat(result.get("outcome").asText()).isEqualTo("Succeeded");
        assertThat(result.get("to").asText()).isEqualTo("2");
        assertThat(result.get("applied").asInt()).isEqualTo(2);
        assertThat(run.stdout()).contains("schemagate migrate: Succeeded");
        assertThat(run.stdout() + run.stderr()).doesNotContain(QUARKUS_BOOT_LINES.toArray(String[]::new));
    }

    @Test
    void exitsWithTheTransientCodeAndNoPasswordWhenTheDatabaseRefusesTheCredentials() throws Exception {
        String wrong = "jar-wrong-" + System.nanoTime();

        Run run = migrate(Map.of(RunnerEnvironment.DB_PASSWORD, wrong));

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(2);
        String result = Files.readString(resultFile);
        assertThat(new ObjectMapper().readTree(result).get("errorKind").asText())
                .isEqualTo("AuthenticationFailed");
        assertThat(run.stdout() + run.stderr() + result).doesNotContain(wrong);
    }

    private Run migrate(Map<String, String> overrides) throws IOException, InterruptedException {
        String jar = System.getProperty("schemagate.app.jar", "target/quarkus-app/quarkus-run.jar");
        assertThat(Path.of(jar))
                .as("the packaged application; run this test with `mvn verify`")
                .isRegularFile();
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        ProcessBuilder builder = new ProcessBuilder(java.toString(), "-jar", jar, MigrateCommand.NAME)
                .redirectOutput(work.resolve("stdout").toFile())
                .redirectError(work.resolve("stderr").toFile());
        Map<String, String> env = builder.environment();
        env.keySet().removeIf(name -> name.startsWith("SCHEMAGATE_"));
        env.putAll(settings());
        env.putAll(overrides);
        Process process = builder.start();
        assertThat(process.waitFor(2, TimeUnit.MINUTES)).as("migrate finished").isTrue();
        return new Run(process.exitValue(), read("stdout"), read("stderr"));
    }

    private Map<String, String> settings() {
        Map<String, String> env = new HashMap<>();
        env.put(RunnerEnvironment.DB_URL, database.url());
        env.put(RunnerEnvironment.DB_USERNAME, database.user());
        env.put(RunnerEnvironment.DB_PASSWORD, database.password());
        env.put(RunnerEnvironment.MIGRATIONS_DIR, migrations.getParent().toString());
        env.put(RunnerEnvironment.RESULT_FILE, resultFile.toString());
        return env;
    }

    private String read(String name) throws IOException {
        return Files.readString(work.resolve(name), StandardCharsets.UTF_8);
    }

    private record Run(int exitCode, String stdout, String stderr) {}
}
