package io.schemagate.api;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;

/** A key of a Secret in the resource's namespace. */
public class SecretKeyReference {
    @Required
    @JsonPropertyDescription("Name of the Secret, in the namespace of the DatabaseMigration.")
    private String name;

    @Required
    @JsonPropertyDescription("Key within the Secret.")
    private String key;

    public SecretKeyReference() {}

    public SecretKeyReference(String name, String key) {
        this.name = name;
        this.key = key;
    }

    public String getName() {
        return name;
    }

    public void setName(String name) {
        this.name = name;
    }

    public String getKey() {
        return key;
    }

    public void setKey(String key) {
        this.key = key;
    }
}
