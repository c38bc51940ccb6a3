package io.schemagate.api;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** The migration set the source declares, as last read. */
public class SourceStatus {
    @JsonPropertyDescription("Digest of the migration set and the settings it runs with; a new digest means a new run.")
    private String digest;

    @JsonPropertyDescription("Number of scripts (unknown for an image source until a run lists them).")
    private Integer scripts;

    @JsonPropertyDescription("Highest version among the scripts.")
    private String latest;

    public String getDigest() {
        return digest;
    }

    public void setDigest(String digest) {
        this.digest = digest;
    }

    public Integer getScripts() {
        return scripts;
    }

    public void setScripts(Integer scripts) {
        this.scripts = scripts;
    }

    public String getLatest() {
        return latest;
    }

    public void setLatest(String latest) {
        this.latest = latest;
    }
}
