package io.schemagate.api;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;

/** How pods that opt in with the label schemagate.io/migration are held back. */
public class GateSpec {
    @Default("true")
    @JsonPropertyDescription("Hold opted-in pods until the schema they need is applied. Set to false to let "
            + "them start regardless; pods held at that moment are released.")
    private boolean enabled = true;

    public boolean isEnabled() {
        return enabled;
    }

    public void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }
}
