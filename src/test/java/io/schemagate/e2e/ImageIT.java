package io.schemagate.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.schemagate.contract.MigrationResult;
import io.schemagate.contract.Outcome;
import io.schemagate.contract.RunnerEnvironment;
import io.schemagate.reconcile.MigrationJob;
import io.schemagate.support.Json;
import io.schemagate.testsupport.TestDatabases;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.testcontainers.containers.BindMode;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.startupcheck.OneShotStartupCheckStrategy;
import org.testcontainers.utility.DockerImageName;

/**
 * The SchemaGate image itself, as `make image` builds it, run by Testcontainers on the Docker engine
 * that built it, locked down as the chart and the Jobs run it: a numeric non-root user, a read-only
 * root file system, /tmp the only writable place. Its runner migrates the bed's PostgreSQL; its
 * PostgreSQL client tools and PostgreSQL's parser are where the runner and the operator look.
 */
class ImageIT {
    private TestDatabases database;

    @BeforeEach
    void database() throws Exception {
        database = TestDatabases.fresh();
    }

    @AfterEach
    void drop() throws Exception {
        database.drop();
    }

    @Test
    void theRunnerMigratesAsANumericNonRootUserOnAReadOnlyRootFileSystemWithItsClassArchive() throws Exception {
        // The image's user is not this one: it may read the scripts and write its result.
        Path scripts = Files.createTempDirectory(
                "scripts-", PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
        Files.writeString(scripts.resolve("V1__customers.sql"), "CREATE TABLE customers (id bigint);\n");
        Files.writeString(scripts.resolve("V2__orders.sql"), "CREATE TABLE orders (id bigint);\n");
        Path result = Files.createTempDirectory("result-");
        Files.setPosixFilePermissions(result, PosixFilePermissions.fromString("rwxrwxrwx"));

        try (GenericContainer<?> runner = lockedDown(new GenericContainer<>(image()))
                .withCommand("migrate")
                .withFileSystemBind(scripts.toString(), "/schemagate/migrations", BindMode.READ_ONLY)
                .withFileSystemBind(result.toString(), "/result", BindMode.READ_WRITE)
                .withEnv(Map.of(
                        RunnerEnvironment.DB_URL,
                        database.url(),
                        RunnerEnvironment.DB_USERNAME,
                        database.user(),
                        RunnerEnvironment.DB_PASSWORD,
                        database.password(),
                        RunnerEnvironment.MIGRATIONS_DIR,
                        "/schemagate/migrations",
                        RunnerEnvironment.RESULT_FILE,
                        "/result/result.json",
                        // As the Jobs set it, and the JVM stops unless it maps the image's class archive.
                        "JDK_JAVA_OPTIONS",
                        MigrationJob.JVM_OPTIONS + " -Xshare:on"))
                .withStartupCheckStrategy(new OneShotStartupCheckStrategy().withTimeout(Duration.ofMinutes(2)))) {
            runner.start();

            assertThat(runner.getCurrentContainerInfo().getConfig().getUser()).isEqualTo("1001");
            MigrationResult migrated =
                    Json.read(Files.readString(result.resolve("result.json")), MigrationResult.class);
            assertThat(migrated.outcome()).as(runner.getLogs()).isEqualTo(Outcome.Succeeded);
            assertThat(migrated.to()).isEqualTo("2");
        }
        assertThat(database.query("SELECT version FROM flyway_schema_history ORDER BY installed_rank"))
                .containsExactly("1", "2");
    }

    @Test
    void itCarriesPgDumpPgRestoreAndPostgresParser() {
        try (GenericContainer<?> tools = lockedDown(new GenericContainer<>(image()))
                .withCreateContainerCmdModifier(cmd -> cmd.withEntrypoint("/bin/sh"))
                .withCommand(
                        "-c",
                        "for tool in /usr/lib/postgresql/*/bin/pg_dump /usr/lib/postgresql/*/bin/pg_restore; do"
                                + " \"$tool\" --version; done; ldd /opt/schemagate/lib/libpg_query.so; id -u")
                .withStartupCheckStrategy(new OneShotStartupCheckStrategy().withTimeout(Duration.ofMinutes(1)))) {
            tools.start();

            String output = tools.getLogs();
            assertThat(output)
                    .contains("pg_dump (PostgreSQL)")
                    .contains("pg_restore (PostgreSQL)")
                    .doesNotContain("not found")
                    .contains("libc.so");
            assertThat(output.strip()).endsWith("1001");
        }
        System.out.printf("image %s: %d MiB%n", Images.operator(), Images.size(Images.operator()) >> 20);
    }

    private static DockerImageName image() {
        return DockerImageName.parse(Images.operator());
    }

    /** As the chart and the Jobs run it: read-only root, /tmp in memory, the host's network (the bed's PostgreSQL). */
    private static GenericContainer<?> lockedDown(GenericContainer<?> container) {
        return container
                .withNetworkMode("host")
                .withTmpFs(Map.of("/tmp", "rw,size=64m"))
                .withCreateContainerCmdModifier(cmd -> cmd.getHostConfig()
                        .withReadonlyRootfs(true)
                        .withCapDrop(com.github.dockerjava.api.model.Capability.ALL)
                        .withSecurityOpts(java.util.List.of("no-new-privileges")));
    }
}
