package io.schemagate.api;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** A dump a run took before it migrated. */
public class BackupStatus {
    @JsonPropertyDescription("The dump's file in the backup volume; restore it with pg_restore (docs/lifecycle.md).")
    private String file;

    @JsonPropertyDescription("Its size in bytes.")
    private Long sizeBytes;

    @JsonPropertyDescription("How long pg_dump took, in milliseconds.")
    private Long durationMillis;

    @JsonPropertyDescription("When the dump was complete.")
    private String completedAt;

    @JsonPropertyDescription("The pg_dump that wrote it: restore with a pg_restore of at least its version.")
    private String pgDump;

    public String getFile() {
        return file;
    }

    public void setFile(String file) {
        this.file = file;
    }

    public Long getSizeBytes() {
        return sizeBytes;
    }

    public void setSizeBytes(Long sizeBytes) {
        this.sizeBytes = sizeBytes;
    }

    public Long getDurationMillis() {
        return durationMillis;
    }

    public void setDurationMillis(Long durationMillis) {
        this.durationMillis = durationMillis;
    }

    public String getCompletedAt() {
        return completedAt;
    }

    public void setCompletedAt(String completedAt) {
        this.completedAt = completedAt;
    }

    public String getPgDump() {
        return pgDump;
    }

    public void setPgDump(String pgDump) {
        this.pgDump = pgDump;
    }
}
