package io.schemagate.db;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Optional;

/**
 * sqlx's conventions, as sqlx 0.9 resolves a migrations folder: a file whose name has an
 * underscore and ends in {@code .sql} is a migration, the part before the first underscore its
 * integer version, the rest (without {@code .up.sql}, {@code .down.sql} or {@code .sql}, underscores
 * made spaces) its description. Its checksum is the SHA-384 of the file's bytes; a script whose
 * first line starts with {@code -- no-transaction} runs outside a transaction.
 */
public final class SqlxScripts {

    public static final String DEFAULT_TABLE = "_sqlx_migrations";
    /** sqlx writes the name into its statements unquoted, so only names that need no quoting are taken. */
    public static final String TABLE_PATTERN = "^[a-z_][a-z0-9_]{0,62}$";

    public static final String NO_TRANSACTION = "-- no-transaction";

    private static final String UP = ".up.sql";
    private static final String DOWN = ".down.sql";
    private static final String SIMPLE = ".sql";

    private SqlxScripts() {}

    /**
     * @return the name of a forward migration; empty for a file sqlx ignores and for a down script
     * @throws IllegalArgumentException for a migration file whose version is not an integer, which
     *     sqlx refuses
     */
    static Optional<MigrationName> parse(String fileName) {
        int separator = fileName.indexOf('_');
        if (separator < 0 || !fileName.substring(separator + 1).endsWith(SIMPLE)) {
            return Optional.empty();
        }
        String prefix = fileName.substring(0, separator);
        long version = versionOf(fileName, prefix);
        String rest = fileName.substring(separator + 1);
        if (rest.endsWith(DOWN)) {
            return Optional.empty();
        }
        String suffix = rest.endsWith(UP) ? UP : SIMPLE;
        return Optional.of(new MigrationName(
                fileName,
                Version.parse(Long.toString(version)),
                trimTrailing(rest, suffix).replace('_', ' ')));
    }

    /** sqlx keeps versions as 64-bit integers. */
    private static long versionOf(String fileName, String prefix) {
        try {
            if (prefix.matches("[0-9]+")) {
                return Long.parseLong(prefix);
            }
        } catch (NumberFormatException tooLarge) {
            // Reported below, as any other version sqlx cannot read.
        }
        throw new IllegalArgumentException(fileName + ": not an sqlx migration name; expected"
                + " <version>_<description>.sql (or .up.sql / .down.sql) with an integer version such as"
                + " 20250101000001");
    }

    /** Whether sqlx runs the script outside a transaction. */
    public static boolean runsOutsideTransaction(String content) {
        return content.startsWith(NO_TRANSACTION);
    }

    /** The SHA-384 of the script's UTF-8 bytes, in lowercase hex, as sqlx records it. */
    static String checksum(String content) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-384").digest(content.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime provides SHA-384", e);
        }
    }

    /** Every trailing repetition, as Rust's trim_end_matches, so descriptions match sqlx's to the letter. */
    private static String trimTrailing(String text, String suffix) {
        String trimmed = text;
        while (trimmed.endsWith(suffix)) {
            trimmed = trimmed.substring(0, trimmed.length() - suffix.length());
        }
        return trimmed;
    }
}
