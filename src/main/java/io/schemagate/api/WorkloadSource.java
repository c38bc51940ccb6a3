package io.schemagate.api;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;

/**
 * A Deployment or StatefulSet whose container image carries the migration scripts. The image is read
 * from the workload's pod template, so a new image starts its migration as soon as the workload
 * changes, ahead of the rollout.
 */
public class WorkloadSource {
    @Default("Deployment")
    @JsonPropertyDescription("Kind of the workload: Deployment or StatefulSet.")
    private Kind kind = Kind.Deployment;

    @Required
    @Pattern("^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$")
    @JsonPropertyDescription("Name of the workload, in the namespace of the DatabaseMigration.")
    private String name;

    @Pattern("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$")
    @JsonPropertyDescription("The container whose image holds the scripts; by default the first container.")
    private String container;

    @Default("/migrations")
    @Pattern("^/.*")
    @JsonPropertyDescription("Absolute directory in the image that holds the scripts (searched recursively).")
    private String path = "/migrations";

    @JsonPropertyDescription(ImageSource.Mount.DESCRIPTION)
    private ImageSource.Mount mount;

    @JsonPropertyDescription("What the runner pod takes from the workload's pods besides their imagePullSecrets, "
            + "nodeSelector, tolerations and node affinity (always taken): their env, volumes, service account.")
    private WorkloadInheritance inherit;

    public Kind getKind() {
        return kind;
    }

    public void setKind(Kind kind) {
        this.kind = kind;
    }

    public String getName() {
        return name;
    }

    public void setName(String name) {
        this.name = name;
    }

    public String getContainer() {
        return container;
    }

    public void setContainer(String container) {
        this.container = container;
    }

    public String getPath() {
        return path;
    }

    public void setPath(String path) {
        this.path = path;
    }

    public ImageSource.Mount getMount() {
        return mount;
    }

    public void setMount(ImageSource.Mount mount) {
        this.mount = mount;
    }

    public WorkloadInheritance getInherit() {
        return inherit;
    }

    public void setInherit(WorkloadInheritance inherit) {
        this.inherit = inherit;
    }

    /** The workload kinds a source can follow. */
    public enum Kind {
        Deployment,
        StatefulSet
    }
}
