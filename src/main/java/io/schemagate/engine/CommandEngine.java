package io.schemagate.engine;

import io.schemagate.api.CommandSpec;
import io.schemagate.api.DatabaseMigrationSpec;
import io.schemagate.contract.MigrationResult;
import io.schemagate.db.Engine;
import io.schemagate.db.ScriptConvention;
import io.schemagate.engine.RunSettings.Tool;
import io.schemagate.runner.CommandReport;
import io.schemagate.runner.RunnerConsole;
import io.schemagate.runner.RunnerSettings;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Any tool ({@code spec.command}), run from its own image with the arguments the spec gives:
 * SchemaGate reads none of its scripts (they stay in the image), only its history table, in the
 * format the spec names.
 */
final class CommandEngine implements MigrationEngine {

    @Override
    public Engine name() {
        return Engine.command;
    }

    @Override
    public ScriptConvention scripts() {
        return ScriptConvention.TOOLS_OWN;
    }

    @Override
    public @Nullable String table(DatabaseMigrationSpec spec) {
        return block(spec).getHistory().getTable();
    }

    @Override
    public Tool tool(DatabaseMigrationSpec spec, String target) {
        return command(block(spec), block(spec).getArgs());
    }

    @Override
    public @Nullable Tool downTool(DatabaseMigrationSpec spec, String target) {
        return block(spec).getDownArgs() == null
                ? null
                : command(block(spec), block(spec).getDownArgs());
    }

    @Override
    public @Nullable Tool adoptTool(DatabaseMigrationSpec spec, String version) {
        return block(spec).getAdoptArgs() == null
                ? null
                : command(block(spec), block(spec).getAdoptArgs());
    }

    @Override
    public String digestLines(RunSettings settings) {
        return "engine=command\nformat=" + settings.format() + "\ntool=" + settings.tool() + "\n";
    }

    private static Tool command(CommandSpec command, @Nullable List<String> args) {
        return new Tool(command.getImage(), command.getCommand(), Objects.requireNonNullElse(args, List.of()));
    }

    /** The API server requires the block with this engine. */
    private static CommandSpec block(DatabaseMigrationSpec spec) {
        return Objects.requireNonNull(spec.getCommand(), "spec.command");
    }

    /** The tool ran in its own container before: the runner reads where it left the history. */
    @Override
    public MigrationResult migrate(RunnerSettings settings, RunnerConsole console) {
        return new CommandReport().report(settings);
    }

    @Override
    public boolean rehearses() {
        return false;
    }
}
