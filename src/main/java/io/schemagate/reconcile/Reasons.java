package io.schemagate.reconcile;

import io.schemagate.contract.ErrorKind;

/**
 * Condition and event reasons set by the operator, each defined once. A failed run reports the
 * runner's own error kind ({@link ErrorKind}) as its reason: where the operator finds the same cause
 * itself (an unreachable database, an invalid index), its reason is that kind's name. All are listed
 * in docs/reference.md.
 */
public final class Reasons {
    public static final String CURRENT = "Current";
    public static final String SUSPENDED = "Suspended";
    public static final String MIGRATION_RUNNING = "MigrationRunning";
    public static final String RETRY_SCHEDULED = "RetryScheduled";
    public static final String WAITING_FOR_OTHER_MIGRATION = "WaitingForOtherMigration";
    public static final String SECRET_NOT_FOUND = "SecretNotFound";
    public static final String SOURCE_NOT_FOUND = "SourceNotFound";
    public static final String INVALID_MIGRATIONS = "InvalidMigrations";
    public static final String INVALID_SPEC = "InvalidSpec";
    /** The database URL (spec.database.url, or read from a Secret) is in no form SchemaGate can use. */
    public static final String INVALID_DATABASE_URL = "InvalidDatabaseUrl";

    public static final String DATABASE_UNREACHABLE = ErrorKind.DatabaseUnreachable.name();
    public static final String AUTHENTICATION_FAILED = ErrorKind.AuthenticationFailed.name();
    public static final String TARGET_BEHIND_DATABASE = ErrorKind.TargetBehindDatabase.name();
    public static final String CHECKSUM_MISMATCH = ErrorKind.ChecksumMismatch.name();
    public static final String MISSING_MIGRATION = ErrorKind.MissingMigration.name();
    public static final String FAILED_MIGRATION_IN_HISTORY = "FailedMigrationInHistory";
    /** The history table lacks the engine's columns: another tool's table, or the wrong engine. */
    public static final String UNEXPECTED_HISTORY_TABLE = "UnexpectedHistoryTable";

    public static final String RUN_FAILED = "RunFailed";
    /** The command engine's tool exited with an error; its output is the run's logTail. */
    public static final String COMMAND_FAILED = "CommandFailed";
    /** The command engine's tool could not be started: its image lacks the command. */
    public static final String TOOL_NOT_FOUND = "ToolNotFound";
    /** The scripts could not be copied out of the source's image: it lacks cp, or the path. */
    public static final String SOURCE_COPY_FAILED = "SourceCopyFailed";
    /** Kubernetes stopped the run at the Job's activeDeadlineSeconds. */
    public static final String DEADLINE_EXCEEDED = "DeadlineExceeded";
    /** The Job completed but its runner left no result: not counted as a success. */
    public static final String RESULT_MISSING = "ResultMissing";
    /** The same transient failure happened retry.max-attempts times in a row. */
    public static final String RETRIES_EXHAUSTED = "RetriesExhausted";
    /** What to do about RetriesExhausted. */
    static final String HOW_TO_RETRY =
            "fix the cause, then change the spec or annotate " + Labels.RETRY + "=<a new value> to try again";
    /** The API server refused the Job (a ResourceQuota, an admission policy). */
    public static final String JOB_REJECTED = "JobRejected";
    /** The API server refused the run's connection Secret (a quota on Secrets); its Job waits, suspended. */
    public static final String CONNECTION_HANDOVER_FAILED = "ConnectionHandoverFailed";
    /** The reconcile itself failed unexpectedly; the message names the error. */
    public static final String RECONCILE_ERROR = "ReconcileError";
    /** Also what the runner reports when it finds one first. */
    public static final String INVALID_INDEX = ErrorKind.InvalidIndex.name();
    /** A check of spec.verify returned something else than one row whose first column is true. */
    public static final String VERIFY_FAILED = "VerifyFailed";
    /** A check of spec.verify failed to run: its query's error, with the SQLSTATE. */
    public static final String VERIFY_ERROR = "VerifyError";

    /** The change policy refuses a statement of a pending script (spec.policy), or could not review them. */
    public static final String POLICY_VIOLATION = "PolicyViolation";
    /** A run is planned and waits for the annotation schemagate.io/approve with its plan's digest. */
    public static final String AWAITING_APPROVAL = "AwaitingApproval";
    /** The scripts failed on the rehearsal's scratch copy, or the copy could not be made; the database is untouched. */
    public static final String REHEARSAL_FAILED = ErrorKind.RehearsalFailed.name();
    /** The dump before a run failed, or its volume is missing or read-only; nothing was migrated. */
    public static final String BACKUP_FAILED = ErrorKind.BackupFailed.name();
    /** A downgrade's target is not an applied revision, or a migration to revert has no down path. */
    public static final String DOWNGRADE_NOT_POSSIBLE = ErrorKind.DowngradeNotPossible.name();
    /** spec.adopt on a history that has rows already, or for a version no script has. */
    public static final String ADOPT_REFUSED = ErrorKind.AdoptRefused.name();

    /** A run failed; also the event on the workload whose new pods it keeps waiting. */
    public static final String MIGRATION_FAILED = ErrorKind.MigrationFailed.name();

    // Reasons of events only: what happened, where the conditions say where things stand.
    public static final String MIGRATION_STARTED = "MigrationStarted";
    /** A run of an approved plan started: which plan, and who approved it. */
    public static final String PLAN_APPROVED = "PlanApproved";

    public static final String MIGRATION_SUCCEEDED = "MigrationSucceeded";
    public static final String PODS_HELD = "PodsHeld";
    public static final String PODS_RELEASED = "PodsReleased";
    public static final String POLICY_FINDINGS = "PolicyFindings";

    private Reasons() {}
}
