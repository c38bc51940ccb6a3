package io.schemagate.api;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.List;

/** Where the migration scripts come from. */
@ValidationRule(
        value = "[has(self.configMaps), has(self.image), has(self.workload)].filter(x, x).size() == 1",
        message = "set exactly one source: configMaps, image or workload")
public class SourceSpec {
    @ValidationRule(value = "size(self) > 0", message = "source.configMaps needs at least one ConfigMap")
    @JsonPropertyDescription("ConfigMaps whose keys are Flyway SQL scripts (V<version>__<description>.sql, "
            + "R__<description>.sql). Several ConfigMaps can be listed to pass the 1 MiB size limit of one; "
            + "a script name must be unique across them.")
    private List<ConfigMapSource> configMaps;

    @JsonPropertyDescription("An image holding the scripts in a directory; they version with the image.")
    private ImageSource image;

    @JsonPropertyDescription("A Deployment or StatefulSet whose container image holds the scripts: a new image "
            + "is migrated as soon as the workload changes, ahead of its rollout, and its opted-in pods need that "
            + "image's scripts applied.")
    private WorkloadSource workload;

    public List<ConfigMapSource> getConfigMaps() {
        return configMaps;
    }

    public void setConfigMaps(List<ConfigMapSource> configMaps) {
        this.configMaps = configMaps;
    }

    public ImageSource getImage() {
        return image;
    }

    public void setImage(ImageSource image) {
        this.image = image;
    }

    public WorkloadSource getWorkload() {
        return workload;
    }

    public void setWorkload(WorkloadSource workload) {
        this.workload = workload;
    }
}
