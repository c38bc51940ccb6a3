package io.schemagate.reconcile;

import io.quarkus.logging.Log;
import io.schemagate.api.DatabaseMigration;
import io.schemagate.api.PolicySpec;
import io.schemagate.db.Migration;
import io.schemagate.db.Version;
import io.schemagate.engine.RunSettings;
import io.schemagate.policy.ChangeReview;
import io.schemagate.policy.PendingScript;
import io.schemagate.policy.PolicyAction;
import io.schemagate.policy.PostgresParser;
import io.schemagate.policy.RiskClass;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

/**
 * Reviews the scripts a run would apply (ConfigMap sources of the SQL engines) with PostgreSQL's own
 * parser, and judges each finding by spec.policy. The parser is loaded once; without it, a resource
 * whose policy refuses or requires approval gets no run rather than an unchecked one.
 */
final class ChangePolicy {
    private final ChangeReview review;
    private final String unavailable;

    ChangePolicy(Path parserLibrary) {
        ChangeReview loaded = null;
        String why = null;
        try {
            loaded = new ChangeReview(PostgresParser.load(parserLibrary));
        } catch (IllegalArgumentException e) {
            why = e.getMessage();
            Log.warnf(
                    "The change policy cannot parse scripts: %s; resources whose spec.policy refuses or requires"
                            + " approval start no run",
                    why);
        }
        this.review = loaded;
        this.unavailable = why;
    }

    PolicyReview review(DatabaseMigration resource, ResolvedSource source, RevisionView view, RunSettings settings) {
        if (!(source instanceof ResolvedSource.FromConfigMaps configMaps)
                || view.pending().isEmpty()
                || !settings.engine().reviewsScripts()) {
            return PolicyReview.NONE;
        }
        PolicySpec policy = resource.getSpec().getPolicy() == null
                ? new PolicySpec()
                : resource.getSpec().getPolicy();
        if (review == null) {
            boolean enforcing = Arrays.stream(RiskClass.values())
                    .map(policy::actionFor)
                    .anyMatch(action -> action == PolicyAction.Refuse || action == PolicyAction.RequireApproval);
            return enforcing ? new PolicyReview(List.of(), unavailable) : PolicyReview.NONE;
        }
        Set<Version> pending = Set.copyOf(view.pending());
        List<PendingScript> scripts = configMaps.scripts().versioned().stream()
                .filter(migration -> pending.contains(migration.version()))
                .map(Migration::script)
                .map(name -> new PendingScript(
                        name, settings.engine().asRun(configMaps.contents().getOrDefault(name, ""), settings)))
                .toList();
        return new PolicyReview(
                review.review(scripts).stream()
                        .map(finding -> new PolicyReview.Judged(
                                finding,
                                finding.allowedByScript() ? PolicyAction.Allow : policy.actionFor(finding.riskClass())))
                        .filter(judged -> judged.finding().allowedByScript() || judged.action() != PolicyAction.Allow)
                        .toList(),
                null);
    }
}
