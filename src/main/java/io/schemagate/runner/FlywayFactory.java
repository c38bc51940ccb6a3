package io.schemagate.runner;

import java.util.Map;
import javax.sql.DataSource;
import java.util.Set;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.configuration.FluentConfiguration;
import org.flywaydb.core.api.logging.LogFactory;
import org.flywaydb.core.api.migration.JavaMigration;
import org.flywaydb.core.internal.scanner.LocationScannerCache;
import org.flywaydb.core.internal.scanner.ResourceNameCache;
import org.flywaydb.core.internal.scanner.Scanner;
import org.postgresql.ds.PGSimpleDataSource;

/** Configures Flyway Core from {@link RunnerSettings}, and only from them. */
final class FlywayFactory {
    private static final int CONNECT_TIMEOUT_SECONDS = 10;
    /** How the runner's sessions show in pg_stat_activity. */
    static final String APPLICATION_NAME = "schemagate-migrate";

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
                .dataSource(dataSource(settings))
                // Every session Flyway opens, for the history table and the scripts alike.
                .initSql(sessionSettings(settings))
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
                .placeholders(settings.allPlaceholders())
                // The operator retries with backoff; retrying here would only hide the cause longer.
                .connectRetries(0);
        if (!settings.schemas().isEmpty()) {
            configuration.schemas(settings.schemas().toArray(String[]::new))
                    .defaultSchema(settings.defaultSchema());
        }
        if (!outsideTransaction.isEmpty()) {
            // Flyway's own scanner of the locations, so the scripts are found exactly as without it.
            configuration.resourceProvider(new OutsideTransactionScripts(new Scanner<>(JavaMigration.class, false,
                    new ResourceNameCache(), new LocationScannerCache(), configuration), outsideTransaction));
        }
        return configuration.load();
    }

    /**
     * Connect and login time out, so a database that does not answer fails the run (retried with
     * backoff) instead of hanging it; TCP keepalive notices a peer that went away mid-statement. No
     * socket timeout: a migration's statement may rightly run for long; statement_timeout bounds it.
     */
    private static DataSource dataSource(RunnerSettings settings) {
        PGSimpleDataSource dataSource = new PGSimpleDataSource();
        dataSource.setURL(settings.jdbcUrl());
        if (settings.username() != null) {
            dataSource.setUser(settings.username());
        }
        if (settings.password() != null) {
            dataSource.setPassword(settings.password());
        }
        dataSource.setConnectTimeout(CONNECT_TIMEOUT_SECONDS);
        dataSource.setLoginTimeout(CONNECT_TIMEOUT_SECONDS);
        dataSource.setTcpKeepAlive(true);
        if (!settings.jdbcUrl().contains("ApplicationName=")) {
            dataSource.setApplicationName(APPLICATION_NAME);
        }
        return dataSource;
    }

    /**
     * PostgreSQL notices that a client went away only when it next talks to it: a runner killed in
     * the middle of a statement (its Job deleted, its deadline passed) would leave the statement
     * running, with its locks and Flyway's lock, until it ends on its own, and the next attempt
     * waiting behind it. From PostgreSQL 14 on, a session can ask to have its client checked while a
     * statement runs; older servers do not know the setting and some platforms cannot check, so
     * either refusal leaves the session as it was.
     */
    private static final String CHECK_CLIENT_WHILE_RUNNING = "DO $$ BEGIN"
            + " PERFORM set_config('client_connection_check_interval', '1s', false);"
            + " EXCEPTION WHEN undefined_object OR invalid_parameter_value THEN NULL; END $$";

    /** The values were checked against a strict pattern, so they are safe to put into the statement. */
    private static String sessionSettings(RunnerSettings settings) {
        return "SET lock_timeout = '" + settings.lockTimeout() + "'; SET statement_timeout = '"
                + settings.statementTimeout() + "'; " + CHECK_CLIENT_WHILE_RUNNING;
    }
}
