package io.schemagate.api;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.ValidationRule;

/** A dump of the schemas before every run, kept in a volume of the user's (docs/lifecycle.md: how to restore). */
@ValidationRule(
        value = "!self.enabled || has(self.volume)",
        message = "spec.backup.volume is required when spec.backup.enabled is true")
public class BackupSpec {
    @Default("false")
    @JsonPropertyDescription("When true, every run first dumps the schemas it migrates with pg_dump (custom format, "
            + "the client matching the server's major version) into the volume; a failed dump stops the run with "
            + "nothing migrated (BackupFailed).")
    private boolean enabled;

    @JsonPropertyDescription("Where the dumps are written, as <resource>-<UTC time>.dump.")
    private BackupVolume volume;

    @Default("5")
    @Min(1)
    @Max(1000)
    @JsonPropertyDescription("How many of this resource's dumps stay in the volume, the newest; older ones are "
            + "deleted after each successful dump. Other files in the volume are never touched.")
    private int keep = 5;

    public boolean isEnabled() {
        return enabled;
    }

    public void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }

    public BackupVolume getVolume() {
        return volume;
    }

    public void setVolume(BackupVolume volume) {
        this.volume = volume;
    }

    public int getKeep() {
        return keep;
    }

    public void setKeep(int keep) {
        this.keep = keep;
    }
}
