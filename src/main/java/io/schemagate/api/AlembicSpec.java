package io.schemagate.api;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.ValidationRule;
import io.schemagate.db.AlembicScripts;
import java.util.List;

/** How the application image's own Alembic is run (engine alembic). */
public class AlembicSpec {
    @Default(AlembicScripts.DEFAULT_CONFIG)
    @ValidationRule(
            value = "!self.startsWith('/') && !self.matches('(^|/)[.][.](/|$)')",
            message = "spec.alembic.config names a file in the source's folder: a relative path, without '..'")
    @JsonPropertyDescription("Alembic's ini file, relative to the source's path (the folder the Job runs Alembic "
            + "in): alembic -c <config>. Its [alembic] script_location says where the scripts are.")
    private String config = AlembicScripts.DEFAULT_CONFIG;

    @JsonPropertyDescription("Further options placed before the upgrade command, such as [-x, tenant=acme] for "
            + "an env.py that reads them; the target comes from spec.target.")
    private List<String> args;

    @Default(AlembicScripts.DEFAULT_TABLE)
    @JsonPropertyDescription("Alembic's version table, in the first schema: what env.py passes as version_table "
            + "when it changes it. SchemaGate reads the heads from it.")
    private String table = AlembicScripts.DEFAULT_TABLE;

    public String getConfig() {
        return config;
    }

    public void setConfig(String config) {
        this.config = config;
    }

    public List<String> getArgs() {
        return args;
    }

    public void setArgs(List<String> args) {
        this.args = args;
    }

    public String getTable() {
        return table;
    }

    public void setTable(String table) {
        this.table = table;
    }
}
