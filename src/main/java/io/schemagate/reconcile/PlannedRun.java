package io.schemagate.reconcile;

import io.schemagate.contract.Direction;
import io.schemagate.engine.RunSettings;
import io.schemagate.support.Digests;

/**
 * A run the planner decided to start: which scripts, with which settings, under which Job name, and
 * for which generation and retry request of the resource.
 *
 * @param from the revision the database was at when the run was planned, as status shows it; null when none
 * @param direction down reverts the migrations above the target (spec.downgrade)
 * @param adopt the version to record the history up to before migrating (spec.adopt, not carried out
 *     yet); null for none
 * @param approvedPlan the digest of the plan a person approved for it (spec.approval); null when none was asked
 * @param approver who approved it, as the admission webhook recorded them; null when none was asked or recorded
 */
public record PlannedRun(
        ResolvedSource source,
        RunSettings settings,
        String digest,
        int attempt,
        String databaseKey,
        String jobName,
        long generation,
        String retryRequest,
        String from,
        Direction direction,
        String adopt,
        String approvedPlan,
        Approver approver) {

    /** A run that migrates up and adopts nothing. */
    public PlannedRun(
            ResolvedSource source,
            RunSettings settings,
            String digest,
            int attempt,
            String databaseKey,
            String jobName,
            long generation,
            String retryRequest,
            String from) {
        this(
                source,
                settings,
                digest,
                attempt,
                databaseKey,
                jobName,
                generation,
                retryRequest,
                from,
                Direction.Up,
                null,
                null,
                null);
    }

    /**
     * What a person approves: the run's scripts and settings, where the database is, and which way and
     * from where the run goes. Not the attempt: retrying an approved plan needs no new approval.
     */
    public String planDigest() {
        return Digests.sha256(digest + "\n" + from + "\n" + direction + "\n" + adopt)
                .substring(0, PLAN_DIGEST_LENGTH);
    }

    /** The same run, approved under its plan's digest by this person (null when none was recorded). */
    PlannedRun approved(Approver by) {
        return new PlannedRun(
                source,
                settings,
                digest,
                attempt,
                databaseKey,
                jobName,
                generation,
                retryRequest,
                from,
                direction,
                adopt,
                planDigest(),
                by);
    }

    /** Long enough to be unique among a resource's plans, short enough to type in an annotation. */
    static final int PLAN_DIGEST_LENGTH = 16;

    /** The Secret that hands the tool of the alembic or command engine its connection; owned by the run's Job. */
    public String connectionSecret() {
        return ConnectionHandover.secretOf(jobName);
    }

    /** What the alembic or command engine's tool runs in this direction. */
    public RunSettings.Tool tool() {
        return direction == Direction.Down ? settings.downTool() : settings.tool();
    }
}
