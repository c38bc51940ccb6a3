package io.schemagate.api;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.schemagate.db.HistoryFormat;

/** Where and in which shape a tool keeps its history. */
public class CommandHistorySpec {
    @Required
    @JsonPropertyDescription("The tool whose history table this is: golang-migrate (schema_migrations: the "
            + "version and a dirty flag), goose (goose_db_version), dbmate (schema_migrations of text versions), "
            + "or flyway or sqlx for those tools run from their own images.")
    private HistoryFormat format;

    @Pattern("^[A-Za-z_][A-Za-z0-9_$]{0,62}$")
    @JsonPropertyDescription("The history table, in the first schema; unset, the tool's default "
            + "(schema_migrations, goose_db_version, flyway_schema_history, _sqlx_migrations).")
    private String table;

    public HistoryFormat getFormat() {
        return format;
    }

    public void setFormat(HistoryFormat format) {
        this.format = format;
    }

    public String getTable() {
        return table;
    }

    public void setTable(String table) {
        this.table = table;
    }
}
