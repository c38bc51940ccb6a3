package io.schemagate.reconcile;

import io.schemagate.api.ConfigMapSource;
import io.schemagate.api.DatabaseMigration;
import io.schemagate.api.DatabaseSpec;
import io.schemagate.api.WorkloadSource;
import io.schemagate.engine.RunSettings;
import java.util.List;
import java.util.function.BiPredicate;

/** Which ConfigMaps, Secrets and workloads a resource refers to, to route their changes to it. */
final class References {
    private References() {}

    static boolean configMap(DatabaseMigration resource, String name) {
        List<ConfigMapSource> configMaps = resource.getSpec().getSource().getConfigMaps();
        return configMaps != null && configMaps.stream().anyMatch(ref -> name.equals(ref.getName()));
    }

    static boolean secret(DatabaseMigration resource, String name) {
        DatabaseSpec database = resource.getSpec().getDatabase();
        return (database.getCredentialsSecret() != null
                        && name.equals(database.getCredentialsSecret().getName()))
                || (database.getUrlFrom() != null
                        && name.equals(database.getUrlFrom().getSecretKeyRef().getName()))
                || RunSettings.of(resource).secretPlaceholders().values().stream()
                        .anyMatch(reference -> name.equals(reference.getName()));
    }

    /** Whether a resource takes its scripts' image from the workload of this kind and name. */
    static BiPredicate<DatabaseMigration, String> workload(WorkloadSource.Kind kind) {
        return (resource, name) -> {
            WorkloadSource workload = resource.getSpec().getSource().getWorkload();
            return workload != null && workload.getKind() == kind && name.equals(workload.getName());
        };
    }
}
