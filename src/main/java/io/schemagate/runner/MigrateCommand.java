package io.schemagate.runner;

import io.schemagate.contract.BackupRecord;
import io.schemagate.contract.ErrorKind;
import io.schemagate.contract.Failure;
import io.schemagate.contract.MigrationResult;
import io.schemagate.contract.RunnerEnvironment;
import io.schemagate.db.Engine;
import io.schemagate.db.Redactor;
import io.schemagate.support.Json;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The runner's steps, what the migration Job's containers run: {@code migrate}, and before it
 * {@code rehearse} (spec.rehearsal) and {@code backup} (spec.backup). Plain Java on purpose: Quarkus does not boot, so
 * the container starts fast, opens no port and needs nothing but its environment. Configured by
 * the {@code SCHEMAGATE_*} variables of {@link RunnerSettings}; the exit code is 0 on success,
 * else {@link ErrorKind#exitCode()}.
 */
public final class MigrateCommand {

    public static final String NAME = "migrate";
    public static final String BACKUP = "backup";
    public static final String REHEARSE = "rehearse";

    private final PrintStream out;
    private final PrintStream err;
    private final Function<Engine, ? extends EngineSteps> engines;

    /** @param engines what each engine is, by the name SCHEMAGATE_ENGINE gives */
    public MigrateCommand(PrintStream out, PrintStream err, Function<Engine, ? extends EngineSteps> engines) {
        this.out = out;
        this.err = err;
        this.engines = engines;
    }

    /** @param arguments what followed {@code migrate} on the command line: nothing is expected */
    public int run(List<String> arguments, Map<String, String> environment) {
        return run(NAME, arguments, environment);
    }

    /**
     * @param step {@link #NAME}, {@link #BACKUP} or {@link #REHEARSE}
     * @param arguments what followed the step on the command line: nothing is expected
     */
    public int run(String step, List<String> arguments, Map<String, String> environment) {
        long start = System.nanoTime();
        String password = environment.get(RunnerEnvironment.DB_PASSWORD);
        Redactor redactor = Redactor.forCredentials(
                environment.get(RunnerEnvironment.DB_URL),
                password,
                RunnerSettings.secretPlaceholderValues(environment));
        Path resultFile = RunnerSettings.resultFileFrom(environment);
        if (!arguments.isEmpty()) {
            return report(
                    invalid(step + " takes no arguments (got " + arguments.size()
                            + "); configure it with SCHEMAGATE_* environment variables"),
                    start,
                    redactor,
                    resultFile);
        }
        try {
            RunnerSettings settings = RunnerSettings.fromEnvironment(environment, engines);
            MigrationResult result = switch (step) {
                case BACKUP -> backup(settings);
                case REHEARSE -> rehearse(settings);
                default -> run(settings);
            };
            return result.exitCode();
        } catch (InvalidSettingsException e) {
            return report(invalid("Invalid runner settings: " + e.getMessage()), start, redactor, resultFile);
        }
    }

    /** Runs with settings already parsed; reports the result and returns it. */
    public MigrationResult run(RunnerSettings settings) {
        long start = System.nanoTime();
        RunnerConsole console = console(Redactor.forCredentials(
                settings.jdbcUrl(),
                settings.password(),
                settings.secretPlaceholders().values()));
        console.info("schemagate migrate: " + settings);
        MigrationResult result = engines.apply(settings.engine()).migrate(settings, console);
        return finish(withBackupTaken(result, settings, console), start, console, settings.resultFile());
    }

    /** Takes the dump before a run; reports its failure, or on success what it wrote. */
    public MigrationResult backup(RunnerSettings settings) {
        return step(settings, console -> new BackupStep(console, PgClient.CLIENTS, Clock.systemUTC()).backup(settings));
    }

    /** Applies the run's scripts to a scratch copy of the schema first; reports how that went. */
    public MigrationResult rehearse(RunnerSettings settings) {
        return step(
                settings,
                console -> new RehearsalStep(console, PgClient.CLIENTS, engines.apply(settings.engine()))
                        .rehearse(settings));
    }

    /** A step before the migration: its console masks the run's credentials, its result is reported alike. */
    private MigrationResult step(RunnerSettings settings, Function<RunnerConsole, MigrationResult> step) {
        long start = System.nanoTime();
        RunnerConsole console = console(Redactor.forCredentials(
                settings.jdbcUrl(),
                settings.password(),
                settings.secretPlaceholders().values()));
        return finish(step.apply(console), start, console, settings.resultFile());
    }

    /** The run's result with the dump the backup step took before it, which it left in its record. */
    private static MigrationResult withBackupTaken(
            MigrationResult result, RunnerSettings settings, RunnerConsole console) {
        if (settings.backup() == null || !Files.exists(settings.backup().record())) {
            return result;
        }
        try {
            return result.withBackup(
                    Json.read(Files.readString(settings.backup().record()), BackupRecord.class));
        } catch (IOException e) {
            console.warn("The backup step's record " + settings.backup().record() + " cannot be read: " + e);
            return result;
        }
    }

    private int report(MigrationResult result, long start, Redactor redactor, Path resultFile) {
        return finish(result, start, console(redactor), resultFile).exitCode();
    }

    private MigrationResult finish(MigrationResult result, long start, RunnerConsole console, Path resultFile) {
        long millis = (System.nanoTime() - start) / 1_000_000;
        MigrationResult finished = result.withDurationMillis(millis).redacted(console.redactor());
        new ResultWriter(console).write(finished, resultFile);
        return finished;
    }

    private RunnerConsole console(Redactor redactor) {
        return new RunnerConsole(out, err, redactor);
    }

    private static MigrationResult invalid(String message) {
        return MigrationResult.failed(Failure.of(ErrorKind.InvalidConfiguration, message), null, null, 0);
    }
}
