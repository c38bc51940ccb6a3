package io.schemagate.testsupport;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * The real migration tools the engines are held against, built from their registries by the scripts
 * in testbed/tools/ and cached by version under ~/.cache/schemagate: a warm call builds nothing.
 */
public final class Tools {
    private Tools() {}

    /** sqlx-cli's {@code sqlx} binary. */
    public static Path sqlxCli() {
        return built("testbed/tools/sqlx-cli.sh");
    }

    /** The golang-migrate CLI, {@code migrate}. */
    public static Path golangMigrate() {
        return built("testbed/tools/go-tool.sh", "golang-migrate");
    }

    /** pressly's goose CLI. */
    public static Path goose() {
        return built("testbed/tools/go-tool.sh", "goose");
    }

    /** The dbmate CLI. */
    public static Path dbmate() {
        return built("testbed/tools/go-tool.sh", "dbmate");
    }

    /** Alembic, with SQLAlchemy and psycopg, from PyPI: its {@code alembic} command. */
    /** PostgreSQL's parser as a shared library, for the change policy. */
    public static Path libpgQuery() {
        return built("testbed/tools/libpg-query.sh");
    }

    public static Path alembic() {
        return built("testbed/tools/alembic.sh").resolve("bin/alembic");
    }

    /** The Liquibase command line with the PostgreSQL driver, from Maven Central: its launcher. */
    public static Path liquibase() {
        return built("testbed/tools/liquibase.sh");
    }

    /**
     * An image folder of the bed shaped like a Python application's: Alembic on its PATH, the
     * application folder at /app (its working directory).
     */
    public static void alembicImage(Path application, Path root) {
        run("testbed/tools/alembic-image.sh", application.toString(), root.toString());
    }

    /** The Alembic application of examples/alembic: alembic.ini, env.py and three revisions. */
    public static Path alembicApplication() {
        return Path.of("examples/alembic/app");
    }

    /**
     * An image folder of the bed holding a tool's command line as its upstream image does, as its
     * entrypoint: golang-migrate's {@code /migrate}, {@code /goose}, {@code /dbmate}, or Liquibase
     * at {@code /liquibase}.
     */
    public static void image(String tool, Path root) {
        run("testbed/tools/tool-image.sh", tool, root.toString());
    }

    /** The path a tool script prints on its last line, once it has built or found the tool. */
    private static Path built(String... command) {
        String output = run(command);
        return Path.of(output.substring(output.lastIndexOf('\n') + 1));
    }

    private static String run(String... command) {
        try {
            Process build = new ProcessBuilder(command)
                    .redirectError(ProcessBuilder.Redirect.INHERIT)
                    .start();
            String output = new String(build.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            assertThat(build.waitFor()).as(command[0]).isZero();
            return output;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(command[0] + " interrupted", e);
        }
    }
}
