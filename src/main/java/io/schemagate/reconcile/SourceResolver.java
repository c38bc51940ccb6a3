package io.schemagate.reconcile;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.schemagate.api.ConfigMapSource;
import io.schemagate.api.DatabaseMigration;
import io.schemagate.api.SourceSpec;
import io.schemagate.db.MigrationSet;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Reads the scripts a resource's source declares. */
final class SourceResolver {
    private final WatchedObjects<ConfigMap> configMaps;

    SourceResolver(WatchedObjects<ConfigMap> configMaps) {
        this.configMaps = configMaps;
    }

    ResolvedSource resolve(DatabaseMigration resource) throws Unresolvable {
        SourceSpec source = resource.getSpec().getSource();
        if (source.getImage() != null) {
            return new ResolvedSource.FromImage(source.getImage());
        }
        String namespace = resource.getMetadata().getNamespace();
        Map<String, String> scripts = new HashMap<>();
        Map<String, String> origin = new HashMap<>();
        List<String> names = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        for (ConfigMapSource reference : source.getConfigMaps()) {
            ConfigMap configMap = configMaps.get(namespace, reference.getName());
            if (configMap == null) {
                throw Unresolvable.retryable(Reasons.SOURCE_NOT_FOUND,
                        "ConfigMap " + reference.getName() + " not found in namespace " + namespace);
            }
            names.add(reference.getName());
            Map<String, String> data = configMap.getData() == null ? Map.of() : configMap.getData();
            data.forEach((script, content) -> {
                String clash = origin.putIfAbsent(script, reference.getName());
                if (clash != null) {
                    problems.add(script + " is in both ConfigMaps " + clash + " and " + reference.getName());
                }
                scripts.put(script, content);
            });
        }
        MigrationSet set = MigrationSet.of(scripts);
        problems.addAll(set.errors());
        if (!problems.isEmpty()) {
            throw Unresolvable.stalled(Reasons.INVALID_MIGRATIONS, String.join("; ", problems));
        }
        return new ResolvedSource.FromConfigMaps(set, names);
    }
}
