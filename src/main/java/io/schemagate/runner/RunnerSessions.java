package io.schemagate.runner;

import javax.sql.DataSource;
import org.postgresql.ds.PGSimpleDataSource;

/** How every engine's runner connects: the same timeouts, keepalive and session settings for all. */
final class RunnerSessions {
    private static final int CONNECT_TIMEOUT_SECONDS = 10;
    /** How the runner's sessions show in pg_stat_activity. */
    static final String APPLICATION_NAME = "schemagate-migrate";

    private RunnerSessions() {}

    /**
     * Connect and login time out, so a database that does not answer fails the run (retried with
     * backoff) instead of hanging it; TCP keepalive notices a peer that went away mid-statement. No
     * socket timeout: a migration's statement may rightly run for long; statement_timeout bounds it.
     */
    static DataSource dataSource(RunnerSettings settings) {
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
     * running, with its locks and the engine's lock, until it ends on its own, and the next attempt
     * waiting behind it. From PostgreSQL 14 on, a session can ask to have its client checked while a
     * statement runs; older servers do not know the setting and some platforms cannot check, so
     * either refusal leaves the session as it was.
     */
    private static final String CHECK_CLIENT_WHILE_RUNNING = "DO $$ BEGIN"
            + " PERFORM set_config('client_connection_check_interval', '1s', false);"
            + " EXCEPTION WHEN undefined_object OR invalid_parameter_value THEN NULL; END $$";

    /** The values were checked against a strict pattern, so they are safe to put into the statement. */
    static String settingsStatement(RunnerSettings settings) {
        return "SET lock_timeout = '" + settings.lockTimeout() + "'; SET statement_timeout = '"
                + settings.statementTimeout() + "'; " + CHECK_CLIENT_WHILE_RUNNING;
    }
}
