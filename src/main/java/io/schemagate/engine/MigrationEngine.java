package io.schemagate.engine;

import com.google.errorprone.annotations.Immutable;
import io.schemagate.api.DatabaseMigrationSpec;
import io.schemagate.db.Engine;
import io.schemagate.db.ScriptConvention;
import io.schemagate.engine.RunSettings.Tool;
import io.schemagate.runner.EngineSteps;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * One engine: how the operator plans and shapes its runs, and ({@link EngineSteps}) how the runner
 * applies them. Stateless, one instance an engine.
 */
@Immutable
public interface MigrationEngine extends EngineSteps {

    /** The name {@code spec.engine} gives it. */
    Engine name();

    /** How it names and checksums the scripts SchemaGate reads (a ConfigMap source's). */
    ScriptConvention scripts();

    /** The history table its spec block names; null for the format's default. */
    @Nullable
    String table(DatabaseMigrationSpec spec);

    /** The target as the tool takes it, from {@code spec.target} ('latest' when unset). */
    default String target(String requested) {
        return requested;
    }

    /** The settings of its spec block that the runner applies with; none for the others. */
    default RunOptions options(DatabaseMigrationSpec spec) {
        return RunOptions.NONE;
    }

    /** What a run executes; null where the runner applies the scripts itself. */
    default @Nullable Tool tool(DatabaseMigrationSpec spec, String target) {
        return null;
    }

    /** What a run down executes (spec.downgrade); null where the runner reverts, or there is no way down. */
    default @Nullable Tool downTool(DatabaseMigrationSpec spec, String target) {
        return null;
    }

    /** The tool's own way to take over a database (spec.adopt); null where the runner adopts, or none. */
    default @Nullable Tool adoptTool(DatabaseMigrationSpec spec, String version) {
        return null;
    }

    /**
     * What of the engine the run digest holds, before the settings every engine shares: a change of
     * it is a new run.
     */
    String digestLines(RunSettings settings);

    /**
     * Whether the scripts of each ConfigMap stay in a folder of their own: where the tool records a
     * script's path below its location, the histories written so far name {@code <ConfigMap>/<file>}.
     */
    default boolean keepsConfigMapFolders() {
        return false;
    }

    /** Whether its tool runs in the source image's own folder of scripts, where its configuration lives. */
    default boolean runsInSourceFolder() {
        return false;
    }

    /** Variables of the runner's report step beyond those every run has: how it finds the tool's scripts. */
    default Map<String, String> reportEnvironment(RunSettings settings) {
        return Map.of();
    }

    /** Whether the change policy can review its pending scripts: plain SQL the runner applies as written. */
    default boolean reviewsScripts() {
        return false;
    }

    /** A script's SQL as the tool will run it, for the change policy to parse. */
    default String asRun(String sql, RunSettings settings) {
        return sql;
    }
}
