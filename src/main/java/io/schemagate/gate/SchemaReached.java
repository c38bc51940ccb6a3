package io.schemagate.gate;

import io.schemagate.api.DatabaseMigrationStatus;
import io.schemagate.api.RevisionStatus;
import io.schemagate.db.HistoryFormat;
import io.schemagate.db.NamedRevision;
import io.schemagate.db.Version;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Whether the schema has reached a revision, from what status says of it: for ordered versions when
 * the current one is at least as high; for revisions that are ids (Alembic, Liquibase) when status
 * lists the id among those reached. Whatever status does not show as reached is not. While a verify
 * check fails, only what the revision last verified holds counts (ordered versions), or nothing
 * (ids, whose older reached sets status does not keep).
 */
abstract sealed class SchemaReached {

    static SchemaReached of(DatabaseMigrationStatus status, HistoryFormat format) {
        Optional<RevisionStatus> revision = Optional.ofNullable(status.getRevision());
        Optional<String> current = revision.map(RevisionStatus::getCurrent);
        boolean failing =
                status.getVerify() != null && status.getVerify().stream().anyMatch(check -> !check.isPassed());
        if (format.dialect().hasOrderedVersions()) {
            Optional<String> trusted = failing ? Optional.ofNullable(status.getVerifiedRevision()) : current;
            return new Ordered(trusted.filter(Version::isValid).map(Version::parse), current, failing);
        }
        if (failing) {
            return new Named(current, Set.of());
        }
        Set<String> reached =
                new HashSet<>(revision.map(RevisionStatus::getReached).orElse(List.of()));
        // Alembic's current is its heads, comma-separated; Liquibase's one changeset id, which may hold commas.
        current.ifPresent(label -> reached.addAll(format.dialect().revisionsOf(label)));
        return new Named(current, reached);
    }

    abstract boolean reached(String revision);

    /** Where the schema stands, in words, for decisions and events. */
    abstract String describe();

    /** Every one of a comma-separated list: the heads an image's Alembic scripts end in. */
    boolean reachedAll(String revisions) {
        return NamedRevision.headsOf(revisions).stream().allMatch(this::reached);
    }

    private static final class Ordered extends SchemaReached {
        private final Optional<Version> trusted;
        private final Optional<String> current;
        private final boolean failing;

        /** @param trusted the current version, or while a check fails the one last verified */
        Ordered(Optional<Version> trusted, Optional<String> current, boolean failing) {
            this.trusted = trusted;
            this.current = current;
            this.failing = failing;
        }

        @Override
        boolean reached(String revision) {
            return Version.isValid(revision)
                    && trusted.map(version -> version.compareTo(Version.parse(revision)) >= 0)
                            .orElse(false);
        }

        @Override
        String describe() {
            String at = current.map(version -> "the schema is at version " + version)
                    .orElse("the schema has no migrations yet");
            return !failing
                    ? at
                    : at + " but fails a verify check, verified up to version "
                            + trusted.map(Version::toString).orElse("none");
        }
    }

    private static final class Named extends SchemaReached {
        private final Optional<String> current;
        private final Set<String> reached;

        Named(Optional<String> current, Set<String> reached) {
            this.current = current;
            this.reached = reached;
        }

        @Override
        boolean reached(String revision) {
            return reached.contains(revision);
        }

        @Override
        String describe() {
            return current.map(heads -> "the schema is at revision " + heads)
                    .orElse("the schema has no migrations yet");
        }
    }
}
