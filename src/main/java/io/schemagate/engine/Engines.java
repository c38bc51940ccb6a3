package io.schemagate.engine;

import io.schemagate.api.DatabaseMigrationSpec;
import io.schemagate.db.Engine;

/** The one place that maps {@code spec.engine} to what the engine is. */
public final class Engines {

    private static final MigrationEngine FLYWAY = new FlywayEngine();
    private static final MigrationEngine SQLX = new SqlxEngine();
    private static final MigrationEngine ALEMBIC = new AlembicEngine();
    private static final MigrationEngine COMMAND = new CommandEngine();

    private Engines() {}

    public static MigrationEngine of(Engine name) {
        return switch (name) {
            case flyway -> FLYWAY;
            case sqlx -> SQLX;
            case alembic -> ALEMBIC;
            case command -> COMMAND;
        };
    }

    /** The spec's engine; Flyway, the engine of every resource written before engines could be chosen, when unset. */
    public static MigrationEngine of(DatabaseMigrationSpec spec) {
        return of(spec.getEngine() == null ? Engine.flyway : spec.getEngine());
    }
}
