package io.schemagate.reconcile;

import io.schemagate.api.DatabaseMigration;
import io.schemagate.api.DatabaseMigrationStatus;
import io.schemagate.api.FindingStatus;
import io.schemagate.api.RevisionStatus;
import io.schemagate.api.SourceStatus;
import io.schemagate.api.VerifyStatus;
import io.schemagate.db.CheckResult;
import io.schemagate.db.HistoryFormat;
import io.schemagate.db.MigrationSet;
import io.schemagate.db.NamedRevision;
import io.schemagate.db.Version;
import io.schemagate.engine.RunSettings;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/** Fills a status from what a reconcile observed and concluded. */
final class StatusWriter {
    private StatusWriter() {}

    /**
     * No read timestamp: a status that changed at every resync would churn watchers and GitOps tools.
     *
     * @param settings the format of the history (whether it counts applied migrations at all, whether its
     *     revisions are ids) and the target as the engine takes it
     */
    /** Bounded: status must stay small however many statements a plan has. */
    static final int MAX_FINDINGS = 50;

    static void revision(DatabaseMigrationStatus status, RevisionView view, RunSettings settings) {
        HistoryFormat format = settings.format();
        RevisionStatus revision = new RevisionStatus();
        revision.setCurrent(view.currentLabel().orElse(null));
        revision.setTarget(
                !format.dialect().hasOrderedVersions()
                        ? settings.target()
                        : view.resolvedTarget()
                                .map(Version::toString)
                                .orElse(view.target().toString()));
        revision.setApplied(
                !format.dialect().keepsRowPerMigration()
                        ? null
                        : (int) view.revision().applied().stream()
                                .filter(row -> row.success()
                                        && (row.isVersioned()
                                                || !format.dialect().hasOrderedVersions()))
                                .count());
        revision.setReached(reached(status.getRevision(), view, format));
        revision.setTag(view.revision().named().tag());
        revision.setLock(view.revision().named().lock());
        revision.setPending(view.pending().stream().map(Version::toString).toList());
        revision.setDrift(view.drift());
        revision.setInvalidIndexes(view.invalidIndexes().isEmpty() ? null : view.invalidIndexes());
        status.setRevision(revision);
        verify(status, view);
    }

    /** The checks' findings, and the revision at which all last passed: what the gate admits pods up to. */
    private static void verify(DatabaseMigrationStatus status, RevisionView view) {
        List<CheckResult> checks = view.revision().checks();
        if (checks.isEmpty()) {
            status.setVerify(null);
            status.setVerifiedRevision(null);
            return;
        }
        status.setVerify(checks.stream()
                .map(check -> {
                    VerifyStatus found = new VerifyStatus();
                    found.setName(check.name());
                    found.setPassed(check.passed());
                    found.setReturned(check.returned());
                    found.setSqlState(check.sqlState());
                    return found;
                })
                .toList());
        if (view.revision().failedCheck().isEmpty()) {
            status.setVerifiedRevision(view.currentLabel().orElse(null));
        }
    }

    /**
     * Liquibase's from the database; Alembic's from the last run, which saw the scripts, for as long
     * as the database is at the heads it left; else only the heads, which the database alone tells.
     */
    private static List<String> reached(RevisionStatus before, RevisionView view, HistoryFormat format) {
        if (format.dialect().hasOrderedVersions()) {
            return null;
        }
        NamedRevision named = view.revision().named();
        if (format.dialect().recordsEveryRevision()) {
            return NamedRevision.newest(named.reached());
        }
        if (before != null && before.getReached() != null && Objects.equals(before.getCurrent(), named.label())) {
            return before.getReached();
        }
        return named.heads();
    }

    /** What the change policy found in the pending scripts; nothing once none are pending. */
    static void findings(DatabaseMigrationStatus status, PolicyReview review) {
        List<FindingStatus> findings = review.findings().stream()
                .limit(MAX_FINDINGS)
                .map(judged -> {
                    FindingStatus finding = new FindingStatus();
                    finding.setRiskClass(judged.finding().riskClass().name());
                    finding.setRule(judged.finding().rule());
                    finding.setScript(judged.finding().script());
                    finding.setLine(judged.finding().line());
                    finding.setStatement(judged.finding().statement());
                    finding.setWhy(judged.finding().why());
                    finding.setInstead(judged.finding().instead());
                    finding.setAction(
                            judged.finding().allowedByScript()
                                    ? "Allowed"
                                    : judged.action().name());
                    return finding;
                })
                .toList();
        status.setFindings(findings.isEmpty() ? null : findings);
    }

    static void source(DatabaseMigrationStatus status, ResolvedSource source, String digest) {
        SourceStatus sourceStatus = new SourceStatus();
        sourceStatus.setDigest(digest);
        if (source instanceof ResolvedSource.FromConfigMaps fromConfigMaps) {
            MigrationSet scripts = fromConfigMaps.scripts();
            sourceStatus.setScripts(
                    scripts.versioned().size() + scripts.repeatable().size());
            sourceStatus.setLatest(
                    scripts.highestVersion().map(Version::toString).orElse(null));
        }
        status.setSource(sourceStatus);
    }

    static void health(DatabaseMigrationStatus status, DatabaseMigration resource, Health health, Instant now) {
        long generation = resource.getMetadata().getGeneration() == null
                ? 0
                : resource.getMetadata().getGeneration();
        status.setObservedGeneration(generation);
        status.setConditions(Conditions.of(health, generation, status.getConditions(), now));
    }
}
