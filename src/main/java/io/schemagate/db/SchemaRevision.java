package io.schemagate.db;

import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;

/**
 * The revision of a database schema as its Flyway history table records it.
 *
 * @param historyTableExists false when Flyway never ran against this schema
 * @param current the highest successfully applied versioned migration (a baseline counts), or null
 *     when none was applied
 * @param applied every history row, in the order Flyway installed them
 * @param invalidIndexes indexes of the managed schemas left invalid by an interrupted concurrent build
 *     ({@link InvalidIndexes})
 * @param named for histories whose revisions are ids (Alembic, Liquibase): where they stand; else
 *     {@link NamedRevision#NONE}
 * @param checks what the resource's verify checks found, in their order
 */
public record SchemaRevision(
        boolean historyTableExists,
        @Nullable Version current,
        List<AppliedMigration> applied,
        List<String> invalidIndexes,
        NamedRevision named,
        List<CheckResult> checks) {

    public SchemaRevision {
        applied = List.copyOf(applied);
        invalidIndexes = List.copyOf(invalidIndexes);
        checks = List.copyOf(checks);
    }

    public static SchemaRevision withoutHistoryTable() {
        return new SchemaRevision(false, null, List.of(), List.of(), NamedRevision.NONE, List.of());
    }

    public static SchemaRevision fromHistory(List<AppliedMigration> rows) {
        return new SchemaRevision(true, currentVersion(rows), rows, List.of(), NamedRevision.NONE, List.of());
    }

    /** A history of ids: its rows (Liquibase's changesets; none for Alembic) and where they stand. */
    public static SchemaRevision named(List<AppliedMigration> rows, NamedRevision named) {
        return new SchemaRevision(true, null, rows, List.of(), named, List.of());
    }

    public SchemaRevision withInvalidIndexes(List<String> indexes) {
        return new SchemaRevision(historyTableExists, current, applied, indexes, named, checks);
    }

    public SchemaRevision withChecks(List<CheckResult> results) {
        return new SchemaRevision(historyTableExists, current, applied, invalidIndexes, named, results);
    }

    /** The first check that did not pass, if any. */
    public Optional<CheckResult> failedCheck() {
        return checks.stream().filter(check -> !check.passed()).findFirst();
    }

    /** The current revision as status shows it: the version, or the named heads; null when none. */
    public @Nullable String label() {
        return current != null ? current.toString() : named.label();
    }

    public Optional<Version> currentVersion() {
        return Optional.ofNullable(current);
    }

    /** Rows of migrations that failed and were left in the history (they block further runs). */
    public List<AppliedMigration> failed() {
        return applied.stream().filter(row -> !row.success()).toList();
    }

    /** The version of the baseline row: versions up to it are never applied by Flyway. */
    public Optional<Version> baseline() {
        return applied.stream()
                .filter(row -> AppliedMigration.BASELINE_TYPE.equals(row.type()) && row.success())
                .map(AppliedMigration::version)
                .max(Comparator.naturalOrder());
    }

    /** Versions successfully applied and still in effect (not removed from the history by repair). */
    public Set<Version> appliedVersions() {
        return effective(applied).map(AppliedMigration::version).collect(Collectors.toSet());
    }

    private static @Nullable Version currentVersion(List<AppliedMigration> rows) {
        return effective(rows)
                .map(AppliedMigration::version)
                .max(Comparator.naturalOrder())
                .orElse(null);
    }

    private static Stream<AppliedMigration> effective(List<AppliedMigration> rows) {
        Set<Version> deleted = rows.stream()
                .filter(row -> AppliedMigration.DELETE_TYPE.equals(row.type()) && row.isVersioned())
                .map(AppliedMigration::version)
                .collect(Collectors.toSet());
        return rows.stream()
                .filter(row -> row.success() && row.isVersioned() && !row.isUndo())
                .filter(row -> !AppliedMigration.DELETE_TYPE.equals(row.type()))
                .filter(row -> !deleted.contains(row.version()));
    }
}
