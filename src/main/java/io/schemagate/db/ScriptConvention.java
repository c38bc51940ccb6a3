package io.schemagate.db;

import com.google.errorprone.annotations.Immutable;
import java.util.Optional;

/** How a tool names its scripts and what checksum it records for one. */
@Immutable
public interface ScriptConvention {

    /** Flyway's: {@code V<version>__<description>.sql} and {@code R__<description>.sql}, CRC32 checksums. */
    ScriptConvention FLYWAY = new ScriptConvention() {
        @Override
        public Optional<MigrationName> scriptName(String fileName) {
            return MigrationName.parse(fileName);
        }

        @Override
        public String checksum(String content) {
            return Integer.toString(FlywayChecksum.of(content));
        }
    };

    /** sqlx's: {@code <version>_<description>.sql} or reversible pairs, SHA-384 checksums ({@link SqlxScripts}). */
    ScriptConvention SQLX = new ScriptConvention() {
        @Override
        public Optional<MigrationName> scriptName(String fileName) {
            return SqlxScripts.parse(fileName);
        }

        @Override
        public String checksum(String content) {
            return SqlxScripts.checksum(content);
        }
    };

    /** A tool that reads its own scripts: SchemaGate reads none of them. */
    ScriptConvention TOOLS_OWN = new ScriptConvention() {
        @Override
        public Optional<MigrationName> scriptName(String fileName) {
            return Optional.empty();
        }

        @Override
        public String checksum(String content) {
            throw new UnsupportedOperationException("a tool that checks its own scripts");
        }
    };

    /**
     * What the tool reads from a file name: empty for a file it ignores (or, for sqlx, a down script,
     * which no forward run applies).
     *
     * @throws IllegalArgumentException for a file the tool would refuse, with the file named
     */
    Optional<MigrationName> scriptName(String fileName);

    /**
     * The checksum the tool records in its history for a script, as the history's reader renders it.
     *
     * @throws UnsupportedOperationException for a tool that checks its own scripts
     */
    String checksum(String content);
}
