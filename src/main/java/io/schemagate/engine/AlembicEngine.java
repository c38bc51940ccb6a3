package io.schemagate.engine;

import io.schemagate.api.AlembicSpec;
import io.schemagate.api.DatabaseMigrationSpec;
import io.schemagate.contract.MigrationResult;
import io.schemagate.contract.RunnerEnvironment;
import io.schemagate.db.AlembicScripts;
import io.schemagate.db.Engine;
import io.schemagate.db.ScriptConvention;
import io.schemagate.engine.RunSettings.Tool;
import io.schemagate.runner.AlembicReport;
import io.schemagate.runner.RunnerConsole;
import io.schemagate.runner.RunnerSettings;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Alembic ({@code spec.alembic}), run from the application's own image, where its {@code env.py}
 * and models live, as its users run it: {@code alembic -c <config> [args] <verb> <target>}. The
 * runner applies nothing: it reads the revision graph of the scripts and the heads Alembic left.
 */
final class AlembicEngine implements MigrationEngine {

    /** The command {@code pip install alembic} puts on the image's PATH. */
    static final String ALEMBIC = "alembic";

    @Override
    public Engine name() {
        return Engine.alembic;
    }

    @Override
    public ScriptConvention scripts() {
        return ScriptConvention.TOOLS_OWN;
    }

    @Override
    public @Nullable String table(DatabaseMigrationSpec spec) {
        return block(spec).getTable();
    }

    /** Its revisions are ids: 'latest' is Alembic's head. */
    @Override
    public String target(String requested) {
        return requested.equals("latest") ? "head" : requested;
    }

    @Override
    public Tool tool(DatabaseMigrationSpec spec, String target) {
        return alembic(spec, "upgrade", target);
    }

    @Override
    public Tool downTool(DatabaseMigrationSpec spec, String target) {
        return alembic(spec, "downgrade", target);
    }

    @Override
    public Tool adoptTool(DatabaseMigrationSpec spec, String version) {
        return alembic(spec, "stamp", version);
    }

    @Override
    public String digestLines(RunSettings settings) {
        return "engine=alembic\nformat=" + settings.format() + "\ntool=" + settings.tool() + "\n";
    }

    @Override
    public boolean runsInSourceFolder() {
        return true;
    }

    /** The ini file the tool reads, for the runner to find the same scripts. */
    @Override
    public Map<String, String> reportEnvironment(RunSettings settings) {
        return Map.of(
                RunnerEnvironment.ALEMBIC_CONFIG,
                Objects.requireNonNull(settings.tool(), "alembic's tool").args().get(1));
    }

    private static Tool alembic(DatabaseMigrationSpec spec, String verb, String revision) {
        AlembicSpec alembic = block(spec);
        List<String> args = new ArrayList<>(List.of("-c", config(alembic)));
        args.addAll(alembic.getArgs() == null ? List.of() : alembic.getArgs());
        args.addAll(List.of(verb, revision));
        return new Tool(null, List.of(ALEMBIC), args);
    }

    private static String config(AlembicSpec alembic) {
        String config = alembic.getConfig();
        return config == null || config.isBlank() ? AlembicScripts.DEFAULT_CONFIG : config;
    }

    private static AlembicSpec block(DatabaseMigrationSpec spec) {
        return Optional.ofNullable(spec.getAlembic()).orElseGet(AlembicSpec::new);
    }

    /** Alembic ran in its own container before: the runner reads where it left the graph's heads. */
    @Override
    public MigrationResult migrate(RunnerSettings settings, RunnerConsole console) {
        return new AlembicReport().report(settings);
    }

    @Override
    public boolean rehearses() {
        return false;
    }

    @Override
    public boolean revisionsAreVersions() {
        return false;
    }
}
