package io.schemagate.db;

import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * How a resource's migrations are applied: by the runner, which understands the engine's scripts
 * (how it names them, the checksum it records), or by another tool's own image ({@link #command}).
 * The constants are named as {@code spec.engine} spells them.
 */
public enum Engine {
    /** Flyway: {@code V<version>__<description>.sql} and {@code R__<description>.sql}. */
    flyway(HistoryFormat.flyway) {
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
    sqlx(HistoryFormat.sqlx) {
        @Override
        public Optional<MigrationName> scriptName(String fileName) {
            return SqlxScripts.parse(fileName);
        }

        @Override
        public String checksum(String content) {
            return SqlxScripts.checksum(content);
        }
    },
    /**
     * Alembic, run from the application's own image, where its {@code env.py} and models live: the
     * runner applies nothing, it reads the revision graph of the scripts ({@link AlembicScripts}) and
     * the heads Alembic left in {@code alembic_version}.
     */
    alembic(HistoryFormat.alembic),
    /**
     * Any tool, run from its own image: SchemaGate reads none of its scripts (they stay in the
     * image), only its history table, in the format the spec names.
     */
    command(null);

    private final @Nullable HistoryFormat format;

    Engine(@Nullable HistoryFormat format) {
        this.format = format;
    }

    /**
     * What the tool reads from a file name: empty for a file it ignores (or, for sqlx, a down script,
     * which no forward run applies), and for every file of an engine whose tool reads its own.
     *
     * @throws IllegalArgumentException for a file the tool would refuse, with the file named
     */
    public Optional<MigrationName> scriptName(String fileName) {
        return Optional.empty();
    }

    /**
     * The checksum the tool records in its history for a script, as {@link SchemaHistoryReader} renders it.
     *
     * @throws UnsupportedOperationException for an engine whose tool checks its own scripts
     */
    public String checksum(String content) {
        throw new UnsupportedOperationException(this + "'s tool checks its own scripts");
    }

    /** Whether a tool in an image applies the migrations, the runner only reporting where it left them. */
    public boolean runsTool() {
        return this == alembic || this == command;
    }

    /** The format of the history table the engine writes; empty for {@link #command}, whose spec names it. */
    public Optional<HistoryFormat> format() {
        return Optional.ofNullable(format);
    }
}
