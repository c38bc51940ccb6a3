package io.schemagate.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.schemagate.api.AlembicSpec;
import io.schemagate.api.CommandHistorySpec;
import io.schemagate.api.CommandSpec;
import io.schemagate.api.ConfigMapSource;
import io.schemagate.api.DatabaseMigration;
import io.schemagate.api.DatabaseMigrationSpec;
import io.schemagate.api.DatabaseSpec;
import io.schemagate.api.FlywaySpec;
import io.schemagate.api.SourceSpec;
import io.schemagate.api.SqlxSpec;
import io.schemagate.db.Engine;
import io.schemagate.db.HistoryFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Each name of spec.engine is one engine, and what the engines say keeps the digests of runs already made. */
class EnginesTest {

    /** The settings every engine shares, at their defaults, as the digests of runs already made hold them. */
    private static final String SHARED_LATEST =
            "target=latest\nbaselineOnMigrate=false\nbaselineVersion=1\noutOfOrder=false\nplaceholders={}\nsecretPlaceholders=[]\nlockTimeout=10s\nstatementTimeout=0";

    @ParameterizedTest
    @EnumSource(Engine.class)
    void everyNameIsTheEngineOfThatName(Engine name) {
        MigrationEngine engine = Engines.of(name);

        assertThat(engine.name()).isEqualTo(name);
        boolean runnerApplies = engine.tool(commandSpec(), "latest") == null;
        assertThat(engine.rehearses())
                .as("only what the runner applies itself is rehearsed by it")
                .isEqualTo(runnerApplies);
        assertThat(engine.reviewsScripts())
                .as("only scripts the runner applies as written are reviewed")
                .isEqualTo(runnerApplies);
    }

    @Test
    void flywayIsTheEngineOfAResourceThatNamesNone() {
        DatabaseMigrationSpec spec = resource(s -> {}).getSpec();
        spec.setEngine(null);

        assertThat(Engines.of(spec).name()).isEqualTo(Engine.flyway);
    }

    /**
     * The text the run digest is made of, the engine's lines first, as the operator wrote it before
     * engines had classes: a change here would start a new run of every resource after an upgrade.
     */
    @Test
    void theDigestLinesOfEachEngineAreThoseOfRunsAlreadyMade() {
        assertThat(RunSettings.of(resource(spec -> spec.setFlyway(new FlywaySpec())))
                        .canonical())
                .isEqualTo("schemas=public\ntable=flyway_schema_history\n" + SHARED_LATEST);

        SqlxSpec sqlx = new SqlxSpec();
        sqlx.setIgnoreMissing(true);
        assertThat(RunSettings.of(resource(spec -> {
                            spec.setEngine(Engine.sqlx);
                            spec.setSqlx(sqlx);
                        }))
                        .canonical())
                .isEqualTo("engine=sqlx\nignoreMissing=true\nschemas=public\ntable=_sqlx_migrations\n" + SHARED_LATEST);

        AlembicSpec alembic = new AlembicSpec();
        assertThat(RunSettings.of(resource(spec -> {
                            spec.setEngine(Engine.alembic);
                            spec.setAlembic(alembic);
                        }))
                        .canonical())
                .isEqualTo("engine=alembic\nformat=alembic\ntool=Tool[image=null, command=[alembic],"
                        + " args=[-c, alembic.ini, upgrade, head]]\nschemas=public\ntable=alembic_version\n"
                        + SHARED_LATEST.replace("target=latest", "target=head"));

        assertThat(RunSettings.of(resource(spec -> {
                            spec.setEngine(Engine.command);
                            spec.setCommand(commandSpec().getCommand());
                        }))
                        .canonical())
                .isEqualTo("engine=command\nformat=golang-migrate\ntool=Tool[image=migrate/migrate:v4.20.1,"
                        + " command=[], args=[up]]\nschemas=public\ntable=schema_migrations\n" + SHARED_LATEST);
    }

    @Test
    void eachEngineAsksForWhatItsToolTakesOverADatabaseWith() {
        AlembicSpec alembic = new AlembicSpec();
        alembic.setArgs(List.of("-x", "tenant=acme"));
        DatabaseMigrationSpec spec = resource(s -> s.setAlembic(alembic)).getSpec();

        assertThat(Objects.requireNonNull(Engines.of(Engine.alembic).adoptTool(spec, "ae10"))
                        .args())
                .containsExactly("-c", "alembic.ini", "-x", "tenant=acme", "stamp", "ae10");
        assertThat(Engines.of(Engine.command).adoptTool(commandSpec(), "3"))
                .as("no adopt arguments, no adopt tool")
                .isNull();
        assertThat(Engines.of(Engine.flyway).adoptTool(spec, "3"))
                .as("the runner adopts")
                .isNull();
    }

    @Test
    void onlyFlywayReplacesPlaceholdersBeforeTheReview() {
        FlywaySpec flyway = new FlywaySpec();
        flyway.setPlaceholders(Map.of("owner", "team-a"));
        RunSettings settings = RunSettings.of(resource(spec -> spec.setFlyway(flyway)));

        assertThat(settings.engine().asRun("SELECT '${owner}'", settings)).isEqualTo("SELECT 'team-a'");
        assertThat(Engines.of(Engine.sqlx).asRun("SELECT '${owner}'", settings)).isEqualTo("SELECT '${owner}'");
    }

    private static DatabaseMigrationSpec commandSpec() {
        CommandSpec command = new CommandSpec();
        command.setImage("migrate/migrate:v4.20.1");
        command.setArgs(List.of("up"));
        command.setHistory(new CommandHistorySpec());
        command.getHistory().setFormat(HistoryFormat.golangMigrate);
        DatabaseMigrationSpec spec = new DatabaseMigrationSpec();
        spec.setCommand(command);
        return spec;
    }

    private static DatabaseMigration resource(Consumer<DatabaseMigrationSpec> customize) {
        DatabaseSpec database = new DatabaseSpec();
        database.setUrl("jdbc:postgresql://db:5432/orders");
        SourceSpec source = new SourceSpec();
        source.setConfigMaps(List.of(new ConfigMapSource("a")));
        DatabaseMigrationSpec spec = new DatabaseMigrationSpec();
        spec.setDatabase(database);
        spec.setSource(source);
        customize.accept(spec);
        DatabaseMigration resource = new DatabaseMigration();
        resource.getMetadata().setName("orders");
        resource.setSpec(spec);
        return resource;
    }
}
