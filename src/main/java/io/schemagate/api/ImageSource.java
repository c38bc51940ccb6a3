package io.schemagate.api;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;

/** An image that carries the migration scripts: the Job mounts it as a volume, or copies them out of it. */
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

    @JsonPropertyDescription(Mount.DESCRIPTION)
    private Mount mount;

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

    public Mount getMount() {
        return mount;
    }

    public void setMount(Mount mount) {
        this.mount = mount;
    }

    /** How a Job reaches the scripts in an image. */
    public enum Mount {
        /** A read-only image volume: nothing runs in the image. */
        Volume,
        /** An init container of the image copies them out with cp. */
        Copy;

        static final String DESCRIPTION = "How the Job reaches the scripts: Volume mounts the image read-only as a "
                + "Kubernetes image volume, so that nothing runs in it and images without a shell or cp "
                + "(distroless, JRE-only) work; Copy copies them out with cp in an init container of the image. "
                + "Unset: the operator's setting, by default Volume where the API server is Kubernetes 1.35 or "
                + "newer (image volumes on by default) and Copy before it.";
    }

    /** The image pull policies of Kubernetes. */
    public enum PullPolicy {
        Always,
        IfNotPresent,
        Never
    }
}
