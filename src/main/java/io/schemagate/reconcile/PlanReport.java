package io.schemagate.reconcile;

import io.schemagate.api.PlanStatus;
import io.schemagate.db.Migration;
import io.schemagate.db.Version;
import java.util.List;
import java.util.Set;

/** What status.plan shows of a run that waits for approval: what would run, from where to where. */
final class PlanReport {
    private PlanReport() {}

    static PlanStatus of(PlannedRun run, RevisionView view) {
        PlanStatus plan = new PlanStatus();
        plan.setDigest(run.planDigest());
        plan.setFrom(run.from());
        plan.setDirection(run.direction().name());
        plan.setAdopt(run.adopt());
        if (run.source() instanceof ResolvedSource.FromImage image) {
            plan.setImage(image.image().getRef());
        }
        view.scripts().ifPresent(scripts -> {
            Set<Version> pending = Set.copyOf(view.pending());
            List<Migration> planned = scripts.versioned().stream()
                    .filter(migration -> pending.contains(migration.version()))
                    .toList();
            plan.setScripts(planned.stream()
                    .map(migration -> new PlanStatus.PlannedScript(
                            migration.script(), migration.version().toString(), migration.checksum()))
                    .toList());
            plan.setTo(view.resolvedTarget().map(Version::toString).orElse(null));
        });
        return plan;
    }
}
