package io.schemagate.db;

import java.util.Optional;

/**
 * A migration tool whose scripts and history SchemaGate understands: how it names its scripts, the
 * checksum it records for one, and the table it keeps its history in. The constants are named as
 * {@code spec.engine} spells them.
 */
public enum Engine {
    /** Flyway: {@code V<version>__<description>.sql} and {@code R__<description>.sql}. */
    flyway(HistoryTable.DEFAULT_TABLE) {
        @Override
        public Optional<MigrationName> scriptName(String fileName) {
            return MigrationName.parse(fileName);
        }

        @Override
        public String checksum(String content) {
            return Integer.toString(FlywayChecksum.of(content));
        }
    },
    /** sqlx: {@code <version>_<description>.sql}, or reversible {@code .up.sql} / {@code .down.sql} pairs. */
    sqlx(SqlxScripts.DEFAULT_TABLE) {
        @Override
        public Optional<MigrationName> scriptName(String fileName) {
            return SqlxScripts.parse(fileName);
        }

        @Override
        public String checksum(String content) {
            return SqlxScripts.checksum(content);
        }
    };

    private final String defaultTable;

    Engine(String defaultTable) {
        this.defaultTable = defaultTable;
    }

    /**
     * What the tool reads from a file name: empty for a file it ignores (or, for sqlx, a down script,
     * which no forward run applies).
     *
     * @throws IllegalArgumentException for a file the tool would refuse, with the file named
     */
    public abstract Optional<MigrationName> scriptName(String fileName);

    /** The checksum the tool records in its history for a script, as {@link SchemaHistoryReader} renders it. */
    public abstract String checksum(String content);

    /** The history table's name when the spec names none. */
    public String defaultTable() {
        return defaultTable;
    }
}
