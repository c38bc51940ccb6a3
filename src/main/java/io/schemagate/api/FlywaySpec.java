package io.schemagate.api;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.Map;

/** The Flyway settings a user can choose. */
@ValidationRule(
        value = "!has(self.placeholders) || !has(self.placeholdersFrom) "
                + "|| self.placeholdersFrom.all(name, !(name in self.placeholders))",
        message = "a placeholder is set in both flyway.placeholders and flyway.placeholdersFrom")
public class FlywaySpec {
    @Default("flyway_schema_history")
    @Pattern("^[A-Za-z_][A-Za-z0-9_$]{0,62}$")
    @JsonPropertyDescription(
            "Name of Flyway's history table, in the first schema. SchemaGate reads the revision from it.")
    private String table = "flyway_schema_history";

    @Default("false")
    @JsonPropertyDescription("Baseline a non-empty schema that has no history table yet instead of failing.")
    private boolean baselineOnMigrate;

    @Default("1")
    @Pattern("^[0-9]+([._][0-9]+)*$")
    @JsonPropertyDescription("The version given to the baseline: migrations up to it are not applied.")
    private String baselineVersion = "1";

    @Default("false")
    @JsonPropertyDescription("Apply a migration whose version is lower than the current one when it was "
            + "never applied (for example after a merge of branches).")
    private boolean outOfOrder;

    @JsonPropertyDescription("Values for ${name} placeholders in the scripts.")
    private Map<String, String> placeholders;

    @ValidationRule(
            value = "self.all(name, name.matches('^[A-Za-z_][A-Za-z0-9_.]*$'))",
            message = "placeholder names in flyway.placeholdersFrom are letters, digits, '_' and '.', not "
                    + "starting with a digit")
    @JsonPropertyDescription("Values for ${name} placeholders read from keys of Secrets (a role's password, "
            + "say): they reach the runner as Secret references only and are masked in everything it reports.")
    private Map<String, ValueSource> placeholdersFrom;

    public String getTable() {
        return table;
    }

    public void setTable(String table) {
        this.table = table;
    }

    public boolean isBaselineOnMigrate() {
        return baselineOnMigrate;
    }

    public void setBaselineOnMigrate(boolean baselineOnMigrate) {
        this.baselineOnMigrate = baselineOnMigrate;
    }

    public String getBaselineVersion() {
        return baselineVersion;
    }

    public void setBaselineVersion(String baselineVersion) {
        this.baselineVersion = baselineVersion;
    }

    public boolean isOutOfOrder() {
        return outOfOrder;
    }

    public void setOutOfOrder(boolean outOfOrder) {
        this.outOfOrder = outOfOrder;
    }

    public Map<String, ValueSource> getPlaceholdersFrom() {
        return placeholdersFrom;
    }

    public void setPlaceholdersFrom(Map<String, ValueSource> placeholdersFrom) {
        this.placeholdersFrom = placeholdersFrom;
    }

    public Map<String, String> getPlaceholders() {
        return placeholders;
    }

    public void setPlaceholders(Map<String, String> placeholders) {
        this.placeholders = placeholders;
    }
}
