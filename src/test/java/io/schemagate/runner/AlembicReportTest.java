package io.schemagate.runner;

import static org.assertj.core.api.Assertions.assertThat;

import io.schemagate.contract.ErrorKind;
import io.schemagate.contract.MigrationResult;
import io.schemagate.contract.Outcome;
import io.schemagate.contract.RunnerEnvironment;
import io.schemagate.engine.Engines;
import io.schemagate.testsupport.TestDatabases;
import io.schemagate.testsupport.Tools;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The runner's report after the real Alembic (from PyPI, built by testbed/tools/alembic.sh) ran on a
 * fresh database: its reading of the scripts agrees with Alembic's own {@code heads}, {@code current}
 * and {@code history}.
 */
class AlembicReportTest {

    private static final Pattern REVISION_ID = Pattern.compile("\\b([0-9a-z]+)\\b");

    @RegisterExtension
    final TestDatabases database = new TestDatabases();

    @TempDir
    Path work;

    private Path app;
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    @BeforeEach
    void copyTheApplication() throws IOException {
        app = work.resolve("app");
        try (Stream<Path> files = Files.walk(Tools.alembicApplication())) {
            for (Path file : files.toList()) {
                Path target =
                        app.resolve(Tools.alembicApplication().relativize(file).toString());
                if (Files.isDirectory(file)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(file, target);
                }
            }
        }
    }

    @Test
    void reportsWhatAlembicAppliedAndEveryRevisionBelowItsHead() throws Exception {
        alembic("upgrade", "head");

        MigrationResult result = report(Map.of());

        String head = ids(alembic("heads")).get(0);
        assertThat(result.outcome()).as(result.message()).isEqualTo(Outcome.Succeeded);
        assertThat(result.to())
                .isEqualTo(head)
                .isEqualTo(ids(alembic("current")).get(0));
        assertThat(result.latest()).isEqualTo(head);
        assertThat(result.applied()).isEqualTo(3);
        // alembic history lists newest first, as the report does.
        assertThat(result.reached()).containsExactlyElementsOf(historyIds());
    }

    @Test
    void aRunThatFindsTheHeadItStartedFromAppliedNothing() throws Exception {
        alembic("upgrade", "head");
        String head = ids(alembic("current")).get(0);

        MigrationResult result = report(Map.of(RunnerEnvironment.PREVIOUS_REVISION, head));

        assertThat(result.outcome()).isEqualTo(Outcome.Succeeded);
        assertThat(result.from()).isEqualTo(head);
        assertThat(result.applied()).isZero();
    }

    @Test
    void branchesAreUpgradedToEveryHeadWithHeads() throws Exception {
        clearVersions();
        revision("a1", "None");
        revision("b2", "'a1'");
        revision("c3", "'a1'");
        alembic("upgrade", "heads");

        MigrationResult result = report(Map.of(RunnerEnvironment.TARGET, "heads"));

        assertThat(result.outcome()).as(result.message()).isEqualTo(Outcome.Succeeded);
        assertThat(result.to())
                .isEqualTo(String.join(
                        ",", ids(alembic("current")).stream().sorted().toList()))
                .isEqualTo("b2,c3");
        assertThat(result.reached()).containsExactlyInAnyOrder("b2", "c3", "a1");
        assertThat(report(Map.of(RunnerEnvironment.TARGET, "head")).message()).contains("2 heads (b2, c3)");
    }

    @Test
    void aTargetBelowTheHeadIsRefusedAsTheOtherEnginesRefuseIt() throws Exception {
        alembic("upgrade", "head");
        String middle = historyIds().get(1);

        MigrationResult result = report(Map.of(RunnerEnvironment.TARGET, middle));

        assertThat(result.outcome()).isEqualTo(Outcome.Failed);
        assertThat(result.errorKind()).isEqualTo(ErrorKind.TargetBehindDatabase);
    }

    @Test
    void aScriptSchemaGateCannotReadIsNamed() throws Exception {
        alembic("upgrade", "head");
        Files.writeString(
                app.resolve("migrations/versions/zz_computed.py"), "revision = 'zz'\ndown_revision = compute()\n");

        MigrationResult result = report(Map.of());

        assertThat(result.errorKind()).isEqualTo(ErrorKind.InvalidConfiguration);
        assertThat(result.message()).contains("zz_computed.py, line 2");
    }

    private MigrationResult report(Map<String, String> overrides) throws InvalidSettingsException {
        Map<String, String> env = new HashMap<>();
        env.put(RunnerEnvironment.ENGINE, "alembic");
        env.put(RunnerEnvironment.HISTORY_FORMAT, "alembic");
        env.put(RunnerEnvironment.DB_URL, database.url());
        env.put(RunnerEnvironment.DB_USERNAME, database.user());
        env.put(RunnerEnvironment.DB_PASSWORD, database.password());
        env.put(RunnerEnvironment.MIGRATIONS_DIR, app.toString());
        env.put(RunnerEnvironment.RESULT_FILE, work.resolve("termination-log").toString());
        env.putAll(overrides);
        PrintStream console = new PrintStream(out, true, StandardCharsets.UTF_8);
        return new MigrateCommand(console, console, Engines::of).run(RunnerSettings.fromEnvironment(env, Engines::of));
    }

    private List<String> historyIds() throws Exception {
        List<String> ids = new ArrayList<>();
        for (String line : alembic("history").split("\n", -1)) {
            // "<from> -> <to> (head), message": the revision a line is about is the one after the arrow.
            int arrow = line.indexOf("->");
            if (arrow >= 0) {
                ids.add(ids(line.substring(arrow + 2)).get(0));
            }
        }
        return ids;
    }

    private static List<String> ids(String output) {
        List<String> ids = new ArrayList<>();
        for (String line : output.split("\n", -1)) {
            Matcher id = REVISION_ID.matcher(line.strip());
            if (!line.isBlank() && id.lookingAt()) {
                ids.add(id.group(1));
            }
        }
        return ids;
    }

    private void clearVersions() throws IOException {
        try (Stream<Path> files = Files.list(app.resolve("migrations/versions"))) {
            for (Path file : files.toList()) {
                Files.delete(file);
            }
        }
    }

    private void revision(String id, String downRevision) throws IOException {
        Files.writeString(
                app.resolve("migrations/versions/" + id + ".py"),
                "from alembic import op\n\n"
                        + "revision = '" + id + "'\ndown_revision = " + downRevision + "\nbranch_labels = None\n"
                        + "depends_on = None\n\n\ndef upgrade():\n    op.execute('CREATE TABLE t_" + id
                        + " (id int)')\n\n\n"
                        + "def downgrade():\n    op.execute('DROP TABLE t_" + id + "')\n");
    }

    /** Runs the real Alembic in the application's folder, as the Job's tool container does. */
    private String alembic(String... arguments) throws Exception {
        List<String> command = new ArrayList<>(List.of(Tools.alembic().toString()));
        command.addAll(List.of(arguments));
        ProcessBuilder builder =
                new ProcessBuilder(command).directory(app.toFile()).redirectErrorStream(true);
        builder.environment().put("DATABASE_URL", database.libpqUrl());
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(output).isZero();
        return output;
    }
}
