package io.schemagate.reconcile;

import io.schemagate.api.DatabaseMigration;
import io.schemagate.api.DatabaseMigrationStatus;
import io.schemagate.api.RevisionStatus;
import io.schemagate.api.SourceStatus;
import io.schemagate.db.HistoryFormat;
import io.schemagate.db.MigrationSet;
import io.schemagate.db.Version;
import java.time.Instant;

/** Fills a status from what a reconcile observed and concluded. */
final class StatusWriter {
    private StatusWriter() {
    }

    /** No read timestamp: a status that changed at every resync would churn watchers and GitOps tools. */
    /** @param format whether the history counts applied migrations at all */
    static void revision(DatabaseMigrationStatus status, RevisionView view, HistoryFormat format) {
        RevisionStatus revision = new RevisionStatus();
        revision.setCurrent(view.current().map(Version::toString).orElse(null));
        revision.setTarget(view.resolvedTarget().map(Version::toString).orElse(view.target().toString()));
        revision.setApplied(!format.keepsRowPerMigration() ? null : (int) view.revision().applied().stream()
                .filter(row -> row.success() && row.isVersioned()).count());
        revision.setPending(view.pending().stream().map(Version::toString).toList());
        revision.setDrift(view.drift());
        revision.setInvalidIndexes(view.invalidIndexes().isEmpty() ? null : view.invalidIndexes());
        status.setRevision(revision);
    }

    static void source(DatabaseMigrationStatus status, ResolvedSource source, String digest) {
        SourceStatus sourceStatus = new SourceStatus();
        sourceStatus.setDigest(digest);
        if (source instanceof ResolvedSource.FromConfigMaps fromConfigMaps) {
            MigrationSet scripts = fromConfigMaps.scripts();
            sourceStatus.setScripts(scripts.versioned().size() + scripts.repeatable().size());
            sourceStatus.setLatest(scripts.highestVersion().map(Version::toString).orElse(null));
        }
        status.setSource(sourceStatus);
    }

    static void health(DatabaseMigrationStatus status, DatabaseMigration resource, Health health, Instant now) {
        long generation = resource.getMetadata().getGeneration() == null ? 0 : resource.getMetadata().getGeneration();
        status.setObservedGeneration(generation);
        status.setConditions(Conditions.of(health, generation, status.getConditions(), now));
    }
}
