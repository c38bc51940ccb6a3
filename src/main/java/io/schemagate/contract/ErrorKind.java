package io.schemagate.contract;

import com.fasterxml.jackson.annotation.JsonCreator;
import java.util.Arrays;

/**
 * Why a migration run failed, and so whether running it again can help. The process exit code says
 * the same to whoever only sees that: 1 for a deterministic failure (running again changes nothing
 * until the migrations or the configuration change), 2 for a transient one (retry with backoff).
 */
public enum ErrorKind {
    /** A script failed to execute (or a failed run is recorded in the history). */
    MigrationFailed(false),
    /** An applied migration differs from its script (content, description or type): it was edited. */
    ChecksumMismatch(false),
    /** An applied migration is no longer among the scripts. */
    MissingMigration(false),
    /** The requested target is below the schema's current version; nothing was changed. */
    TargetBehindDatabase(false),
    /**
     * A statement waited longer than the lock timeout for a lock that application transactions held.
     * Nothing of the failed script stays applied; later, with less traffic, the run can succeed.
     */
    LockTimeout(true),
    /** A statement ran longer than the statement timeout (or an administrator canceled it). */
    StatementTimeout(true),
    /**
     * An index of the managed schemas is invalid, left by an interrupted concurrent build: the script
     * that creates it would fail on it. Someone must drop or rebuild it; nothing was changed.
     */
    InvalidIndex(false),
    /** The database could not be reached; it may be starting, moving or not yet created. */
    DatabaseUnreachable(true),
    /**
     * The database refused the credentials. Transient: users and Secrets are often provisioned
     * asynchronously (or rotated), so retrying with backoff resolves it without a spec change.
     */
    AuthenticationFailed(true),
    /**
     * The runner's settings or the scripts are unusable as they are: a bad value, a bad file name, a
     * duplicate version, an unparsable script, a missing placeholder, a script added below the current
     * version without out-of-order, a non-empty schema without baseline.
     */
    InvalidConfiguration(false),
    /**
     * The dump before the run (spec.backup) could not be taken: the volume is not writable, no pg_dump
     * of the server's version is in the image, or pg_dump failed. Nothing was migrated.
     */
    BackupFailed(false),
    /**
     * The scripts failed on a schema-only copy of the database (spec.rehearsal), or the copy could not
     * be made. The real database was not touched.
     */
    RehearsalFailed(false),
    /**
     * A downgrade cannot be done as asked: the target is not an applied version, or a migration to
     * revert has no down script. Nothing was changed.
     */
    DowngradeNotPossible(false),
    /**
     * spec.adopt cannot be honoured: the history table already has rows, or the version is not among
     * the scripts. Nothing was recorded.
     */
    AdoptRefused(false),
    /** Anything not understood; retried, as giving up on an unknown cause could stall a rollout forever. */
    Unknown(true);

    /** A kind a newer runner reports that this operator does not know is read as {@link #Unknown}. */
    @JsonCreator
    static ErrorKind fromName(String name) {
        return Arrays.stream(values())
                .filter(kind -> kind.name().equals(name))
                .findFirst()
                .orElse(Unknown);
    }

    public static final int SUCCESS_EXIT_CODE = 0;
    public static final int DETERMINISTIC_EXIT_CODE = 1;
    public static final int TRANSIENT_EXIT_CODE = 2;

    private final boolean transientFailure;

    ErrorKind(boolean transientFailure) {
        this.transientFailure = transientFailure;
    }

    public boolean isTransient() {
        return transientFailure;
    }

    public int exitCode() {
        return transientFailure ? TRANSIENT_EXIT_CODE : DETERMINISTIC_EXIT_CODE;
    }
}
