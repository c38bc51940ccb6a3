package io.schemagate.api;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.List;

/**
 * What a runner pod takes from the workload's pods beyond their image pull Secrets and placement,
 * which it always takes. Each is an opt-in: it hands the application's own settings, files or
 * identity to the migration.
 */
public class WorkloadInheritance {
    @JsonPropertyDescription("Give the container's env and envFrom to the engine's tool (engines alembic and "
            + "command), which runs the application's own code, such as its env.py. The variables of the "
            + "migration's own connection (DATABASE_URL, PGHOST, PGUSER, ...) stay SchemaGate's.")
    private boolean env;

    @JsonPropertyDescription("Volumes of the pods to mount in every container of the runner pod that connects "
            + "to the database, where the workload's container mounts them: client certificates, a CA bundle, "
            + "a settings file. Each must be a volume of the pods that the container mounts.")
    private List<String> volumes;

    @JsonPropertyDescription("Run the runner pod as the pods' service account, with their choice of mounting its "
            + "token: for a database reached with a cloud identity. Not together with job.serviceAccountName.")
    private boolean serviceAccount;

    public boolean isEnv() {
        return env;
    }

    public void setEnv(boolean env) {
        this.env = env;
    }

    public List<String> getVolumes() {
        return volumes;
    }

    public void setVolumes(List<String> volumes) {
        this.volumes = volumes;
    }

    public boolean isServiceAccount() {
        return serviceAccount;
    }

    public void setServiceAccount(boolean serviceAccount) {
        this.serviceAccount = serviceAccount;
    }
}
