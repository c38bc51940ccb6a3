package io.schemagate.api;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;

/** Where a value is read from, in the shape of a container's env valueFrom. */
public class ValueSource {
    @Required
    @JsonPropertyDescription("A key of a Secret in the namespace of the DatabaseMigration.")
    private SecretKeyReference secretKeyRef;

    public ValueSource() {}

    public ValueSource(SecretKeyReference secretKeyRef) {
        this.secretKeyRef = secretKeyRef;
    }

    public SecretKeyReference getSecretKeyRef() {
        return secretKeyRef;
    }

    public void setSecretKeyRef(SecretKeyReference secretKeyRef) {
        this.secretKeyRef = secretKeyRef;
    }
}
