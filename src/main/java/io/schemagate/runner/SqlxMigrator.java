package io.schemagate.runner;

import static io.schemagate.runner.SqlStatements.execute;
import static io.schemagate.runner.SqlStatements.single;

import io.schemagate.contract.Direction;
import io.schemagate.contract.ErrorKind;
import io.schemagate.contract.Failure;
import io.schemagate.contract.MigrationResult;
import io.schemagate.db.HistoryFormat;
import io.schemagate.db.HistoryTable;
import io.schemagate.db.InvalidIndexes;
import io.schemagate.db.Migration;
import io.schemagate.db.MigrationSet;
import io.schemagate.db.SchemaHistoryReader;
import io.schemagate.db.SchemaRevision;
import io.schemagate.db.ScriptConvention;
import io.schemagate.db.SqlxScripts;
import io.schemagate.db.Version;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.zip.CRC32;

/**
 * One sqlx run, done the way sqlx 0.9's migrator does it, so that sqlx-cli and an application's
 * {@code sqlx::migrate!()} agree with every row written: sqlx's advisory lock, {@code _sqlx_migrations}
 * created as sqlx creates it, each script with its row in one transaction (or none, for
 * {@code -- no-transaction}), the execution time in nanoseconds written after. Unlike sqlx, every
 * applied script is checked before anything runs, so a refused run has changed nothing. Never throws:
 * every failure becomes a {@link MigrationResult}.
 */
public final class SqlxMigrator {

    /** sqlx's multiplier of the database name's CRC-32: the same lock id, so the two never run at once. */
    private static final long LOCK_MULTIPLIER = 0x3d32ad9eL;

    private final FailureClassifier classifier = new FailureClassifier();
    private final RunnerConsole console;

    public SqlxMigrator(RunnerConsole console) {
        this.console = console;
    }

    public MigrationResult migrate(RunnerSettings settings) {
        Map<String, String> files;
        try {
            files = readFolder(settings.migrationsDir());
        } catch (IOException e) {
            return MigrationResult.failed(
                    Failure.of(
                            ErrorKind.InvalidConfiguration,
                            "Cannot read the migrations in " + settings.migrationsDir() + ": " + e.getMessage()),
                    null,
                    null,
                    0);
        }
        MigrationSet scripts = MigrationSet.of(ScriptConvention.SQLX, files);
        if (!scripts.isValid()) {
            return MigrationResult.failed(
                    Failure.of(ErrorKind.InvalidConfiguration, String.join("; ", scripts.errors())), null, null, 0);
        }
        SqlxHistory history = new SqlxHistory(settings.table());
        // Every version the history records, kept up to date as scripts are applied.
        SortedSet<Version> recorded = new TreeSet<>();
        String from = null;
        String adoptedVersion = null;
        int applied = 0;
        try (Connection connection = RunnerSessions.dataSource(settings).getConnection()) {
            prepare(connection, settings);
            long lock = lockId(connection);
            execute(connection, "SELECT pg_advisory_lock(" + lock + ")");
            try {
                history.ensure(connection);
                // sqlx's table is unqualified: it is in the first schema of the search path.
                HistoryTable table =
                        new HistoryTable(HistoryFormat.sqlx, firstSchema(connection, settings), settings.table());
                SchemaRevision revision = new SchemaHistoryReader().read(connection, table);
                recorded.addAll(revision.appliedVersions());
                from = highest(recorded);
                Optional<Failure> refusal = refusal(settings, scripts, revision, connection);
                if (refusal.isPresent()) {
                    return MigrationResult.failed(refusal.get(), from, from, 0);
                }
                if (settings.direction() == Direction.Down) {
                    Optional<Failure> impossible = downgradeRefusal(settings, scripts, revision, files);
                    if (impossible.isPresent()) {
                        return MigrationResult.failed(impossible.get(), from, from, 0)
                                .reverted();
                    }
                    for (Migration migration : reverted(settings, scripts, revision)) {
                        revert(connection, history, migration, files.get(downScript(migration.script())));
                        recorded.remove(migration.version());
                        applied++;
                    }
                    return MigrationResult.succeeded(
                                    from,
                                    highest(recorded),
                                    scripts.highestVersion()
                                            .map(Version::toString)
                                            .orElse(null),
                                    applied)
                            .reverted();
                }
                if (settings.adopt() != null) {
                    Optional<Failure> refused = adoptRefusal(settings, scripts, revision);
                    if (refused.isPresent()) {
                        return MigrationResult.failed(refused.get(), from, from, 0);
                    }
                    adopt(connection, history, scripts, Version.parse(settings.adopt()));
                    recorded.addAll(adopted(scripts, Version.parse(settings.adopt())).stream()
                            .map(Migration::version)
                            .toList());
                    adoptedVersion = settings.adopt();
                }
                for (Migration migration : scripts.versioned()) {
                    if (migration.version().compareTo(settings.target()) > 0) {
                        break;
                    }
                    if (!recorded.contains(migration.version())) {
                        apply(connection, history, migration, files.get(migration.script()));
                        recorded.add(migration.version());
                        applied++;
                    }
                }
            } finally {
                unlock(connection, lock);
            }
            return MigrationResult.succeeded(
                            from,
                            highest(recorded),
                            scripts.highestVersion().map(Version::toString).orElse(null),
                            applied)
                    .withAdopted(adoptedVersion);
        } catch (ScriptFailedException e) {
            return MigrationResult.failed(classifier.scriptFailure(e.script, e.cause), from, highest(recorded), applied)
                    .withAdopted(adoptedVersion);
        } catch (SQLException | RuntimeException e) {
            Failure failure = classifier.classify(e);
            if (failure.kind() == ErrorKind.Unknown) {
                console.error("Unexpected failure", e);
            }
            return MigrationResult.failed(failure, from, recorded.isEmpty() ? from : highest(recorded), applied);
        }
    }

    /** What makes sqlx refuse to run, checked before anything is applied: the set's own checks. */
    private Optional<Failure> refusal(
            RunnerSettings settings, MigrationSet scripts, SchemaRevision revision, Connection connection)
            throws SQLException {
        if (!revision.failed().isEmpty()) {
            return Optional.of(new Failure(
                    ErrorKind.MigrationFailed,
                    null,
                    null,
                    "Migration "
                            + revision.failed().get(0).version() + " is recorded in " + settings.table()
                            + " as partially"
                            + " applied (success = false): the database is dirty. Complete or undo its changes by hand,"
                            + " then delete its row; nothing was changed"));
        }
        // Versions above every script were applied by a newer source: an older image still runs, as
        // with Flyway's future migrations. One missing below the highest script is refused, as sqlx does,
        // unless the source shares the table with another (--ignore-missing).
        List<Version> missing = scripts.missing(revision);
        if (!missing.isEmpty() && !settings.ignoreMissing()) {
            return Optional.of(Failure.of(
                    ErrorKind.MissingMigration,
                    "Applied migrations are missing from the"
                            + " scripts: "
                            + missing.stream().map(Version::toString).collect(Collectors.joining(", "))
                            + "; nothing was changed"));
        }
        Optional<Version> current = revision.currentVersion();
        if (current.isPresent()
                && settings.target().compareTo(current.get()) < 0
                && settings.direction() == Direction.Up) {
            return Optional.of(Failure.of(
                    ErrorKind.TargetBehindDatabase,
                    "The target version " + settings.target()
                            + " is below the schema's current version " + current.get() + "; nothing was changed"
                            + " (a schema is migrated down only with spec.downgrade.allowed)"));
        }
        Optional<Migration> edited = scripts.drifted(revision).stream().findFirst();
        if (edited.isPresent()) {
            return Optional.of(new Failure(
                    ErrorKind.ChecksumMismatch,
                    edited.get().script(),
                    null,
                    "Migration "
                            + edited.get().script()
                            + " was edited after it was applied: its checksum differs from the one"
                            + " in " + settings.table()
                            + "; restore its applied content or add a new migration instead;"
                            + " nothing was changed"));
        }
        List<String> schemas = settings.schemas().isEmpty() ? List.of(currentSchema(connection)) : settings.schemas();
        List<String> invalid = InvalidIndexes.in(connection, schemas, 0);
        if (!invalid.isEmpty()) {
            return Optional.of(
                    Failure.of(ErrorKind.InvalidIndex, InvalidIndexes.describe(invalid) + "; nothing was changed"));
        }
        return Optional.empty();
    }

    /**
     * What stops a downgrade before anything is reverted: a target that is not an applied version
     * (the schema would end between two scripts), or a migration to revert without a down script.
     */
    private static Optional<Failure> downgradeRefusal(
            RunnerSettings settings, MigrationSet scripts, SchemaRevision revision, Map<String, String> files) {
        if (!revision.appliedVersions().contains(settings.target())) {
            return Optional.of(Failure.of(
                    ErrorKind.DowngradeNotPossible,
                    "The downgrade target " + settings.target()
                            + " is not an applied version (applied: "
                            + revision.appliedVersions().stream()
                                    .map(Version::toString)
                                    .collect(Collectors.joining(", "))
                            + "); nothing was changed"));
        }
        List<String> irreversible = reverted(settings, scripts, revision).stream()
                .map(Migration::script)
                .filter(script -> !files.containsKey(downScript(script)))
                .toList();
        if (!irreversible.isEmpty()) {
            return Optional.of(Failure.of(
                    ErrorKind.DowngradeNotPossible,
                    "No down script for "
                            + String.join(", ", irreversible)
                            + ": only <version>_<description>.up.sql migrations with a"
                            + " .down.sql beside them can be reverted; nothing was changed"));
        }
        return Optional.empty();
    }

    /** The applied migrations above the target, newest first: the order sqlx's revert takes them in. */
    private static List<Migration> reverted(RunnerSettings settings, MigrationSet scripts, SchemaRevision revision) {
        return scripts.versioned().stream()
                .filter(migration -> migration.version().compareTo(settings.target()) > 0)
                .filter(migration -> revision.appliedVersions().contains(migration.version()))
                .sorted(Comparator.comparing(Migration::version).reversed())
                .toList();
    }

    /** The down script of a reversible pair; a name that no file has for a plain script. */
    static String downScript(String script) {
        return script.endsWith(".up.sql")
                ? script.substring(0, script.length() - ".up.sql".length()) + ".down.sql"
                : script + ".down.sql";
    }

    private void revert(Connection connection, SqlxHistory history, Migration migration, String sql)
            throws SQLException {
        console.info("Reverting " + migration.script());
        boolean outsideTransaction = SqlxScripts.runsOutsideTransaction(sql);
        connection.setAutoCommit(outsideTransaction);
        try (Statement statement = connection.createStatement()) {
            statement.setEscapeProcessing(false);
            statement.execute(sql);
            history.remove(connection, migration.version());
            if (!outsideTransaction) {
                connection.commit();
            }
        } catch (SQLException e) {
            endTransaction(connection, outsideTransaction);
            throw new ScriptFailedException(downScript(migration.script()), e);
        }
        connection.setAutoCommit(true);
    }

    /** spec.adopt is for a history that has no row yet, and for a version the scripts have. */
    private static Optional<Failure> adoptRefusal(
            RunnerSettings settings, MigrationSet scripts, SchemaRevision revision) {
        if (!revision.appliedVersions().isEmpty()) {
            return Optional.of(Failure.of(
                    ErrorKind.AdoptRefused,
                    settings.table() + " already has "
                            + revision.appliedVersions().size()
                            + " rows: spec.adopt records a history only where there is"
                            + " none; remove spec.adopt; nothing was recorded"));
        }
        Version version = Version.parse(settings.adopt());
        if (scripts.versioned().stream()
                .noneMatch(migration -> migration.version().equals(version))) {
            return Optional.of(Failure.of(
                    ErrorKind.AdoptRefused,
                    "spec.adopt.version " + version + " is not the version of any script; nothing was recorded"));
        }
        return Optional.empty();
    }

    private static List<Migration> adopted(MigrationSet scripts, Version version) {
        return scripts.versioned().stream()
                .filter(migration -> migration.version().compareTo(version) <= 0)
                .toList();
    }

    /** Every script up to the version recorded as applied, in one transaction, none of them run. */
    private void adopt(Connection connection, SqlxHistory history, MigrationSet scripts, Version version)
            throws SQLException {
        List<Migration> adopted = adopted(scripts, version);
        console.info("Adopting the database at version " + version + ": recording " + adopted.size()
                + " migration(s) as applied without running them");
        connection.setAutoCommit(false);
        try {
            for (Migration migration : adopted) {
                history.adopt(connection, migration);
            }
            connection.commit();
        } catch (SQLException e) {
            endTransaction(connection, false);
            throw e;
        }
        connection.setAutoCommit(true);
    }

    private void apply(Connection connection, SqlxHistory history, Migration migration, String sql)
            throws SQLException {
        console.info("Applying " + migration.script());
        boolean outsideTransaction = SqlxScripts.runsOutsideTransaction(sql);
        long start = System.nanoTime();
        connection.setAutoCommit(outsideTransaction);
        try (Statement statement = connection.createStatement()) {
            // The script is the database's to read: no JDBC escape syntax is rewritten in it.
            statement.setEscapeProcessing(false);
            statement.execute(sql);
            history.record(connection, migration);
            if (!outsideTransaction) {
                connection.commit();
            }
        } catch (SQLException e) {
            endTransaction(connection, outsideTransaction);
            throw new ScriptFailedException(migration.script(), e);
        }
        connection.setAutoCommit(true);
        // As sqlx: the time is known only once the transaction ended, so the row is completed after it.
        history.recordDuration(connection, migration, System.nanoTime() - start);
    }

    /**
     * After a failed script: its transaction rolled back, so nothing of it stays. A session that is
     * gone took its transaction with it, and the script's failure is what the run reports.
     */
    private static void endTransaction(Connection connection, boolean outsideTransaction) {
        try {
            if (!outsideTransaction) {
                connection.rollback();
            }
            connection.setAutoCommit(true);
        } catch (SQLException lost) {
            // Reported as the script's failure, with the cause the database gave for it.
        }
    }

    /** The run's session settings, and the schemas to create unqualified objects in, in order. */
    private static void prepare(Connection connection, RunnerSettings settings) throws SQLException {
        execute(connection, RunnerSessions.settingsStatement(settings));
        if (!settings.schemas().isEmpty()) {
            try (PreparedStatement statement =
                    connection.prepareStatement("SELECT set_config('search_path', ?, false)")) {
                statement.setString(
                        1, settings.schemas().stream().map(SqlStatements::quote).collect(Collectors.joining(", ")));
                statement.execute();
            }
        }
    }

    /** sqlx's lock id: its multiplier times the CRC-32 (IEEE) of the database's name. */
    private static long lockId(Connection connection) throws SQLException {
        CRC32 crc = new CRC32();
        crc.update(single(connection, "SELECT current_database()").getBytes(StandardCharsets.UTF_8));
        return LOCK_MULTIPLIER * crc.getValue();
    }

    private static void unlock(Connection connection, long lock) {
        try {
            connection.setAutoCommit(true);
            execute(connection, "SELECT pg_advisory_unlock(" + lock + ")");
        } catch (SQLException lost) {
            // The session is gone with the failure being reported, and its end released the lock.
        }
    }

    /** Where unqualified names go: the first of the run's schemas, or the session's current one. */
    private static String firstSchema(Connection connection, RunnerSettings settings) throws SQLException {
        return settings.schemas().isEmpty()
                ? currentSchema(connection)
                : settings.schemas().get(0);
    }

    private static String currentSchema(Connection connection) throws SQLException {
        return single(connection, "SELECT current_schema()");
    }

    /**
     * The regular files of the folder itself, as sqlx reads them (subfolders are not looked into;
     * ConfigMap volumes' symlinked files count). Not valid UTF-8 is refused, as sqlx refuses it.
     */
    private static Map<String, String> readFolder(Path folder) throws IOException {
        Map<String, String> files = new TreeMap<>();
        try (Stream<Path> entries = Files.list(folder)) {
            for (Path file : entries.filter(Files::isRegularFile).toList()) {
                try {
                    files.put(file.getFileName().toString(), Files.readString(file));
                } catch (CharacterCodingException e) {
                    throw new IOException(file.getFileName() + " is not valid UTF-8", e);
                }
            }
        }
        return files;
    }

    private static String highest(SortedSet<Version> recorded) {
        return recorded.isEmpty() ? null : recorded.last().toString();
    }

    /** A script the database refused; what was applied before it stays. */
    private static final class ScriptFailedException extends SQLException {
        private final String script;
        private final SQLException cause;

        ScriptFailedException(String script, SQLException cause) {
            super(cause.getMessage(), cause.getSQLState(), cause);
            this.script = script;
            this.cause = cause;
        }
    }
}
