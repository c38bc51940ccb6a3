package io.schemagate.reconcile;

import io.schemagate.api.Approvals;
import io.schemagate.api.RunStatus;
import io.schemagate.config.SchemaGateConfig;
import io.schemagate.contract.Direction;
import io.schemagate.contract.Outcome;
import io.schemagate.db.CheckResult;
import io.schemagate.db.HistoryFormat;
import io.schemagate.db.InvalidIndexes;
import io.schemagate.db.Migration;
import io.schemagate.db.SchemaRevision;
import io.schemagate.db.Version;
import io.schemagate.engine.RunSettings;
import io.schemagate.policy.PolicyAction;
import io.schemagate.support.Timestamps;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Decides, from what was observed, whether a resource needs a run. Pure: the same observation always
 * gives the same plan, which keeps the rules in one place and testable without a cluster.
 */
public final class RunPlanner {
    /**
     * Said of an approval the webhook never saw: with its check on, it cannot tell who gave it. The
     * same value written again is no change, which the webhook keeps as it was; removed and written
     * again, it is a new approval.
     */
    static final String UNRECORDED = "; the annotation holds this digest, but SchemaGate's admission webhook did not "
            + "record who wrote it (was the webhook for databasemigrations registered then?): remove the annotation "
            + "(kubectl annotate ... " + Approvals.APPROVE + "-) and write it again";

    private final SchemaGateConfig.Retry retry;

    public RunPlanner(SchemaGateConfig.Retry retry) {
        this.retry = retry;
    }

    public Plan plan(Observation observed) {
        Optional<JobState> active =
                observed.jobs().stream().filter(JobState::isActive).findFirst();
        if (active.isPresent()) {
            return new Plan.Running(
                    active.get(),
                    Health.progressing(
                            Reasons.MIGRATION_RUNNING, "Job " + active.get().name() + " is applying migrations"));
        }
        RevisionView view = observed.view();
        Optional<Plan> refusal = refusal(view, observed.settings()).or(() -> adoptRefusal(observed));
        if (refusal.isPresent()) {
            return refusal.get();
        }
        Direction direction = downgrade(observed) ? Direction.Down : Direction.Up;
        if (direction == Direction.Up
                && !runNeeded(
                        observed.source(), view, observed.settings().format(), observed.digest(), observed.history())) {
            // Checked once the schema is where the source wants it: before, a check may well fail.
            Optional<CheckResult> failed = view.revision().failedCheck();
            if (failed.isPresent()) {
                return new Plan.Blocked(Health.stalled(
                        failed.get().failedToRun() ? Reasons.VERIFY_ERROR : Reasons.VERIFY_FAILED,
                        describe(failed.get(), view, observed.settings().format())));
            }
            return new Plan.UpToDate(
                    Health.current(describeCurrent(view, observed.settings().format())));
        }
        if (!view.invalidIndexes().isEmpty()) {
            return new Plan.Blocked(Health.stalled(
                    Reasons.INVALID_INDEX,
                    InvalidIndexes.describe(view.invalidIndexes()) + "; no run starts until then"));
        }
        if (observed.suspended()) {
            return new Plan.Suspended(
                    Health.suspended(describeNeed(observed.source(), view) + "; suspended, no run is started"));
        }
        Optional<RunStatus> lastForDigest = observed.history().stream()
                .filter(run -> observed.digest().equals(run.getDigest()))
                .findFirst();
        if (lastForDigest.isPresent() && lastForDigest.get().getOutcome() == Outcome.Failed) {
            Optional<Plan> afterFailure = afterFailure(lastForDigest.get(), observed);
            if (afterFailure.isPresent()) {
                return afterFailure.get();
            }
        }
        int attempt = nextAttempt(observed.digest(), observed.jobs(), observed.history());
        PlannedRun run = new PlannedRun(
                observed.source(),
                observed.settings(),
                observed.digest(),
                attempt,
                observed.databaseKey(),
                JobNames.of(observed.resourceName(), observed.digest(), attempt),
                observed.generation(),
                observed.retryRequest(),
                view.currentLabel().orElse(null),
                direction,
                observed.adopted() ? null : observed.settings().adopt(),
                null,
                null);
        String need = direction == Direction.Down ? describeDowngrade(observed) : describeNeed(observed.source(), view);
        Optional<Plan> refusedByPolicy = policyRefusal(observed.policy());
        if (refusedByPolicy.isPresent()) {
            return refusedByPolicy.get();
        }
        // A finding that requires approval makes this plan one to approve, whatever spec.approval says.
        Approval approval =
                observed.policy().requiresApproval() ? observed.approval().demanded() : observed.approval();
        // Asked before waiting for another resource's run: the approval can be given meanwhile.
        if (!approval.allows(run.planDigest())) {
            String findings = observed.policy().requiresApproval()
                    ? " (the change policy asks for it: "
                            + observed.policy().withAction(PolicyAction.RequireApproval).stream()
                                    .map(PolicyReview::describe)
                                    .collect(Collectors.joining("; "))
                            + ")"
                    : "";
            return new Plan.AwaitingApproval(
                    run,
                    Health.progressing(
                            Reasons.AWAITING_APPROVAL,
                            need + findings
                                    + " waits for approval of plan " + run.planDigest()
                                    + " (status.plan): kubectl annotate dbm/"
                                    + observed.resourceName() + " --overwrite " + Approvals.APPROVE + "="
                                    + run.planDigest()
                                    + (approval.unrecorded(run.planDigest()) ? UNRECORDED : "")));
        }
        if (observed.otherRunOnDatabase().isPresent()) {
            return new Plan.Wait(
                    Health.progressing(
                            Reasons.WAITING_FOR_OTHER_MIGRATION,
                            otherRun(observed.otherRunOnDatabase().get())),
                    retry.initialBackoff());
        }
        PlannedRun started = approval.required() ? run.approved(approval.approver()) : run;
        return new Plan.Start(
                started, Health.progressing(Reasons.MIGRATION_RUNNING, "Job " + run.jobName() + " started: " + need));
    }

    /**
     * Whether the target asks to migrate down, and may: only an explicit target below the database's
     * revision does, with spec.downgrade.allowed ('latest' never does, so a Deployment's rollback to an
     * older image never reverts anything). For revisions that are ids, below means among those status
     * shows as reached but not a head.
     */
    private static boolean downgrade(Observation observed) {
        RunSettings settings = observed.settings();
        if (!settings.downgradeAllowed()) {
            return false;
        }
        if (settings.format().dialect().hasOrderedVersions()) {
            return observed.view().targetBehindDatabase();
        }
        SchemaRevision revision = observed.view().revision();
        return observed.reached().contains(settings.target())
                && revision.named() != null
                && !revision.named().heads().contains(settings.target());
    }

    /** A finding spec.policy refuses stops the run before it starts; so does a policy that could not look. */
    private static Optional<Plan> policyRefusal(PolicyReview policy) {
        if (policy.unavailableReason().isPresent()) {
            return blocked(
                    Reasons.POLICY_VIOLATION,
                    "the change policy cannot review the pending scripts ("
                            + policy.unavailableReason().get()
                            + ") and spec.policy refuses or requires approval for some"
                            + " statements: no run starts unchecked");
        }
        List<PolicyReview.Judged> refused = policy.withAction(PolicyAction.Refuse);
        if (refused.isEmpty()) {
            return Optional.empty();
        }
        return blocked(
                Reasons.POLICY_VIOLATION,
                "the change policy refuses "
                        + refused.stream().map(PolicyReview::describe).collect(Collectors.joining("; "))
                        + "; change the script, accept the"
                        + " statement in it with -- schemagate:allow "
                        + refused.get(0).finding().rule()
                        + ", or change spec.policy." + refused.get(0).finding().riskClass() + "; nothing was run");
    }

    /** spec.adopt takes over a database whose history is empty, once, at a version the scripts have. */
    private static Optional<Plan> adoptRefusal(Observation observed) {
        String adopt = observed.settings().adopt();
        if (adopt == null || observed.adopted()) {
            return Optional.empty();
        }
        RevisionView view = observed.view();
        if (view.currentLabel().isPresent()) {
            return blocked(
                    Reasons.ADOPT_REFUSED,
                    "spec.adopt: " + observed.settings().historyTable()
                            + " already records revision " + view.currentLabel().get()
                            + "; adopt records a history only"
                            + " where there is none: remove spec.adopt; nothing was recorded");
        }
        boolean inSource = view.scripts()
                .map(set -> set.versioned().stream()
                        .anyMatch(migration -> migration
                                .version()
                                .toString()
                                .equals(Version.parse(adopt).toString())))
                .orElse(true);
        if (!inSource) {
            return blocked(
                    Reasons.ADOPT_REFUSED,
                    "spec.adopt.version " + adopt + " is not the version of any"
                            + " script in the source; nothing was recorded");
        }
        return Optional.empty();
    }

    private static String describeDowngrade(Observation observed) {
        String target = observed.settings().target();
        String from = observed.view().currentLabel().orElse("(empty)");
        return "migrating down from " + from + " to " + target + " (spec.downgrade)";
    }

    /**
     * What follows a failed run of the same digest: a deterministic failure stalls, a transient one is
     * retried after a backoff until it failed {@code maxAttempts} times in a row. A new value of the
     * retry annotation tries either again at once; a spec change restarts the count of transient ones.
     * Empty: run now.
     */
    private Optional<Plan> afterFailure(RunStatus failed, Observation observed) {
        boolean retryRequested = !Objects.equals(failed.getRetryRequest(), observed.retryRequest());
        if (retryRequested) {
            return Optional.empty();
        }
        boolean sameSpec = failed.getGeneration() == null || failed.getGeneration() == observed.generation();
        if (RunRecords.nothingRan(failed) && !sameSpec) {
            return Optional.empty();
        }
        if (!RunRecords.isRetryable(failed)) {
            return Optional.of(new Plan.Blocked(Health.stalled(
                    failed.getReason(),
                    RunRecords.describeFailure(failed) + "; fix the scripts or the spec to run again")));
        }
        int inARow = Optional.ofNullable(failed.getConsecutiveFailures()).orElse(1);
        if (sameSpec && inARow >= retry.maxAttempts()) {
            return Optional.of(new Plan.Blocked(Health.stalled(
                    Reasons.RETRIES_EXHAUSTED,
                    "the run failed " + inARow + " times in a row, last " + RunRecords.describeFailure(failed) + "; "
                            + Reasons.HOW_TO_RETRY)));
        }
        Duration backoff = backoff(failed.getAttempt() == null ? 1 : failed.getAttempt());
        Instant now = observed.now();
        Instant retryAt = endOf(failed).plus(backoff);
        if (now.isBefore(retryAt)) {
            return Optional.of(new Plan.Wait(
                    Health.progressing(
                            Reasons.RETRY_SCHEDULED,
                            RunRecords.describeFailure(failed) + "; retrying at " + Timestamps.format(retryAt)),
                    Duration.between(now, retryAt)));
        }
        return Optional.empty();
    }

    /**
     * When a failed run ended; for a record without an end (older operators wrote them for a Job
     * deleted while it ran) its start. Never "now": a retry counted from now would never be due.
     */
    private static Instant endOf(RunStatus failed) {
        return Optional.ofNullable(Timestamps.parse(failed.getFinishedAt()))
                .or(() -> Optional.ofNullable(Timestamps.parse(failed.getStartedAt())))
                .orElse(Instant.EPOCH);
    }

    /** What a resource waits for while another one's Job migrates its history table. */
    static String otherRun(String job) {
        return "Job " + job + " of another resource is migrating the same schema history table";
    }

    Duration backoff(int failedAttempts) {
        return RetryBackoffs.delay(retry, failedAttempts);
    }

    private static Optional<Plan> refusal(RevisionView view, RunSettings settings) {
        if (!view.failed().isEmpty()) {
            return blocked(
                    Reasons.FAILED_MIGRATION_IN_HISTORY,
                    "the history table records a failed migration ("
                            + view.failed().get(0).label() + "); "
                            + settings.format().dialect().repairAdvice(settings.historyTable()));
        }
        if (view.targetBehindDatabase() && !settings.downgradeAllowed()) {
            return blocked(
                    Reasons.TARGET_BEHIND_DATABASE,
                    "the target " + view.target()
                            + " is below the database's current version "
                            + view.current().orElseThrow()
                            + "; nothing was changed (set spec.downgrade.allowed: true to migrate down)");
        }
        // A history of one row (golang-migrate's) keeps only the current version: whether the target was
        // applied is the tool's to say.
        if (view.targetBehindDatabase()
                && settings.format().dialect().keepsRowPerMigration()
                && !view.revision().appliedVersions().contains(view.target())) {
            return blocked(
                    Reasons.DOWNGRADE_NOT_POSSIBLE,
                    "the downgrade target " + view.target()
                            + " is not an applied version (applied: "
                            + RevisionView.join(view.revision().appliedVersions().stream()
                                    .sorted()
                                    .toList()) + "); nothing was changed");
        }
        if (!view.edited().isEmpty()) {
            return blocked(
                    Reasons.CHECKSUM_MISMATCH,
                    "applied migrations were edited afterwards: "
                            + view.edited().stream().map(Migration::script).collect(Collectors.joining(", "))
                            + "; restore their applied content or add a new migration instead");
        }
        if (!view.missing().isEmpty()) {
            return blocked(
                    Reasons.MISSING_MIGRATION,
                    "applied versions are missing from the source: " + RevisionView.join(view.missing())
                            + "; add them back to the source");
        }
        return Optional.empty();
    }

    private static boolean runNeeded(
            ResolvedSource source, RevisionView view, HistoryFormat format, String digest, List<RunStatus> history) {
        if (source instanceof ResolvedSource.FromConfigMaps) {
            return !view.pending().isEmpty();
        }
        // An image's scripts are only seen by a run: run once per image and settings, and again if the
        // database lost what that run applied (a restore from an older backup).
        Optional<RunStatus> succeeded = history.stream()
                .filter(run -> digest.equals(run.getDigest()) && run.getOutcome() == Outcome.Succeeded)
                .findFirst();
        if (succeeded.isEmpty()) {
            return true;
        }
        String left = succeeded.get().getTo();
        if (left == null) {
            return false;
        }
        if (!format.dialect().hasOrderedVersions()) {
            // Revisions that are ids have no order the database alone can tell: a history that moved
            // at all since the run is run again, which the tool does nothing for when it is current.
            return !view.currentLabel().equals(Optional.of(left));
        }
        return view.current()
                .map(current -> current.compareTo(Version.parse(left)) < 0)
                .orElse(true);
    }

    private static int nextAttempt(String digest, List<JobState> jobs, List<RunStatus> history) {
        int fromJobs = jobs.stream()
                .filter(job -> job.isFor(digest))
                .mapToInt(JobState::attempt)
                .max()
                .orElse(0);
        int fromHistory = history.stream()
                .filter(run -> digest.equals(run.getDigest()) && run.getAttempt() != null)
                .mapToInt(RunStatus::getAttempt)
                .max()
                .orElse(0);
        return Math.max(fromJobs, fromHistory) + 1;
    }

    private static String describe(CheckResult check, RevisionView view, HistoryFormat format) {
        String at = current(view, format).map(current -> " at " + current).orElse("");
        if (check.failedToRun()) {
            return "verify check " + check.name() + " failed to run on the schema" + at + " (SQLSTATE "
                    + check.sqlState() + "): " + check.returned() + "; fix the check's query in spec.verify";
        }
        return "verify check " + check.name() + " returned " + check.returned() + " on the schema" + at
                + ", not one row whose first column is true; pods needing more than the revision last verified"
                + " stay held until it passes";
    }

    private static String describeCurrent(RevisionView view, HistoryFormat format) {
        return current(view, format).map(current -> "schema at " + current).orElse("schema has no migrations yet");
    }

    /** In the history's own terms: Alembic's heads and Liquibase's changesets are revisions, not versions. */
    private static Optional<String> current(RevisionView view, HistoryFormat format) {
        String word = format.dialect().hasOrderedVersions() ? "version " : "revision ";
        return view.currentLabel().map(current -> word + current);
    }

    private static String describeNeed(ResolvedSource source, RevisionView view) {
        if (source instanceof ResolvedSource.FromImage image) {
            return "applying the migrations of image " + image.image().getRef();
        }
        List<Version> pending = view.pending();
        return pending.size() + " pending migration" + (pending.size() == 1 ? "" : "s") + " ("
                + RevisionView.join(pending) + ")";
    }

    private static Optional<Plan> blocked(String reason, String message) {
        return Optional.of(new Plan.Blocked(Health.stalled(reason, message)));
    }
}
