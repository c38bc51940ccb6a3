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

    @Default("false")
    @JsonPropertyDescription("Leave alone applied versions that no script of this source has, as sqlx-cli's "
            + "--ignore-missing does: for a folder that shares its table with another one (an application that "
            + "migrates a second, deferred folder after the first).")
    private boolean ignoreMissing;

    public boolean isIgnoreMissing() {
        return ignoreMissing;
    }

    public void setIgnoreMissing(boolean ignoreMissing) {
        this.ignoreMissing = ignoreMissing;
    }

    public String getTable() {
        return table;
    }

    public void setTable(String table) {
        this.table = table;
    }
}
