package io.schemagate.runner;

import io.schemagate.contract.Direction;
import io.schemagate.contract.RunnerEnvironment;
import io.schemagate.db.DatabaseConnection;
import io.schemagate.db.Engine;
import io.schemagate.db.HistoryFormat;
import io.schemagate.db.HistoryTable;
import io.schemagate.db.JdbcUrls;
import io.schemagate.db.Version;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/**
 * What {@code migrate} does, read from the environment the Job sets (credentials come from
 * Secret-backed variables). An empty variable counts as unset, as Kubernetes renders optional values.
 *
 * @param engine whose scripts and history table the run uses
 * @param format the history table's shape: the engine's own, or the one the command engine's tool writes
 * @param schemas the first is the default schema and holds the history table; empty means the
 *     connection's current schema
 * @param target the highest version to apply; {@link Version#LATEST} for all
 * @param placeholders Flyway placeholders, ${name} in the scripts
 * @param secretPlaceholders placeholders whose values came from Secrets: masked in all output
 * @param lockTimeout PostgreSQL's lock_timeout for the run's sessions ("0": no limit)
 * @param statementTimeout PostgreSQL's statement_timeout for the run's sessions ("0": no limit)
 * @param ignoreMissing sqlx: applied versions that no script has are left alone (sqlx's --ignore-missing)
 * @param previousRevision the revision the operator read before it started the run, as status shows it
 *     (engines whose tool ran before the runner); null when unknown or none
 * @param alembic what the alembic engine's tool was run with; null for the other engines
 * @param direction down reverts the applied migrations above the target (spec.downgrade)
 * @param adopt the version up to which the history is recorded without running the scripts, when it
 *     is empty (spec.adopt); null for none
 * @param backup where the dump before the run goes and where its record is; null when none is taken
 * @param rehearsal where the rehearsal step applies the scripts first; null when there is none
 */
public record RunnerSettings(
        Engine engine,
        HistoryFormat format,
        String jdbcUrl,
        String username,
        String password,
        Path migrationsDir,
        List<String> schemas,
        String table,
        Version target,
        boolean baselineOnMigrate,
        Version baselineVersion,
        boolean outOfOrder,
        Map<String, String> placeholders,
        Map<String, String> secretPlaceholders,
        String lockTimeout,
        String statementTimeout,
        boolean ignoreMissing,
        String previousRevision,
        AlembicRun alembic,
        Direction direction,
        String adopt,
        Backup backup,
        Rehearsal rehearsal,
        Path resultFile) {

    /**
     * @param config the ini file, relative to the source folder
     * @param target as Alembic's upgrade took it: head, heads or a revision id
     * @param sourcePath the folder the scripts were copied from in the image, for absolute locations
     */
    public record AlembicRun(String config, String target, String sourcePath) {}

    /**
     * @param dir where the backup step writes dumps (the backup volume); null in the migrate step
     * @param name what the dumps' file names start with: the resource's name, so that resources
     *     sharing a volume keep their own dumps
     * @param keep how many of those dumps stay, the newest
     * @param record the file through which the backup step tells the migrate step what it dumped
     */
    public record Backup(Path dir, String name, int keep, Path record) {}

    /** @param database a scratch database of the same server to use; null: one created for the rehearsal */
    public record Rehearsal(String database) {}

    public static final Path DEFAULT_RESULT_FILE = Path.of("/dev/termination-log");

    public RunnerSettings {
        schemas = List.copyOf(schemas);
        placeholders = Map.copyOf(placeholders);
        secretPlaceholders = Map.copyOf(secretPlaceholders);
    }

    /** @throws InvalidSettingsException naming every variable that is missing or malformed */
    /** @param engines what each engine is, by the name SCHEMAGATE_ENGINE gives */
    public static RunnerSettings fromEnvironment(
            Map<String, String> environment, Function<Engine, ? extends EngineSteps> engines)
            throws InvalidSettingsException {
        return new SettingsParser(environment, engines).parse();
    }

    /** Where to report, even when the rest of the settings are invalid. */
    public static Path resultFileFrom(Map<String, String> environment) {
        String value = environment.get(RunnerEnvironment.RESULT_FILE);
        return value == null || value.isBlank() ? DEFAULT_RESULT_FILE : Path.of(value.trim());
    }

    /** The values of placeholders that came from Secrets, in an environment not parsed yet. */
    public static List<String> secretPlaceholderValues(Map<String, String> environment) {
        return environment.entrySet().stream()
                .filter(entry -> entry.getKey().startsWith(RunnerEnvironment.SECRET_PLACEHOLDER_PREFIX))
                .map(Map.Entry::getValue)
                .toList();
    }

    /** Every placeholder, plain or from a Secret. */
    public Map<String, String> allPlaceholders() {
        Map<String, String> all = new HashMap<>(placeholders);
        all.putAll(secretPlaceholders);
        return all;
    }

    /** The same run, on another database of the same server (the rehearsal's scratch copy). */
    public RunnerSettings onDatabase(String database) {
        return new RunnerSettings(
                engine,
                format,
                JdbcUrls.withDatabase(jdbcUrl, database),
                username,
                password,
                migrationsDir,
                schemas,
                table,
                target,
                baselineOnMigrate,
                baselineVersion,
                outOfOrder,
                placeholders,
                secretPlaceholders,
                lockTimeout,
                statementTimeout,
                ignoreMissing,
                previousRevision,
                alembic,
                direction,
                adopt,
                null,
                null,
                resultFile);
    }

    public DatabaseConnection connection() {
        return new DatabaseConnection(jdbcUrl, username, password);
    }

    /**
     * The history table a tool that ran before the runner left (engines alembic and command): in the
     * first schema, public when none is named, as the tools default to it.
     */
    public HistoryTable toolHistoryTable() {
        return new HistoryTable(format, Objects.requireNonNullElse(defaultSchema(), "public"), table);
    }

    /** The schema holding the history table; null means the connection's current schema. */
    public String defaultSchema() {
        return schemas.isEmpty() ? null : schemas.get(0);
    }

    @Override
    public String toString() {
        return "RunnerSettings[engine=" + engine + ", format=" + format
                + ", jdbcUrl=" + JdbcUrls.withoutCredentials(jdbcUrl) + ", username=" + username
                + ", migrationsDir=" + migrationsDir + ", schemas=" + schemas + ", table=" + table
                + ", target=" + target + ", baselineOnMigrate=" + baselineOnMigrate
                + ", baselineVersion=" + baselineVersion + ", outOfOrder=" + outOfOrder
                + ", placeholders=" + placeholders.keySet() + ", secretPlaceholders=" + secretPlaceholders.keySet()
                + ", lockTimeout=" + lockTimeout
                + ", statementTimeout=" + statementTimeout + ", ignoreMissing=" + ignoreMissing
                + ", previousRevision=" + previousRevision + ", alembic=" + alembic
                + ", direction=" + direction + ", adopt=" + adopt + ", backup=" + backup + ", rehearsal=" + rehearsal
                + ", resultFile=" + resultFile + "]";
    }
}
