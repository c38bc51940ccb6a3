package io.schemagate.engine;

import io.schemagate.api.DatabaseMigrationSpec;
import io.schemagate.api.FlywaySpec;
import io.schemagate.api.SecretKeyReference;
import io.schemagate.contract.MigrationResult;
import io.schemagate.db.Engine;
import io.schemagate.db.ScriptConvention;
import io.schemagate.runner.FlywayMigrator;
import io.schemagate.runner.RunnerConsole;
import io.schemagate.runner.RunnerSettings;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/** Flyway's scripts ({@code spec.flyway}), applied by the runner with Flyway Core. */
final class FlywayEngine implements MigrationEngine {

    @Override
    public Engine name() {
        return Engine.flyway;
    }

    @Override
    public ScriptConvention scripts() {
        return ScriptConvention.FLYWAY;
    }

    @Override
    public @Nullable String table(DatabaseMigrationSpec spec) {
        return block(spec).getTable();
    }

    @Override
    public RunOptions options(DatabaseMigrationSpec spec) {
        FlywaySpec flyway = block(spec);
        Map<String, SecretKeyReference> secretPlaceholders = new TreeMap<>();
        if (flyway.getPlaceholdersFrom() != null) {
            flyway.getPlaceholdersFrom()
                    .forEach((name, source) -> secretPlaceholders.put(name, source.getSecretKeyRef()));
        }
        String baselineVersion = flyway.getBaselineVersion();
        return new RunOptions(
                flyway.isBaselineOnMigrate(),
                baselineVersion == null || baselineVersion.isBlank()
                        ? RunOptions.NONE.baselineVersion()
                        : baselineVersion,
                flyway.isOutOfOrder(),
                flyway.getPlaceholders() == null ? Map.of() : flyway.getPlaceholders(),
                secretPlaceholders,
                false);
    }

    /**
     * Nothing: Flyway is the engine of every resource written before engines could be chosen, so
     * their digests stay what they were and an operator upgrade starts no new runs.
     */
    @Override
    public String digestLines(RunSettings settings) {
        return "";
    }

    @Override
    public boolean keepsConfigMapFolders() {
        return true;
    }

    @Override
    public boolean reviewsScripts() {
        return true;
    }

    @Override
    public String asRun(String sql, RunSettings settings) {
        return FlywayPlaceholders.replace(sql, settings);
    }

    private static FlywaySpec block(DatabaseMigrationSpec spec) {
        return Optional.ofNullable(spec.getFlyway()).orElseGet(FlywaySpec::new);
    }

    @Override
    public MigrationResult migrate(RunnerSettings settings, RunnerConsole console) {
        return new FlywayMigrator(console).migrate(settings);
    }

    @Override
    public boolean rehearses() {
        return true;
    }
}
