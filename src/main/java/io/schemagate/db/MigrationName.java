package io.schemagate.db;

import java.util.Locale;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * What Flyway reads from an SQL migration's file name: {@code V<version>__<description>.sql} for a
 * versioned migration, {@code R__<description>.sql} for a repeatable one.
 *
 * @param version null for a repeatable migration
 * @param description as Flyway records it (underscores become spaces)
 */
public record MigrationName(String script, @Nullable Version version, String description) {

    private static final String SUFFIX = ".sql";
    private static final String SEPARATOR = "__";

    public boolean isVersioned() {
        return version != null;
    }

    /** Whether Flyway would treat the file as an SQL script at all (other files are ignored). */
    public static boolean isSqlScript(String fileName) {
        return fileName.toLowerCase(Locale.ROOT).endsWith(SUFFIX);
    }

    /**
     * @return the parsed name, or empty when {@code fileName} is not an SQL script
     * @throws IllegalArgumentException for an SQL script whose name Flyway would reject
     */
    public static Optional<MigrationName> parse(String fileName) {
        if (!isSqlScript(fileName)) {
            return Optional.empty();
        }
        String stem = fileName.substring(0, fileName.length() - SUFFIX.length());
        int separator = stem.indexOf(SEPARATOR);
        if (separator < 0 || !(stem.startsWith("V") || stem.startsWith("R"))) {
            throw new IllegalArgumentException(fileName + ": not a Flyway migration name;"
                    + " expected V<version>__<description>.sql or R__<description>.sql");
        }
        String description = stem.substring(separator + SEPARATOR.length()).replace('_', ' ');
        String version = stem.substring(1, separator);
        if (stem.startsWith("R")) {
            if (!version.isEmpty()) {
                throw new IllegalArgumentException(
                        fileName + ": a repeatable migration has no version; expected R__<description>.sql");
            }
            return Optional.of(new MigrationName(fileName, null, description));
        }
        if (!Version.isValid(version) || Version.parse(version).isLatest()) {
            throw new IllegalArgumentException(fileName + ": '" + version + "' is not a version;"
                    + " expected V<version>__<description>.sql with a version such as 1, 1.2 or 2024_01_15");
        }
        return Optional.of(new MigrationName(fileName, Version.parse(version), description));
    }
}
