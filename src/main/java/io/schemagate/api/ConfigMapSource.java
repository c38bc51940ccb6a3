package io.schemagate.api;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;

/** A ConfigMap holding migration scripts as keys. */
public class ConfigMapSource {
    @Required
    @JsonPropertyDescription("Name of the ConfigMap, in the namespace of the DatabaseMigration.")
    private String name;

    public ConfigMapSource() {}

    public ConfigMapSource(String name) {
        this.name = name;
    }

    public String getName() {
        return name;
    }

    public void setName(String name) {
        this.name = name;
    }
}
