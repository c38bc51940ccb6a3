package io.schemagate.contract;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.schemagate.db.NamedRevision;
import io.schemagate.db.Redactor;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The outcome of one migrate run, as the operator reads it from the container's termination message.
 *
 * @param from the schema version before the run, null when no versioned migration was applied yet
 * @param to the schema version after the run (after a failure: what the run left), null likewise
 * @param latest the highest version among the scripts the run found, null when unknown or none; for an
 *     image source this is what pods of that image need
 * @param applied how many migrations this run applied
 * @param reached for revisions that are ids (Alembic): those at or below the heads the run left, newest
 *     first, as many as {@link NamedRevision#MAX_REACHED_BYTES} hold; null for the other engines
 * @param backup the dump taken before the run (spec.backup), null when none was asked for
 * @param direction {@link Direction#Down} for a run that reverted migrations; null for one that applied them
 * @param adopted the version recorded without running a script (spec.adopt), null when the run adopted nothing
 */
// An operator reads the results of runners one version older or newer during an upgrade: fields it
// does not know are skipped, an unknown error kind reads as Unknown and an unknown outcome as Failed.
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonPropertyOrder({
    "outcome",
    "errorKind",
    "from",
    "to",
    "latest",
    "applied",
    "failedMigration",
    "sqlState",
    "message",
    "durationMillis",
    "reached",
    "backup",
    "direction",
    "adopted"
})
public record MigrationResult(
        Outcome outcome,
        @Nullable ErrorKind errorKind,
        @Nullable String from,
        @Nullable String to,
        @Nullable String latest,
        int applied,
        @Nullable String failedMigration,
        @Nullable String sqlState,
        @Nullable String message,
        long durationMillis,
        @JsonInclude(JsonInclude.Include.NON_NULL) @Nullable List<String> reached,
        @JsonInclude(JsonInclude.Include.NON_NULL) @Nullable BackupRecord backup,
        @JsonInclude(JsonInclude.Include.NON_NULL) @Nullable Direction direction,
        @JsonInclude(JsonInclude.Include.NON_NULL) @Nullable String adopted) {

    /** Kubernetes keeps at most 4096 bytes of a termination message; stay clearly below. */
    public static final int MAX_JSON_BYTES = 4000;

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ELLIPSIS = "...";

    public MigrationResult {
        Objects.requireNonNull(outcome, "outcome");
        reached = reached == null ? null : List.copyOf(reached);
    }

    public static MigrationResult succeeded(
            @Nullable String from, @Nullable String to, @Nullable String latest, int applied) {
        return new MigrationResult(
                Outcome.Succeeded,
                null,
                from,
                to,
                latest,
                applied,
                null,
                null,
                summary(from, to, applied),
                0,
                null,
                null,
                null,
                null);
    }

    public static MigrationResult failed(Failure failure, @Nullable String from, @Nullable String to, int applied) {
        return new MigrationResult(
                Outcome.Failed,
                failure.kind(),
                from,
                to,
                null,
                applied,
                failure.failedMigration(),
                failure.sqlState(),
                failure.message(),
                0,
                null,
                null,
                null,
                null);
    }

    private static String summary(@Nullable String from, @Nullable String to, int count) {
        if (count == 0) {
            return "The schema is up to date at version " + orEmpty(to) + "; nothing to apply";
        }
        return "Applied " + count + " migration" + (count == 1 ? "" : "s") + "; the schema went from version "
                + orEmpty(from) + " to " + orEmpty(to);
    }

    private static String orEmpty(@Nullable String version) {
        return version == null ? "(empty)" : version;
    }

    public MigrationResult withDurationMillis(long millis) {
        return new MigrationResult(
                outcome,
                errorKind,
                from,
                to,
                latest,
                applied,
                failedMigration,
                sqlState,
                message,
                millis,
                reached,
                backup,
                direction,
                adopted);
    }

    /** The same result with the dump taken before the run. */
    public MigrationResult withBackup(BackupRecord dump) {
        return new MigrationResult(
                outcome,
                errorKind,
                from,
                to,
                latest,
                applied,
                failedMigration,
                sqlState,
                message,
                durationMillis,
                reached,
                dump,
                direction,
                adopted);
    }

    /** The same result, of a run that reverted its migrations instead of applying them. */
    public MigrationResult reverted() {
        String said = outcome == Outcome.Succeeded
                ? "Reverted " + applied + " migration" + (applied == 1 ? "" : "s")
                        + "; the schema went down from version " + orEmpty(from) + " to " + orEmpty(to)
                : message;
        return new MigrationResult(
                outcome,
                errorKind,
                from,
                to,
                latest,
                applied,
                failedMigration,
                sqlState,
                said,
                durationMillis,
                reached,
                backup,
                Direction.Down,
                adopted);
    }

    /** The same result, of a run that first recorded the history up to this version without running it. */
    public MigrationResult withAdopted(String version) {
        return new MigrationResult(
                outcome,
                errorKind,
                from,
                to,
                latest,
                applied,
                failedMigration,
                sqlState,
                message,
                durationMillis,
                reached,
                backup,
                direction,
                version);
    }

    /**
     * The same result with the revisions it reached, newest first, as many as status keeps: the rest
     * of the termination message is left to the other fields and a message.
     */
    public MigrationResult withReached(List<String> revisions) {
        return new MigrationResult(
                outcome,
                errorKind,
                from,
                to,
                latest,
                applied,
                failedMigration,
                sqlState,
                message,
                durationMillis,
                NamedRevision.newest(revisions),
                backup,
                direction,
                adopted);
    }

    /** The same result with credentials masked in its free-text fields. */
    public MigrationResult redacted(Redactor redactor) {
        return new MigrationResult(
                outcome,
                errorKind,
                from,
                to,
                latest,
                applied,
                redactor.redact(failedMigration),
                sqlState,
                redactor.redact(message),
                durationMillis,
                reached,
                backup,
                direction,
                adopted);
    }

    public int exitCode() {
        if (outcome == Outcome.Succeeded) {
            return ErrorKind.SUCCESS_EXIT_CODE;
        }
        return (errorKind == null ? ErrorKind.Unknown : errorKind).exitCode();
    }

    /** One line of JSON of at most {@link #MAX_JSON_BYTES} bytes; a long message is cut to fit. */
    public String toJson() {
        String json = write();
        String full = message;
        if (byteLength(json) <= MAX_JSON_BYTES || full == null) {
            return json;
        }
        // The longest prefix of the message that fits, found by bisection: escaping and multi-byte
        // characters make the JSON size of a prefix hard to predict otherwise.
        int fits = 0;
        int tooLong = full.length();
        while (tooLong - fits > 1) {
            int middle = (fits + tooLong) >>> 1;
            if (byteLength(withMessage(prefix(full, middle)).write()) <= MAX_JSON_BYTES) {
                fits = middle;
            } else {
                tooLong = middle;
            }
        }
        return withMessage(prefix(full, fits)).write();
    }

    private static String prefix(String message, int length) {
        int end = length > 0 && Character.isHighSurrogate(message.charAt(length - 1)) ? length - 1 : length;
        return message.substring(0, end) + ELLIPSIS;
    }

    private MigrationResult withMessage(String newMessage) {
        return new MigrationResult(
                outcome,
                errorKind,
                from,
                to,
                latest,
                applied,
                failedMigration,
                sqlState,
                newMessage,
                durationMillis,
                reached,
                backup,
                direction,
                adopted);
    }

    private String write() {
        try {
            return JSON.writeValueAsString(this);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a result of strings and numbers always serializes", e);
        }
    }

    private static int byteLength(String text) {
        return text.getBytes(StandardCharsets.UTF_8).length;
    }
}
