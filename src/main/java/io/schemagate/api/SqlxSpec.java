package io.schemagate.api;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;
import io.schemagate.db.SqlxScripts;

/** The sqlx settings a user can choose (engine sqlx). */
public class SqlxSpec {
    @Default(SqlxScripts.DEFAULT_TABLE)
    @Pattern(SqlxScripts.TABLE_PATTERN)
    @JsonPropertyDescription("Name of sqlx's history table, in the first schema: sqlx.toml's migrate.table-name "
            + "when the application sets one. SchemaGate writes it as sqlx does and reads the revision from it.")
    private String table = SqlxScripts.DEFAULT_TABLE;

    public String getTable() {
        return table;
    }

    public void setTable(String table) {
        this.table = table;
    }
}
