package io.schemagate.api;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** The adoption of spec.adopt, once done: it is never done again for this resource. */
public class AdoptionStatus {
    @JsonPropertyDescription("The version the history was recorded up to without running scripts.")
    private String version;

    @JsonPropertyDescription("The Job of the run that recorded it.")
    private String job;

    @JsonPropertyDescription("When that run ended.")
    private String at;

    public String getVersion() {
        return version;
    }

    public void setVersion(String version) {
        this.version = version;
    }

    public String getJob() {
        return job;
    }

    public void setJob(String job) {
        this.job = job;
    }

    public String getAt() {
        return at;
    }

    public void setAt(String at) {
        this.at = at;
    }
}
