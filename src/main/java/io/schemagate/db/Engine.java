package io.schemagate.db;

import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The names {@code spec.engine} takes, and the history format each writes; what each engine is
 * lives in its class of {@code io.schemagate.engine}.
 */
public enum Engine {
    /** Flyway's scripts, applied by the runner with Flyway. */
    flyway(HistoryFormat.flyway),
    /** sqlx's scripts, applied by the runner as sqlx-cli applies them. */
    sqlx(HistoryFormat.sqlx),
    /** Alembic, run from the application's own image. */
    alembic(HistoryFormat.alembic),
    /** Any tool, run from its own image, writing the history format its spec names. */
    command(null);

    private final @Nullable HistoryFormat format;

    Engine(@Nullable HistoryFormat format) {
        this.format = format;
    }

    /** The format of the history table the engine writes; empty for {@link #command}, whose spec names it. */
    public Optional<HistoryFormat> format() {
        return Optional.ofNullable(format);
    }
}
