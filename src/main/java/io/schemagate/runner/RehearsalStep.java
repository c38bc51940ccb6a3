package io.schemagate.runner;

import static io.schemagate.runner.SqlStatements.execute;
import static io.schemagate.runner.SqlStatements.quote;
import static io.schemagate.runner.SqlStatements.single;

import io.schemagate.contract.ErrorKind;
import io.schemagate.contract.Failure;
import io.schemagate.contract.MigrationResult;
import io.schemagate.contract.Outcome;
import io.schemagate.db.DatabaseConnection;
import io.schemagate.db.SqlStates;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;

/**
 * {@code rehearse}: the step before a run touches the real database (spec.rehearsal). The run's
 * schemas are copied without their data, but with the history table's rows, into a scratch database
 * on the same server, the engine applies the pending scripts there, and the scratch database is
 * dropped (or, when spec names one, emptied) whatever happens. The real database is only read.
 * Never throws.
 */
final class RehearsalStep {
    /** Ends the names of the scratch databases it creates, so that a stray one is recognisable. */
    static final String SCRATCH_INFIX = "_sg_rehearsal_";

    private static final int MAX_IDENTIFIER_BYTES = 63;

    private final RunnerConsole console;
    private final EngineSteps engine;
    private final Path clients;
    private final FailureClassifier classifier = new FailureClassifier();

    /** @param engine the run's engine, which applies the run to the scratch copy if it can */
    RehearsalStep(RunnerConsole console, Path clients, EngineSteps engine) {
        this.console = console;
        this.clients = clients;
        this.engine = engine;
    }

    MigrationResult rehearse(RunnerSettings settings) {
        String named =
                settings.rehearsal() == null ? null : settings.rehearsal().database();
        String scratch;
        int serverMajor;
        boolean historyExists;
        try (Connection connection = RunnerSessions.dataSource(settings).getConnection()) {
            serverMajor = PgClient.majorOf(single(connection, "SHOW server_version_num"));
            historyExists = historyTableExists(connection, settings);
            scratch = named != null ? named : scratchName(single(connection, "SELECT current_database()"));
            if (named == null) {
                execute(connection, "CREATE DATABASE " + quote(scratch));
            }
        } catch (SQLException e) {
            if (SqlStates.INSUFFICIENT_PRIVILEGE.equals(e.getSQLState())) {
                return failed(
                        "the role cannot create a scratch database (" + e.getMessage() + "): grant it"
                                + " CREATEDB, or name a scratch database in spec.rehearsal.database; the real database is"
                                + " untouched",
                        null,
                        e.getSQLState());
            }
            return MigrationResult.failed(classifier.classify(e), null, null, 0);
        }
        console.info(
                "Rehearsing on " + (named != null ? "the scratch database " : "a new scratch database ") + scratch);
        RunnerSettings onScratch = settings.onDatabase(scratch);
        try {
            if (named != null) {
                empty(onScratch);
            }
            Optional<String> copyFailure =
                    copySchema(settings, onScratch.connection(), scratch, serverMajor, historyExists);
            if (copyFailure.isPresent()) {
                return failed(copyFailure.get() + "; the real database is untouched", null, null);
            }
            MigrationResult rehearsed = engine.rehearses()
                    ? engine.migrate(onScratch, console)
                    : MigrationResult.failed(
                            Failure.of(
                                    ErrorKind.InvalidConfiguration,
                                    "engine " + settings.engine()
                                            + " is not rehearsed: its tool runs in a container of its own"),
                            null,
                            null,
                            0);
            if (rehearsed.outcome() != Outcome.Succeeded) {
                return new MigrationResult(
                        Outcome.Failed,
                        ErrorKind.RehearsalFailed,
                        rehearsed.from(),
                        rehearsed.to(),
                        null,
                        rehearsed.applied(),
                        rehearsed.failedMigration(),
                        rehearsed.sqlState(),
                        "The rehearsal on a schema-only copy failed: " + rehearsed.message()
                                + "; the real database is untouched",
                        0,
                        null,
                        null,
                        null,
                        null);
            }
            return MigrationResult.succeeded(rehearsed.from(), rehearsed.to(), rehearsed.latest(), rehearsed.applied());
        } catch (IOException | SQLException e) {
            return failed(
                    "the schema could not be copied to " + scratch + ": " + e.getMessage()
                            + "; the real database is untouched",
                    null,
                    null);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return failed("the rehearsal was interrupted; the real database is untouched", null, null);
        } finally {
            cleanUp(settings, onScratch, scratch, named == null);
        }
    }

    /**
     * The run's schemas without their rows, then the history table's rows, so that the engine sees
     * exactly what it would see on the real database: what is applied and what is pending.
     */
    private Optional<String> copySchema(
            RunnerSettings settings,
            DatabaseConnection scratch,
            String scratchDatabase,
            int serverMajor,
            boolean historyExists)
            throws IOException, InterruptedException {
        Optional<PgClient> client = PgClient.forServer(serverMajor, clients);
        if (client.isEmpty()) {
            return Optional.of("the runner image has no pg_dump for PostgreSQL " + serverMajor + " (it has "
                    + PgClient.describe(PgClient.installed(clients)) + ")");
        }
        Path schema = Files.createTempFile("rehearsal-schema", ".dump");
        Path history = Files.createTempFile("rehearsal-history", ".dump");
        try {
            List<String> dump =
                    new ArrayList<>(List.of("--format=custom", "--no-password", "--schema-only", "--file=" + schema));
            if (!"0".equals(settings.lockTimeout())) {
                dump.add("--lock-wait-timeout=" + settings.lockTimeout());
            }
            settings.schemas().forEach(name -> dump.add("--schema=" + name));
            Optional<String> failure = step(client.get(), client.get().pgDump(), dump, settings.connection());
            if (failure.isEmpty()) {
                // --clean --if-exists: the dump's CREATE SCHEMA public replaces the new database's own.
                failure = step(
                        client.get(),
                        client.get().pgRestore(),
                        List.of(
                                "--no-owner",
                                "--no-acl",
                                "--clean",
                                "--if-exists",
                                "--exit-on-error",
                                "--dbname=" + scratchDatabase,
                                schema.toString()),
                        scratch);
            }
            if (failure.isEmpty() && historyExists) {
                failure = step(
                        client.get(),
                        client.get().pgDump(),
                        List.of(
                                "--format=custom",
                                "--no-password",
                                "--data-only",
                                "--table=" + quote(historySchema(settings)) + "." + quote(settings.table()),
                                "--file=" + history),
                        settings.connection());
                if (failure.isEmpty()) {
                    failure = step(
                            client.get(),
                            client.get().pgRestore(),
                            List.of(
                                    "--no-owner",
                                    "--data-only",
                                    "--exit-on-error",
                                    "--dbname=" + scratchDatabase,
                                    history.toString()),
                            scratch);
                }
            }
            return failure;
        } finally {
            Files.deleteIfExists(schema);
            Files.deleteIfExists(history);
        }
    }

    /** One client run; its failure in its own words. */
    private static Optional<String> step(
            PgClient client, Path tool, List<String> arguments, DatabaseConnection connection)
            throws IOException, InterruptedException {
        PgClient.Outcome outcome = client.run(tool, arguments, connection, "schemagate-rehearsal");
        return outcome.exitCode() == 0
                ? Optional.empty()
                : Optional.of(tool.getFileName() + " exited with code " + outcome.exitCode() + ": "
                        + outcome.output().strip());
    }

    /**
     * A named scratch database holds the run's schemas of the last rehearsal, or others' objects: each
     * is dropped and made again empty, as a new database has its public schema (which pg_dump does not
     * create, as every database has it).
     */
    private static void empty(RunnerSettings onScratch) throws SQLException {
        try (Connection connection = RunnerSessions.dataSource(onScratch).getConnection()) {
            for (String schema : schemasOf(onScratch)) {
                execute(connection, "DROP SCHEMA IF EXISTS " + quote(schema) + " CASCADE");
                execute(connection, "CREATE SCHEMA " + quote(schema));
            }
        }
    }

    /** Whatever happened: a created scratch database is dropped, a named one emptied. */
    private void cleanUp(RunnerSettings settings, RunnerSettings onScratch, String scratch, boolean created) {
        try {
            if (created) {
                try (Connection connection = RunnerSessions.dataSource(settings).getConnection()) {
                    // FORCE ends the sessions the rehearsal may have left, PostgreSQL 13 and later.
                    execute(connection, "DROP DATABASE IF EXISTS " + quote(scratch) + " WITH (FORCE)");
                }
            } else {
                empty(onScratch);
            }
        } catch (SQLException e) {
            console.warn("The scratch database " + scratch + " could not be " + (created ? "dropped" : "emptied") + ": "
                    + e.getMessage() + "; drop it by hand");
        }
    }

    private static boolean historyTableExists(Connection connection, RunnerSettings settings) throws SQLException {
        try (var statement = connection.prepareStatement("SELECT to_regclass(format('%I.%I', ?, ?)) IS NOT NULL")) {
            statement.setString(1, historySchema(settings, connection));
            statement.setString(2, settings.table());
            try (ResultSet result = statement.executeQuery()) {
                result.next();
                return result.getBoolean(1);
            }
        }
    }

    private static String historySchema(RunnerSettings settings) {
        return settings.defaultSchema() == null ? "public" : settings.defaultSchema();
    }

    private static String historySchema(RunnerSettings settings, Connection connection) throws SQLException {
        return settings.defaultSchema() == null
                ? single(connection, "SELECT current_schema()")
                : settings.defaultSchema();
    }

    private static List<String> schemasOf(RunnerSettings settings) {
        return settings.schemas().isEmpty() ? List.of("public") : settings.schemas();
    }

    /** {@code <database>_sg_rehearsal_<random>}, cut to PostgreSQL's identifier length. */
    static String scratchName(String database) {
        String suffix = SCRATCH_INFIX
                + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt());
        int room = MAX_IDENTIFIER_BYTES - suffix.length();
        String base = database;
        while (base.getBytes(StandardCharsets.UTF_8).length > room) {
            base = base.substring(0, base.length() - 1);
        }
        return base + suffix;
    }

    private static MigrationResult failed(String message, String failedMigration, String sqlState) {
        return MigrationResult.failed(
                new Failure(ErrorKind.RehearsalFailed, failedMigration, sqlState, message), null, null, 0);
    }
}
