package io.schemagate.gate;

import io.schemagate.api.DatabaseMigrationStatus;
import io.schemagate.api.RevisionStatus;
import io.schemagate.db.HistoryFormat;
import io.schemagate.db.Version;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Whether the schema has reached a revision, from what status says of it: for ordered versions when
 * the current one is at least as high; for revisions that are ids (Alembic, Liquibase) when status
 * lists the id among those reached. Whatever status does not show as reached is not.
 */
abstract sealed class SchemaReached {

    static SchemaReached of(DatabaseMigrationStatus status, HistoryFormat format) {
        Optional<RevisionStatus> revision = Optional.ofNullable(status.getRevision());
        Optional<String> current = revision.map(RevisionStatus::getCurrent);
        if (format.hasOrderedVersions()) {
            return new Ordered(current.filter(Version::isValid).map(Version::parse));
        }
        Set<String> reached = new HashSet<>(revision.map(RevisionStatus::getReached).orElse(List.of()));
        // Alembic's current is its heads, comma-separated; Liquibase's one changeset id, which may hold commas.
        current.ifPresent(heads -> reached.addAll(format == HistoryFormat.alembic ? split(heads) : List.of(heads)));
        return new Named(current, reached);
    }

    abstract boolean reached(String revision);

    /** Where the schema stands, in words, for decisions and events. */
    abstract String describe();

    /** Every one of a comma-separated list: the heads an image's Alembic scripts end in. */
    boolean reachedAll(String revisions) {
        return split(revisions).stream().allMatch(this::reached);
    }

    private static List<String> split(String revisions) {
        return Stream.of(revisions.split(",")).map(String::trim).filter(part -> !part.isEmpty()).toList();
    }

    private static final class Ordered extends SchemaReached {
        private final Optional<Version> current;

        Ordered(Optional<Version> current) {
            this.current = current;
        }

        @Override
        boolean reached(String revision) {
            return Version.isValid(revision) && current.map(version -> version.compareTo(Version.parse(revision)) >= 0)
                    .orElse(false);
        }

        @Override
        String describe() {
            return current.map(version -> "the schema is at version " + version)
                    .orElse("the schema has no migrations yet");
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
