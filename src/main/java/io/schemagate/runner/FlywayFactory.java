package io.schemagate.runner;

import java.util.Map;
import java.util.Set;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.configuration.FluentConfiguration;
import org.flywaydb.core.api.logging.LogFactory;
import org.flywaydb.core.api.migration.JavaMigration;
import org.flywaydb.core.internal.scanner.LocationScannerCache;
import org.flywaydb.core.internal.scanner.ResourceNameCache;
import org.flywaydb.core.internal.scanner.Scanner;

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
     * A session-level advisory lock instead of Flyway's default transactional one. The transactional
     * lock holds a transaction open on a second connection for the whole run, and a concurrent index
     * build (CREATE INDEX CONCURRENTLY, REINDEX CONCURRENTLY, ...) waits for every older transaction
     * to end: the run would wait for itself until the Job's deadline killed it.
     */
    private static final Map<String, String> SESSION_LOCK = Map.of("flyway.postgresql.transactional.lock", "false");

    /**
     * Flyway's default ignores applied migrations newer than any script ("future"), so an older
     * image can still run against a newer schema. Pending ones are ignored as migrate itself does,
     * so that validating before migrating reports exactly what migrate would refuse.
     */
    private static final String[] IGNORED_STATES = {"*:future", "*:pending"};

    /** @param outsideTransaction relative paths of the scripts to run outside a transaction */
    Flyway create(RunnerSettings settings, RunnerConsole console, Set<String> outsideTransaction) {
        // Flyway's log is process-wide; the console logger is picked through the "console" name.
        LogFactory.setFallbackLogCreator(new FlywayConsoleLog(console));
        FluentConfiguration configuration = Flyway.configure()
                .configuration(OFFLINE)
                .configuration(SESSION_LOCK)
                .loggers("console")
                .dataSource(RunnerSessions.dataSource(settings))
                // Every session Flyway opens, for the history table and the scripts alike.
                .initSql(RunnerSessions.settingsStatement(settings))
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
                .baselineVersion(
                        settings.adopt() != null
                                ? settings.adopt()
                                : settings.baselineVersion().toString())
                .outOfOrder(settings.outOfOrder())
                .placeholders(settings.allPlaceholders())
                // The operator retries with backoff; retrying here would only hide the cause longer.
                .connectRetries(0);
        if (!settings.schemas().isEmpty()) {
            configuration.schemas(settings.schemas().toArray(String[]::new)).defaultSchema(settings.defaultSchema());
        }
        if (!outsideTransaction.isEmpty()) {
            // Flyway's own scanner of the locations, so the scripts are found exactly as without it.
            configuration.resourceProvider(new OutsideTransactionScripts(
                    new Scanner<>(
                            JavaMigration.class,
                            false,
                            new ResourceNameCache(),
                            new LocationScannerCache(),
                            configuration),
                    outsideTransaction));
        }
        return configuration.load();
    }
}
