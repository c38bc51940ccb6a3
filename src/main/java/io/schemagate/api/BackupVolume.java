package io.schemagate.api;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;

/**
 * The volume dumps go to, shaped as a pod's volume source. A claim reaches any storage a cluster has
 * (a StorageClass, or a PersistentVolume bound to it by hand for an NFS export or a CSI driver).
 */
public class BackupVolume {
    @Required
    @JsonPropertyDescription("The PersistentVolumeClaim, in the resource's namespace, whose volume holds the dumps. "
            + "It must be writable by the runner's user (the Job sets fsGroup to it).")
    private ClaimReference persistentVolumeClaim;

    public ClaimReference getPersistentVolumeClaim() {
        return persistentVolumeClaim;
    }

    public void setPersistentVolumeClaim(ClaimReference persistentVolumeClaim) {
        this.persistentVolumeClaim = persistentVolumeClaim;
    }

    /** A claim by name; always mounted writable. */
    public static class ClaimReference {
        @Required
        @JsonPropertyDescription("The claim's name.")
        private String claimName;

        public ClaimReference() {}

        public ClaimReference(String claimName) {
            this.claimName = claimName;
        }

        public String getClaimName() {
            return claimName;
        }

        public void setClaimName(String claimName) {
            this.claimName = claimName;
        }
    }
}
