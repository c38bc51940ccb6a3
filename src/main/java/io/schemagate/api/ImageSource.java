package io.schemagate.api;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;

/** An image the migration scripts are copied out of, by an init container of the Job. */
public class ImageSource {
    @Required
    @Pattern("^\\S+$")
    @JsonPropertyDescription("Image reference, for example acme/orders:1.4.0 or one pinned by digest.")
    private String ref;

    @Default("/migrations")
    @Pattern("^/.*")
    @JsonPropertyDescription("Absolute directory in the image that holds the scripts (searched recursively).")
    private String path = "/migrations";

    @JsonPropertyDescription("Pull policy of the image: Always, IfNotPresent or Never. Defaults to the "
            + "Kubernetes default for the tag.")
    private PullPolicy pullPolicy;

    public String getRef() {
        return ref;
    }

    public void setRef(String ref) {
        this.ref = ref;
    }

    public String getPath() {
        return path;
    }

    public void setPath(String path) {
        this.path = path;
    }

    public PullPolicy getPullPolicy() {
        return pullPolicy;
    }

    public void setPullPolicy(PullPolicy pullPolicy) {
        this.pullPolicy = pullPolicy;
    }

    /** The image pull policies of Kubernetes. */
    public enum PullPolicy {
        Always, IfNotPresent, Never
    }
}
