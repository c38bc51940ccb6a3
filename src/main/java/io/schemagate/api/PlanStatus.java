package io.schemagate.api;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.List;

/** A run that waits for approval (spec.approval): exactly what it would do. */
public class PlanStatus {
    @JsonPropertyDescription("The plan's digest: annotate the resource schemagate.io/approve=<digest> to start it.")
    private String digest;

    @JsonPropertyDescription("The revision the database is at.")
    private String from;

    @JsonPropertyDescription("The revision the run would leave it at, when the scripts are known (ConfigMap sources).")
    private String to;

    @JsonPropertyDescription("Up, or Down for a downgrade (spec.downgrade).")
    private String direction;

    @JsonPropertyDescription("The image whose scripts would run (image and workload sources, whose scripts the "
            + "run reads): pin it by digest for the approval to name exact scripts.")
    private String image;

    @JsonPropertyDescription("The scripts that would run, in order (ConfigMap sources).")
    private List<PlannedScript> scripts;

    @JsonPropertyDescription("The version spec.adopt would record first, without running its scripts.")
    private String adopt;

    public String getDigest() {
        return digest;
    }

    public void setDigest(String digest) {
        this.digest = digest;
    }

    public String getFrom() {
        return from;
    }

    public void setFrom(String from) {
        this.from = from;
    }

    public String getTo() {
        return to;
    }

    public void setTo(String to) {
        this.to = to;
    }

    public String getDirection() {
        return direction;
    }

    public void setDirection(String direction) {
        this.direction = direction;
    }

    public String getImage() {
        return image;
    }

    public void setImage(String image) {
        this.image = image;
    }

    public List<PlannedScript> getScripts() {
        return scripts;
    }

    public void setScripts(List<PlannedScript> scripts) {
        this.scripts = scripts;
    }

    public String getAdopt() {
        return adopt;
    }

    public void setAdopt(String adopt) {
        this.adopt = adopt;
    }

    /** One script of a plan. */
    public static class PlannedScript {
        @JsonPropertyDescription("The script's file name.")
        private String name;

        @JsonPropertyDescription("Its version.")
        private String version;

        @JsonPropertyDescription("Its checksum, as the engine records it in the history table.")
        private String checksum;

        public PlannedScript() {}

        public PlannedScript(String name, String version, String checksum) {
            this.name = name;
            this.version = version;
            this.checksum = checksum;
        }

        public String getName() {
            return name;
        }

        public void setName(String name) {
            this.name = name;
        }

        public String getVersion() {
            return version;
        }

        public void setVersion(String version) {
            this.version = version;
        }

        public String getChecksum() {
            return checksum;
        }

        public void setChecksum(String checksum) {
            this.checksum = checksum;
        }
    }
}
