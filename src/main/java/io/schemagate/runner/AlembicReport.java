package io.schemagate.runner;

import io.schemagate.contract.Direction;
import io.schemagate.contract.ErrorKind;
import io.schemagate.contract.Failure;
import io.schemagate.contract.MigrationResult;
import io.schemagate.db.AlembicScripts;
import io.schemagate.db.HistoryTable;
import io.schemagate.db.NamedRevision;
import io.schemagate.db.RevisionGraph;
import io.schemagate.db.SchemaHistoryReader;
import io.schemagate.db.SchemaRevision;
import io.schemagate.db.UnexpectedHistoryTableException;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Set;

/**
 * Engine alembic: the image's {@code alembic upgrade} ran in the container before this one and
 * succeeded. This reads the heads it left in {@code alembic_version} and places them in the graph of
 * the image's scripts: what was applied, whether the target was reached, and which revisions pods may
 * now ask for. The database, not Alembic's exit code, says what happened. Never throws.
 */
public final class AlembicReport {

    private final FailureClassifier classifier = new FailureClassifier();

    public MigrationResult report(RunnerSettings settings) {
        RunnerSettings.AlembicRun run = settings.alembic();
        List<String> previous = NamedRevision.headsOf(settings.previousRevision());
        String from = label(previous);
        RevisionGraph graph;
        try {
            graph = AlembicScripts.read(settings.migrationsDir(), run.config(), run.sourcePath());
        } catch (IllegalArgumentException e) {
            return invalid("Alembic ran, but SchemaGate cannot read its scripts: " + e.getMessage(), from);
        }
        if (!graph.isValid()) {
            return invalid(
                    "Alembic ran, but its scripts do not form one revision graph: " + String.join("; ", graph.errors()),
                    from);
        }
        HistoryTable table = settings.toolHistoryTable();
        try {
            SchemaRevision revision =
                    new SchemaHistoryReader(Duration.ofSeconds(10)).read(settings.connection(), table);
            List<String> heads = revision.named().heads();
            if (!revision.historyTableExists() && graph.size() > 0) {
                return invalid(
                        "Alembic ended without error but left no version table " + table
                                + "; check spec.alembic.table and the version_table of env.py",
                        from);
            }
            List<String> unknown =
                    heads.stream().filter(head -> !graph.contains(head)).toList();
            if (!unknown.isEmpty()) {
                return MigrationResult.failed(
                        Failure.of(
                                ErrorKind.MissingMigration,
                                "The database is at revision " + String.join(", ", unknown)
                                        + ", which no script of this source declares"),
                        from,
                        label(heads),
                        0);
            }
            List<String> target = graph.resolve(run.target());
            Set<String> reached = graph.closure(heads);
            // Stamped by the adopt step before the upgrade: recorded, not applied.
            Set<String> before = graph.closure(
                    previous.isEmpty() && settings.adopt() != null ? List.of(settings.adopt()) : previous);
            if (settings.direction() == Direction.Down) {
                return downgraded(heads, target, before, reached, graph, from, run);
            }
            if (!reached.containsAll(target)) {
                return MigrationResult.failed(
                        Failure.of(
                                ErrorKind.MigrationFailed,
                                "Alembic ended without error, "
                                        + "but the database is at " + orEmpty(label(heads)) + ", below the target "
                                        + run.target()
                                        + " (" + String.join(", ", target) + ")"),
                        from,
                        label(heads),
                        0);
            }
            if (target.stream().anyMatch(revisionId -> !heads.contains(revisionId))) {
                // Alembic's upgrade never goes down: a target below the heads is a no-op it does not report.
                return MigrationResult.failed(
                        Failure.of(
                                ErrorKind.TargetBehindDatabase,
                                "The target " + run.target()
                                        + " is below the database's revision " + label(heads)
                                        + "; nothing was changed (a schema is"
                                        + " migrated down only with spec.downgrade.allowed)"),
                        from,
                        label(heads),
                        0);
            }
            int applied = (int) reached.stream()
                    .filter(revisionId -> !before.contains(revisionId))
                    .count();
            return MigrationResult.succeeded(from, label(heads), label(graph.heads()), applied)
                    .withReached(graph.reached(heads))
                    .withAdopted(settings.adopt());
        } catch (UnexpectedHistoryTableException | IllegalArgumentException e) {
            return invalid(e.getMessage(), from);
        } catch (SQLException | RuntimeException e) {
            return MigrationResult.failed(classifier.classify(e), from, from, 0);
        }
    }

    /** After {@code alembic downgrade <target>}: the heads must be the target's, and what went is counted. */
    private static MigrationResult downgraded(
            List<String> heads,
            List<String> target,
            Set<String> before,
            Set<String> reached,
            RevisionGraph graph,
            String from,
            RunnerSettings.AlembicRun run) {
        if (!Set.copyOf(heads).equals(Set.copyOf(target))) {
            return MigrationResult.failed(
                            Failure.of(
                                    ErrorKind.MigrationFailed,
                                    "Alembic's downgrade ended without"
                                            + " error, but the database is at " + orEmpty(label(heads))
                                            + ", not at the target "
                                            + run.target()),
                            from,
                            label(heads),
                            0)
                    .reverted();
        }
        int reverted = (int) before.stream()
                .filter(revisionId -> !reached.contains(revisionId))
                .count();
        return MigrationResult.succeeded(from, label(heads), label(graph.heads()), reverted)
                .withReached(graph.reached(heads))
                .reverted();
    }

    private static MigrationResult invalid(String message, String from) {
        return MigrationResult.failed(Failure.of(ErrorKind.InvalidConfiguration, message), from, from, 0);
    }

    private static String label(List<String> heads) {
        return NamedRevision.ofHeads(heads).label();
    }

    private static String orEmpty(String heads) {
        return heads == null ? "no revision" : "revision " + heads;
    }
}
