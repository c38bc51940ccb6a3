package io.schemagate.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Where Alembic's scripts are, as its ini file says, in a copy of the application's folder. */
class AlembicScriptsTest {

    @TempDir
    Path app;

    @Test
    void theExampleApplicationIsOneChainOfThree() {
        RevisionGraph graph =
                AlembicScripts.read(Path.of("examples/alembic/app"), AlembicScripts.DEFAULT_CONFIG, "/app");

        assertThat(graph.errors()).isEmpty();
        assertThat(graph.heads()).containsExactly("59aed15aacf0");
        assertThat(graph.reached(graph.heads())).containsExactly("59aed15aacf0", "335f443a978d", "92f7c6e85b4b");
    }

    @Test
    void versionLocationsReplaceTheVersionsFolderAndRecursionReadsSubfolders() throws IOException {
        ini("script_location = migrations\n"
                + "version_locations = %(here)s/migrations/versions /app/extra\n"
                + "recursive_version_locations = true\n");
        revision("migrations/versions/2024/a1.py", "a1", "None");
        revision("extra/b2.py", "b2", "'a1'");
        revision("migrations/versions/__init__.py", "ignored", "None");

        RevisionGraph graph = AlembicScripts.read(app, "alembic.ini", "/app");

        assertThat(graph.errors()).isEmpty();
        assertThat(graph.size()).isEqualTo(2);
        assertThat(graph.heads()).containsExactly("b2");
    }

    @Test
    void anIniFileElsewhereResolvesHereToItsOwnFolder() throws IOException {
        Files.createDirectories(app.resolve("deploy"));
        Files.writeString(app.resolve("deploy/alembic.ini"), "[alembic]\nscript_location = %(here)s/../db\n");
        revision("db/versions/a1.py", "a1", "None");

        assertThat(AlembicScripts.read(app, "deploy/alembic.ini", "/app").heads())
                .containsExactly("a1");
    }

    @Test
    void whatSchemaGateCannotFollowIsRefusedNamingIt() throws IOException {
        assertThatThrownBy(() -> AlembicScripts.read(app, "alembic.ini", "/app"))
                .hasMessageContaining("no alembic.ini in the source folder");

        ini("script_location = myapp:migrations\n");
        assertThatThrownBy(() -> AlembicScripts.read(app, "alembic.ini", "/app"))
                .hasMessageContaining("'myapp:migrations' is not a folder SchemaGate can resolve");

        ini("script_location = /srv/other/migrations\n");
        assertThatThrownBy(() -> AlembicScripts.read(app, "alembic.ini", "/app"))
                .hasMessageContaining("is outside the source path /app");

        ini("sqlalchemy.url = postgresql://db/app\n");
        assertThatThrownBy(() -> AlembicScripts.read(app, "alembic.ini", "/app"))
                .hasMessageContaining("has no script_location");
    }

    private void ini(String alembicSection) throws IOException {
        Files.writeString(app.resolve("alembic.ini"), "[alembic]\n" + alembicSection + "\n[loggers]\nkeys = root\n");
    }

    private void revision(String path, String id, String downRevision) throws IOException {
        Path file = app.resolve(path);
        Files.createDirectories(file.getParent());
        Files.writeString(file, "revision = '" + id + "'\ndown_revision = " + downRevision + "\n");
    }
}
