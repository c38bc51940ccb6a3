package io.schemagate.reconcile;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.schemagate.api.ConfigMapSource;
import io.schemagate.api.DatabaseMigration;
import io.schemagate.api.ImageSource;
import io.schemagate.api.SourceSpec;
import io.schemagate.api.WorkloadSource;
import io.schemagate.db.MigrationSet;
import io.schemagate.db.ScriptConvention;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Reads the scripts a resource's source declares. */
final class SourceResolver {
    private final WatchedObjects<ConfigMap> configMaps;
    private final WatchedObjects<Deployment> deployments;
    private final WatchedObjects<StatefulSet> statefulSets;
    private final ImageSource.Mount defaultMount;

    /** @param defaultMount how image scripts reach a Job when the resource does not say */
    SourceResolver(
            WatchedObjects<ConfigMap> configMaps,
            WatchedObjects<Deployment> deployments,
            WatchedObjects<StatefulSet> statefulSets,
            ImageSource.Mount defaultMount) {
        this.configMaps = configMaps;
        this.deployments = deployments;
        this.statefulSets = statefulSets;
        this.defaultMount = defaultMount;
    }

    /** @param scripts the engine's convention, which names the scripts of ConfigMaps */
    ResolvedSource resolve(DatabaseMigration resource, ScriptConvention scripts) throws Unresolvable {
        SourceSpec source = resource.getSpec().getSource();
        if (source.getImage() != null) {
            return new ResolvedSource.FromImage(
                    source.getImage(), mountOf(source.getImage().getMount()));
        }
        if (source.getWorkload() != null) {
            return fromWorkload(resource.getMetadata().getNamespace(), source.getWorkload());
        }
        String namespace = resource.getMetadata().getNamespace();
        Map<String, String> files = new HashMap<>();
        Map<String, String> origin = new HashMap<>();
        List<String> names = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        for (ConfigMapSource reference : source.getConfigMaps()) {
            ConfigMap configMap = configMaps.get(namespace, reference.getName());
            if (configMap == null) {
                throw Unresolvable.retryable(
                        Reasons.SOURCE_NOT_FOUND,
                        "ConfigMap " + reference.getName() + " not found in namespace " + namespace);
            }
            names.add(reference.getName());
            Map<String, String> data = configMap.getData() == null ? Map.of() : configMap.getData();
            data.forEach((script, content) -> {
                String clash = origin.putIfAbsent(script, reference.getName());
                if (clash != null) {
                    problems.add(script + " is in both ConfigMaps " + clash + " and " + reference.getName());
                }
                files.put(script, content);
            });
        }
        MigrationSet set = MigrationSet.of(scripts, files);
        problems.addAll(set.errors());
        if (!problems.isEmpty()) {
            throw Unresolvable.stalled(Reasons.INVALID_MIGRATIONS, String.join("; ", problems));
        }
        return new ResolvedSource.FromConfigMaps(set, names, files);
    }

    /** The image of the workload's pod template: the image its next pods run. */
    private ResolvedSource fromWorkload(String namespace, WorkloadSource source) throws Unresolvable {
        Workload workload = switch (source.getKind()) {
            case Deployment ->
                Optional.ofNullable(deployments.get(namespace, source.getName()))
                        .map(Workload::of)
                        .orElse(null);
            case StatefulSet ->
                Optional.ofNullable(statefulSets.get(namespace, source.getName()))
                        .map(Workload::of)
                        .orElse(null);
        };
        if (workload == null) {
            throw Unresolvable.retryable(
                    Reasons.SOURCE_NOT_FOUND,
                    source.getKind() + " " + source.getName() + " not found in namespace " + namespace);
        }
        Container container = workload.container(source.getContainer())
                .orElseThrow(() -> Unresolvable.stalled(
                        Reasons.INVALID_SPEC,
                        workload.describe() + " has no container named " + source.getContainer()));
        ImageSource image = new ImageSource();
        image.setRef(container.getImage());
        image.setPath(source.getPath());
        if (container.getImagePullPolicy() != null) {
            image.setPullPolicy(ImageSource.PullPolicy.valueOf(container.getImagePullPolicy()));
        }
        return new ResolvedSource.FromImage(
                image, workload, mountOf(source.getMount()), Inheritance.of(workload, container, source.getInherit()));
    }

    private ImageSource.Mount mountOf(ImageSource.Mount chosen) {
        return chosen != null ? chosen : defaultMount;
    }
}
