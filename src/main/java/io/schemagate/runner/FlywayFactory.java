package io.schemagate.runner;

import java.util.Map;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.configuration.FluentConfiguration;
import org.flywaydb.core.api.logging.LogFactory;

/** Configures Flyway Core from {@link RunnerSettings}, and only from them. */
final class FlywayFactory {

    /**
     * Open-source Flyway Core ships no telemetry or update check, but its publishing and reporting
     * features stay explicitly off so nothing leaves the cluster whatever the library defaults.
     */
    private static final Map<String, String> OFFLINE = Map.of(
            "flyway.reportEnabled", "false",
            "flyway.publishResult", "false",
            "flyway.checkDriftOnMigrate", "false");

    /**
     * Flyway's default ignores applied migrations newer than any script ("future"), so an older
     * image can still run against a newer schema. Pending ones are ignored as migrate itself does,
     * so that validating before migrating reports exactly what migrate would refuse.
     */
    private static final String[] IGNORED_STATES = {"*:future", "*:pending"};

    Flyway create(RunnerSettings settings, RunnerConsole console) {
        // Flyway's log is process-wide; the console logger is picked through the "console" name.
        LogFactory.setFallbackLogCreator(new FlywayConsoleLog(console));
        FluentConfiguration configuration = Flyway.configure()
                .configuration(OFFLINE)
                .loggers("console")
                .dataSource(settings.jdbcUrl(), settings.username(), settings.password())
                .locations("filesystem:" + settings.migrationsDir().toAbsolutePath())
                .failOnMissingLocations(true)
                .validateMigrationNaming(true)
                .validateOnMigrate(true)
                .ignoreMigrationPatterns(IGNORED_STATES)
                .cleanDisabled(true)
                // One transaction per migration: a failing script leaves nothing behind and the
                // migrations before it stay applied.
                .group(false)
                .mixed(false)
                .table(settings.table())
                .target(settings.target().toString())
                .baselineOnMigrate(settings.baselineOnMigrate())
                .baselineVersion(settings.baselineVersion().toString())
                .outOfOrder(settings.outOfOrder())
                .placeholders(settings.placeholders())
                // The operator retries with backoff; retrying here would only hide the cause longer.
                .connectRetries(0);
        if (!settings.schemas().isEmpty()) {
            configuration.schemas(settings.schemas().toArray(String[]::new))
                    .defaultSchema(settings.defaultSchema());
        }
        return configuration.load();
    }
}
