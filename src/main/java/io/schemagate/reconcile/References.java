package io.schemagate.reconcile;

import io.schemagate.api.ConfigMapSource;
import io.schemagate.api.DatabaseMigration;
import io.schemagate.api.DatabaseSpec;
import io.schemagate.api.WorkloadSource;
import java.util.List;

/** Which ConfigMaps, Secrets and Deployments a resource refers to, to route their changes to it. */
final class References {
    private References() {
    }

    static boolean configMap(DatabaseMigration resource, String name) {
        List<ConfigMapSource> configMaps = resource.getSpec().getSource().getConfigMaps();
        return configMaps != null && configMaps.stream().anyMatch(ref -> name.equals(ref.getName()));
    }

    static boolean secret(DatabaseMigration resource, String name) {
        DatabaseSpec database = resource.getSpec().getDatabase();
        return database.getCredentialsSecret() != null && name.equals(database.getCredentialsSecret().getName())
                || database.getUrlFrom() != null && name.equals(database.getUrlFrom().getSecretKeyRef().getName())
                || RunSettings.of(resource).secretPlaceholders().values().stream()
                        .anyMatch(reference -> name.equals(reference.getName()));
    }

    static boolean workload(DatabaseMigration resource, String name) {
        WorkloadSource workload = resource.getSpec().getSource().getWorkload();
        return workload != null && name.equals(workload.getName());
    }
}
