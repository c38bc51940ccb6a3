package io.schemagate.reconcile;

import io.schemagate.db.AppliedMigration;
import io.schemagate.db.Migration;
import io.schemagate.db.MigrationSet;
import io.schemagate.db.SchemaRevision;
import io.schemagate.db.Version;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The database's revision set against the scripts the source declares: what is pending, what was
 * edited after it ran, what is missing from the source, and what was applied that the source lacks.
 *
 * @param ignoreMissing applied versions that no script declares belong to another source sharing the
 *     history table (sqlx's --ignore-missing): neither missing nor drift
 */
public record RevisionView(
        SchemaRevision revision, Optional<MigrationSet> scripts, Version target, boolean ignoreMissing) {

    public Optional<Version> current() {
        return revision.currentVersion();
    }

    /** The current revision as status shows it: a version, or the heads of a history of ids. */
    public Optional<String> currentLabel() {
        return Optional.ofNullable(revision.label());
    }

    /** The target with 'latest' resolved to the highest script version, when the scripts are known. */
    public Optional<Version> resolvedTarget() {
        if (!target.isLatest()) {
            return Optional.of(target);
        }
        return scripts.flatMap(MigrationSet::highestVersion);
    }

    public List<Version> pending() {
        return scripts.map(set -> set.pending(revision, target)).orElse(List.of());
    }

    public List<Migration> edited() {
        return scripts.map(set -> set.drifted(revision)).orElse(List.of());
    }

    /** Applied versions below the highest script version that no script declares any more. */
    public List<Version> missing() {
        return ignoreMissing
                ? List.of()
                : scripts.map(set -> set.missing(revision)).orElse(List.of());
    }

    /** Applied versions above every script: applied by hand, or by a newer source than this one. */
    public List<Version> ahead() {
        return ignoreMissing
                ? List.of()
                : scripts.map(set -> set.ahead(revision)).orElse(List.of());
    }

    /** Indexes left invalid by an interrupted concurrent build: a run would trip over them. */
    public List<String> invalidIndexes() {
        return revision.invalidIndexes();
    }

    public List<AppliedMigration> failed() {
        return revision.failed();
    }

    public boolean targetBehindDatabase() {
        return !target.isLatest() && current().map(c -> c.compareTo(target) > 0).orElse(false);
    }

    /** A description of differences no run explains, or null when the database matches the source. */
    public String drift() {
        List<String> findings = new ArrayList<>();
        if (!ahead().isEmpty()) {
            findings.add("applied but not in the source: " + join(ahead()));
        }
        if (!edited().isEmpty()) {
            findings.add("edited after being applied: "
                    + edited().stream().map(Migration::script).collect(Collectors.joining(", ")));
        }
        if (!missing().isEmpty()) {
            findings.add("applied but removed from the source: " + join(missing()));
        }
        return findings.isEmpty() ? null : String.join("; ", findings);
    }

    static String join(List<Version> versions) {
        return versions.stream().map(Version::toString).collect(Collectors.joining(", "));
    }
}
