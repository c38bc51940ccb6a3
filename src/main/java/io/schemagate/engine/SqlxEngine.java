package io.schemagate.engine;

import io.schemagate.api.DatabaseMigrationSpec;
import io.schemagate.api.SqlxSpec;
import io.schemagate.contract.MigrationResult;
import io.schemagate.db.Engine;
import io.schemagate.db.ScriptConvention;
import io.schemagate.db.SqlxScripts;
import io.schemagate.runner.RunnerConsole;
import io.schemagate.runner.RunnerSettings;
import io.schemagate.runner.SqlxMigrator;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/** sqlx's scripts ({@code spec.sqlx}), applied by the runner as sqlx-cli applies them. */
final class SqlxEngine implements MigrationEngine {

    @Override
    public Engine name() {
        return Engine.sqlx;
    }

    @Override
    public ScriptConvention scripts() {
        return ScriptConvention.SQLX;
    }

    @Override
    public @Nullable String table(DatabaseMigrationSpec spec) {
        return block(spec).getTable();
    }

    @Override
    public RunOptions options(DatabaseMigrationSpec spec) {
        return RunOptions.NONE.withIgnoreMissing(block(spec).isIgnoreMissing());
    }

    @Override
    public String digestLines(RunSettings settings) {
        return "engine=sqlx\n" + (settings.ignoreMissing() ? "ignoreMissing=true\n" : "");
    }

    @Override
    public boolean reviewsScripts() {
        return true;
    }

    private static SqlxSpec block(DatabaseMigrationSpec spec) {
        return Optional.ofNullable(spec.getSqlx()).orElseGet(SqlxSpec::new);
    }

    @Override
    public MigrationResult migrate(RunnerSettings settings, RunnerConsole console) {
        return new SqlxMigrator(console).migrate(settings);
    }

    @Override
    public boolean rehearses() {
        return true;
    }

    /** sqlx writes the table's name into its statements unquoted. */
    @Override
    public Optional<String> tableProblem(String table) {
        return table.matches(SqlxScripts.TABLE_PATTERN)
                ? Optional.empty()
                : Optional.of("is not a table name sqlx can use unquoted; expected lowercase letters, digits and '_'");
    }
}
