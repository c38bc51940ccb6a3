package io.schemagate.runner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.schemagate.contract.Direction;
import io.schemagate.contract.RunnerEnvironment;
import io.schemagate.db.DatabaseConnection;
import io.schemagate.db.Engine;
import io.schemagate.db.HistoryFormat;
import io.schemagate.db.Version;
import io.schemagate.engine.Engines;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunnerSettingsTest {

    @TempDir
    Path migrations;

    @Test
    void defaultsWhatIsNotSet() throws InvalidSettingsException {
        RunnerSettings settings = RunnerSettings.fromEnvironment(
                Map.of(
                        RunnerEnvironment.DB_URL, "jdbc:postgresql://db:5432/app",
                        RunnerEnvironment.MIGRATIONS_DIR, migrations.toString(),
                        RunnerEnvironment.SCHEMAS, "",
                        RunnerEnvironment.TARGET, " "),
                Engines::of);

        assertThat(settings.username()).isNull();
        assertThat(settings.password()).isNull();
        assertThat(settings.schemas()).isEmpty();
        assertThat(settings.defaultSchema()).isNull();
        assertThat(settings.table()).isEqualTo("flyway_schema_history");
        assertThat(settings.target()).isEqualTo(Version.LATEST);
        assertThat(settings.baselineOnMigrate()).isFalse();
        assertThat(settings.baselineVersion()).isEqualTo(Version.parse("1"));
        assertThat(settings.outOfOrder()).isFalse();
        assertThat(settings.placeholders()).isEmpty();
        assertThat(settings.resultFile()).isEqualTo(Path.of("/dev/termination-log"));
    }

    @Test
    void readsEverySetting() throws InvalidSettingsException {
        Map<String, String> env = valid();
        env.put(RunnerEnvironment.SCHEMAS, "app, audit");
        env.put(RunnerEnvironment.TABLE, "history");
        env.put(RunnerEnvironment.TARGET, "1.10");
        env.put(RunnerEnvironment.BASELINE_ON_MIGRATE, "TRUE");
        env.put(RunnerEnvironment.BASELINE_VERSION, "0.5");
        env.put(RunnerEnvironment.OUT_OF_ORDER, "true");
        env.put(RunnerEnvironment.PLACEHOLDERS, "{\"owner\":\"app\",\"replicas\":3,\"audit\":true}");
        env.put(RunnerEnvironment.RESULT_FILE, "/tmp/result.json");

        RunnerSettings settings = RunnerSettings.fromEnvironment(env, Engines::of);

        assertThat(settings.jdbcUrl()).isEqualTo("jdbc:postgresql://db:5432/app");
        assertThat(settings.username()).isEqualTo("migrator");
        assertThat(settings.password()).isEqualTo(" pass word ");
        assertThat(settings.schemas()).containsExactly("app", "audit");
        assertThat(settings.defaultSchema()).isEqualTo("app");
        assertThat(settings.table()).isEqualTo("history");
        assertThat(settings.target()).isEqualTo(Version.parse("1.10"));
        assertThat(settings.baselineOnMigrate()).isTrue();
        assertThat(settings.baselineVersion()).isEqualTo(Version.parse("0.5"));
        assertThat(settings.outOfOrder()).isTrue();
        assertThat(settings.placeholders())
                .containsExactlyInAnyOrderEntriesOf(Map.of("owner", "app", "replicas", "3", "audit", "true"));
        assertThat(settings.resultFile()).isEqualTo(Path.of("/tmp/result.json"));
    }

    @Test
    void namesEveryBadVariableAtOnce() {
        Map<String, String> env = new HashMap<>();
        env.put(RunnerEnvironment.SCHEMAS, "app,,audit");
        env.put(RunnerEnvironment.TARGET, "newest");
        env.put(RunnerEnvironment.BASELINE_ON_MIGRATE, "yes");
        env.put(RunnerEnvironment.BASELINE_VERSION, "latest");
        env.put(RunnerEnvironment.OUT_OF_ORDER, "1");
        env.put(RunnerEnvironment.PLACEHOLDERS, "[\"a\"]");
        env.put(RunnerEnvironment.TABLE, "t".repeat(64));

        InvalidSettingsException error = catchThrowableOfType(
                InvalidSettingsException.class, () -> RunnerSettings.fromEnvironment(env, Engines::of));

        assertThat(error.problems()).hasSize(9);
        assertThat(error.getMessage())
                .contains(
                        RunnerEnvironment.DB_URL + " is required",
                        RunnerEnvironment.MIGRATIONS_DIR + " is required",
                        RunnerEnvironment.SCHEMAS + ": 'app,,audit'",
                        RunnerEnvironment.TARGET + ": 'newest'",
                        RunnerEnvironment.BASELINE_ON_MIGRATE + ": 'yes'",
                        RunnerEnvironment.BASELINE_VERSION + ": 'latest'",
                        RunnerEnvironment.OUT_OF_ORDER + ": '1'",
                        RunnerEnvironment.PLACEHOLDERS + " must be a JSON object",
                        "63-byte identifier limit");
    }

    @Test
    void rejectsAMissingDirectoryAndDuplicateSchemas() {
        Map<String, String> env = valid();
        env.put(RunnerEnvironment.MIGRATIONS_DIR, migrations.resolve("absent").toString());
        env.put(RunnerEnvironment.SCHEMAS, "app,app");

        InvalidSettingsException error = catchThrowableOfType(
                InvalidSettingsException.class, () -> RunnerSettings.fromEnvironment(env, Engines::of));

        assertThat(error.problems())
                .hasSize(2)
                .anySatisfy(problem -> assertThat(problem).contains("absent is not a readable directory"))
                .anySatisfy(problem -> assertThat(problem).contains("names a schema twice"));
    }

    @Test
    void rejectsBadPlaceholders() {
        Map<String, String> env = valid();
        env.put(RunnerEnvironment.PLACEHOLDERS, "{\"nested\":{\"a\":1},\"empty\":null}");
        assertThat(problems(env))
                .hasSize(2)
                .allSatisfy(problem -> assertThat(problem).contains("must be a string"));

        env.put(RunnerEnvironment.PLACEHOLDERS, "{not json");
        assertThat(problems(env)).singleElement().asString().contains("is not valid JSON");
    }

    @Test
    void neverEchoesCredentials() {
        Map<String, String> env = valid();
        env.put(RunnerEnvironment.DB_URL, "mysql://admin:hunter2@db/app");

        assertThat(problems(env))
                .singleElement()
                .asString()
                .contains("is not PostgreSQL's")
                .doesNotContain("hunter2");
    }

    /** A libpq URI from a Secret (CloudNativePG's uri): its credentials unless a credentials Secret gives others. */
    @Test
    void aLibpqUrisCredentialsAreUsedUnlessTheEnvironmentNamesOthers() throws InvalidSettingsException {
        Map<String, String> env = valid();
        env.remove(RunnerEnvironment.DB_USERNAME);
        env.remove(RunnerEnvironment.DB_PASSWORD);
        env.put(RunnerEnvironment.DB_URL, "postgresql://app:p%40ss@db:5432/app?sslmode=require");

        RunnerSettings fromUrl = RunnerSettings.fromEnvironment(env, Engines::of);

        assertThat(fromUrl.connection())
                .isEqualTo(new DatabaseConnection("jdbc:postgresql://db:5432/app?sslmode=require", "app", "p@ss"));
        env.put(RunnerEnvironment.DB_USERNAME, "migrator");
        env.put(RunnerEnvironment.DB_PASSWORD, "secret");
        assertThat(RunnerSettings.fromEnvironment(env, Engines::of).connection().username())
                .isEqualTo("migrator");
    }

    @Test
    void toStringHidesThePasswordAndUrlCredentials() throws InvalidSettingsException {
        Map<String, String> env = valid();
        env.put(RunnerEnvironment.DB_URL, "jdbc:postgresql://admin:hunter2@db/app?password=hunter3");

        assertThat(RunnerSettings.fromEnvironment(env, Engines::of).toString())
                .doesNotContain(" pass word ", "hunter2", "hunter3")
                .contains("db/app");
    }

    private List<String> problems(Map<String, String> env) {
        return catchThrowableOfType(
                        InvalidSettingsException.class, () -> RunnerSettings.fromEnvironment(env, Engines::of))
                .problems();
    }

    @Test
    void eachEngineHasItsTableAndTheCommandEngineNamesItsFormat() throws InvalidSettingsException {
        Map<String, String> sqlx = valid();
        sqlx.put(RunnerEnvironment.ENGINE, "sqlx");
        Map<String, String> command = valid();
        command.put(RunnerEnvironment.ENGINE, "command");
        command.put(RunnerEnvironment.HISTORY_FORMAT, "golang-migrate");
        command.put(RunnerEnvironment.PREVIOUS_REVISION, "12");

        assertThat(RunnerSettings.fromEnvironment(valid(), Engines::of).engine())
                .isEqualTo(Engine.flyway);
        assertThat(RunnerSettings.fromEnvironment(sqlx, Engines::of).table()).isEqualTo("_sqlx_migrations");
        RunnerSettings tool = RunnerSettings.fromEnvironment(command, Engines::of);
        assertThat(tool.format()).isEqualTo(HistoryFormat.golangMigrate);
        assertThat(tool.table()).isEqualTo("schema_migrations");
        assertThat(tool.previousRevision()).isEqualTo("12");
    }

    @Test
    void alembicTakesItsTargetAsAlembicDoesAndRefusesAnythingElse() throws InvalidSettingsException {
        Map<String, String> alembic = valid();
        alembic.put(RunnerEnvironment.ENGINE, "alembic");
        alembic.put(RunnerEnvironment.TARGET, "heads");
        alembic.put(RunnerEnvironment.PREVIOUS_REVISION, "b2,c3");

        RunnerSettings settings = RunnerSettings.fromEnvironment(alembic, Engines::of);

        assertThat(settings.format()).isEqualTo(HistoryFormat.alembic);
        assertThat(settings.table()).isEqualTo("alembic_version");
        assertThat(settings.alembic()).isEqualTo(new RunnerSettings.AlembicRun("alembic.ini", "heads", null));
        assertThat(settings.previousRevision()).isEqualTo("b2,c3");
        alembic.put(RunnerEnvironment.TARGET, "head; rm -rf /");
        assertThat(problems(alembic)).singleElement().asString().contains("is not an Alembic target");
    }

    @Test
    void anUnknownEngineAMissingFormatAndAnSqlxTableSqlxCannotUseAreRefused() {
        Map<String, String> unknown = valid();
        unknown.put(RunnerEnvironment.ENGINE, "liquibase");
        Map<String, String> noFormat = valid();
        noFormat.put(RunnerEnvironment.ENGINE, "command");
        Map<String, String> quoted = valid();
        quoted.put(RunnerEnvironment.ENGINE, "sqlx");
        quoted.put(RunnerEnvironment.TABLE, "Migrations; DROP TABLE x");

        assertThatThrownBy(() -> RunnerSettings.fromEnvironment(unknown, Engines::of))
                .hasMessageContaining(RunnerEnvironment.ENGINE)
                .hasMessageContaining("'liquibase'")
                .hasMessageContaining("[flyway, sqlx, alembic, command]");
        assertThatThrownBy(() -> RunnerSettings.fromEnvironment(noFormat, Engines::of))
                .hasMessageContaining(RunnerEnvironment.HISTORY_FORMAT + " is required for engine command");
        assertThatThrownBy(() -> RunnerSettings.fromEnvironment(quoted, Engines::of))
                .hasMessageContaining("not a table name sqlx can use unquoted");
    }

    @Test
    void theLifecycleSettingsAreReadAndBadOnesNamed() throws InvalidSettingsException {
        Map<String, String> good = valid();
        good.put(RunnerEnvironment.DIRECTION, "Down");
        good.put(RunnerEnvironment.ADOPT, "2.1");
        good.put(RunnerEnvironment.BACKUP_DIR, "/schemagate/backup");
        good.put(RunnerEnvironment.BACKUP_NAME, "orders");
        good.put(RunnerEnvironment.BACKUP_KEEP, "7");
        good.put(RunnerEnvironment.BACKUP_RECORD, "/tmp/schemagate-backup.json");
        Map<String, String> bad = valid();
        bad.put(RunnerEnvironment.DIRECTION, "sideways");
        bad.put(RunnerEnvironment.ADOPT, "v2");
        bad.put(RunnerEnvironment.BACKUP_DIR, "/schemagate/backup");
        bad.put(RunnerEnvironment.BACKUP_NAME, "../etc");
        bad.put(RunnerEnvironment.BACKUP_KEEP, "0");
        bad.put(RunnerEnvironment.BACKUP_RECORD, "/tmp/schemagate-backup.json");

        RunnerSettings settings = RunnerSettings.fromEnvironment(good, Engines::of);

        assertThat(settings.direction()).isEqualTo(Direction.Down);
        assertThat(settings.adopt()).isEqualTo("2.1");
        assertThat(settings.backup())
                .isEqualTo(new RunnerSettings.Backup(
                        Path.of("/schemagate/backup"), "orders", 7, Path.of("/tmp/schemagate-backup.json")));
        assertThat(RunnerSettings.fromEnvironment(valid(), Engines::of)).satisfies(plain -> {
            assertThat(plain.direction()).isEqualTo(Direction.Up);
            assertThat(plain.adopt()).isNull();
            assertThat(plain.backup()).isNull();
        });
        assertThat(catchThrowableOfType(
                                InvalidSettingsException.class, () -> RunnerSettings.fromEnvironment(bad, Engines::of))
                        .problems())
                .hasSize(4)
                .anySatisfy(problem -> assertThat(problem).contains("'sideways'"))
                .anySatisfy(problem -> assertThat(problem).contains(RunnerEnvironment.ADOPT + ": 'v2'"))
                .anySatisfy(problem -> assertThat(problem).contains("'../etc' is not a dump name"))
                .anySatisfy(problem -> assertThat(problem).contains(RunnerEnvironment.BACKUP_KEEP + ": '0'"));
    }

    private Map<String, String> valid() {
        Map<String, String> env = new HashMap<>();
        env.put(RunnerEnvironment.DB_URL, "jdbc:postgresql://db:5432/app");
        env.put(RunnerEnvironment.DB_USERNAME, "migrator");
        env.put(RunnerEnvironment.DB_PASSWORD, " pass word ");
        env.put(RunnerEnvironment.MIGRATIONS_DIR, migrations.toString());
        return env;
    }
}
