package io.schemagate.api;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;

/** How pods that opt in with the label schemagate.io/migration are held back. */
public class GateSpec {
    @Default("true")
    @JsonPropertyDescription("Hold opted-in pods until the schema they need is applied. Set to false to let "
            + "them start regardless; pods held at that moment are released.")
    private boolean enabled = true;

    @Default("Release")
    @JsonPropertyDescription("What becomes of the pods held for this resource when it is deleted: Release (the "
            + "default) lets them start; Hold keeps them held until a resource of the same name releases them. "
            + "An event on each pod says which.")
    private OnDelete onDelete = OnDelete.Release;

    public boolean isEnabled() {
        return enabled;
    }

    public void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }

    public OnDelete getOnDelete() {
        return onDelete;
    }

    public void setOnDelete(OnDelete onDelete) {
        this.onDelete = onDelete;
    }

    /** What a deleted resource leaves its held pods. */
    public enum OnDelete {
        Release,
        Hold
    }
}
