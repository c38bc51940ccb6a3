package io.schemagate.db;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.schemagate.db.history.AlembicHistory;
import io.schemagate.db.history.DbmateHistory;
import io.schemagate.db.history.FlywayHistory;
import io.schemagate.db.history.GolangMigrateHistory;
import io.schemagate.db.history.GooseHistory;
import io.schemagate.db.history.HistoryDialect;
import io.schemagate.db.history.LiquibaseHistory;
import io.schemagate.db.history.SqlxHistory;

/**
 * The history tables SchemaGate reads, by the names {@code spec.command.history.format} spells them;
 * what each one is lives in its {@link HistoryDialect}.
 */
public enum HistoryFormat {
    flyway("flyway", new FlywayHistory()),
    sqlx("sqlx", new SqlxHistory()),
    @JsonProperty("golang-migrate")
    golangMigrate("golang-migrate", new GolangMigrateHistory()),
    goose("goose", new GooseHistory()),
    dbmate("dbmate", new DbmateHistory()),
    alembic("alembic", new AlembicHistory()),
    liquibase("liquibase", new LiquibaseHistory());

    private final String specName;
    private final HistoryDialect dialect;

    HistoryFormat(String specName, HistoryDialect dialect) {
        this.specName = specName;
        this.dialect = dialect;
    }

    public HistoryDialect dialect() {
        return dialect;
    }

    /** The name the spec uses. */
    @Override
    public String toString() {
        return specName;
    }
}
