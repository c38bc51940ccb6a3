package io.schemagate.runner;

import io.schemagate.contract.Direction;
import io.schemagate.contract.ErrorKind;
import io.schemagate.contract.Failure;
import io.schemagate.contract.MigrationResult;
import io.schemagate.db.AppliedMigration;
import io.schemagate.db.HistoryTable;
import io.schemagate.db.SchemaHistoryReader;
import io.schemagate.db.SchemaRevision;
import io.schemagate.db.UnexpectedHistoryTableException;
import io.schemagate.db.Version;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Engine command: the tool ran in the container before this one and succeeded. This reads where it
 * left the database, from the tool's own history table, and reports it like any run: the database,
 * not the tool's exit code, says what was applied. Never throws.
 */
public final class CommandReport {

    private final FailureClassifier classifier = new FailureClassifier();

    public MigrationResult report(RunnerSettings settings) {
        String fromText = settings.previousRevision();
        // What the tool's adopt step recorded before it migrated was not applied by this run.
        String countedFrom = fromText == null && settings.adopt() != null ? settings.adopt() : fromText;
        Version from = countedFrom != null && Version.isValid(countedFrom) ? Version.parse(countedFrom) : null;
        HistoryTable table = settings.toolHistoryTable();
        try {
            SchemaRevision revision =
                    new SchemaHistoryReader(Duration.ofSeconds(10)).read(settings.connection(), table);
            if (!revision.historyTableExists()) {
                return MigrationResult.failed(
                        Failure.of(
                                ErrorKind.InvalidConfiguration,
                                "The tool ended without error but left no history table " + table
                                        + "; check spec.command.history"),
                        fromText,
                        fromText,
                        0);
            }
            if (!revision.failed().isEmpty()) {
                String version = revision.failed().get(0).version().toString();
                return MigrationResult.failed(
                        new Failure(
                                ErrorKind.MigrationFailed,
                                version,
                                null,
                                "The tool left the database dirty at version " + version
                                        + ": a migration failed half-way"),
                        fromText,
                        version,
                        0);
            }
            if (!settings.format().dialect().hasOrderedVersions()) {
                return named(revision, fromText);
            }
            Optional<Version> to = revision.currentVersion();
            List<Version> scripts = scriptVersions(settings);
            if (settings.direction() == Direction.Down) {
                return downgraded(settings, from, to, scripts);
            }
            int applied = (int) scripts.stream()
                    .filter(version -> from == null || version.compareTo(from) > 0)
                    .filter(version ->
                            to.map(current -> version.compareTo(current) <= 0).orElse(false))
                    .count();
            return MigrationResult.succeeded(
                            fromText,
                            to.map(Version::toString).orElse(null),
                            scripts.stream()
                                    .max(Version::compareTo)
                                    .map(Version::toString)
                                    .orElse(null),
                            applied)
                    .withAdopted(settings.adopt());
        } catch (UnexpectedHistoryTableException e) {
            return MigrationResult.failed(
                    Failure.of(ErrorKind.InvalidConfiguration, e.getMessage()), fromText, fromText, 0);
        } catch (SQLException | RuntimeException e) {
            return MigrationResult.failed(classifier.classify(e), fromText, fromText, 0);
        }
    }

    /** After the tool's down arguments: the database must be at the target, and what went is counted. */
    private static MigrationResult downgraded(
            RunnerSettings settings, Version from, Optional<Version> to, List<Version> scripts) {
        String fromText = from == null ? null : from.toString();
        String toText = to.map(Version::toString).orElse(null);
        if (!to.equals(Optional.of(settings.target()))) {
            return MigrationResult.failed(
                            Failure.of(
                                    ErrorKind.MigrationFailed,
                                    "The tool's downgrade ended without"
                                            + " error, but the database is at version "
                                            + (toText == null ? "(empty)" : toText) + ", not at"
                                            + " the target " + settings.target()),
                            fromText,
                            toText,
                            0)
                    .reverted();
        }
        int reverted = (int) scripts.stream()
                .filter(version -> version.compareTo(settings.target()) > 0)
                .filter(version -> from != null && version.compareTo(from) <= 0)
                .count();
        return MigrationResult.succeeded(
                        fromText,
                        toText,
                        scripts.stream()
                                .max(Version::compareTo)
                                .map(Version::toString)
                                .orElse(null),
                        reverted)
                .reverted();
    }

    /**
     * A history of ids: where it stands is its label; a Liquibase history counts the changesets run
     * after the one that was last before, an Alembic one nothing, as its graph is not read here.
     */
    private static MigrationResult named(SchemaRevision revision, String from) {
        List<AppliedMigration> rows = revision.applied();
        int before = -1;
        for (int i = rows.size() - 1; i >= 0 && from != null; i--) {
            if (from.equals(rows.get(i).description())) {
                before = i;
                break;
            }
        }
        return MigrationResult.succeeded(from, revision.label(), null, rows.size() - before - 1);
    }

    /** The versions of the scripts the tool was given, where SchemaGate knows the tool's names. */
    private static List<Version> scriptVersions(RunnerSettings settings) {
        try (Stream<Path> files = Files.list(settings.migrationsDir())) {
            return files.map(file -> settings.format()
                            .dialect()
                            .scriptVersion(file.getFileName().toString()))
                    .flatMap(Optional::stream)
                    .distinct()
                    .toList();
        } catch (IOException e) {
            return List.of();
        }
    }
}
