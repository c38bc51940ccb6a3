package io.schemagate.packaging;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * deploy/ is the chart's default installation as plain manifests (release `schemagate` in
 * namespace `schemagate-system`): the same objects, without the labels only Helm sets.
 * DeployManifestsIT has the API server accept them.
 */
class DeployManifestsTest {
    private static final Path DEPLOY = Path.of("deploy");
    private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

    @Test
    void theManifestsAreTheChartsDefaults() throws IOException {
        List<HasMetadata> manifests = new ArrayList<>();
        for (String file :
                List.of("rbac.yaml", "userroles.yaml", "admissionpolicy.yaml", "operator.yaml", "webhook.yaml")) {
            manifests.addAll(Chart.parse(Files.readString(DEPLOY.resolve(file))));
        }
        List<HasMetadata> chart = Chart.render("schemagate", "schemagate-system", Map.of());

        assertThat(byKindAndName(manifests)).isEqualTo(byKindAndName(chart));
    }

    @Test
    void theKustomizationHasEveryManifestTheCrdAndTheNamespace() throws IOException {
        String kustomization = Files.readString(DEPLOY.resolve("kustomization.yaml"));
        List<String> manifests;
        try (Stream<Path> files = Files.list(DEPLOY)) {
            manifests = files.map(p -> p.getFileName().toString())
                    .filter(name -> name.endsWith(".yaml") && !name.equals("kustomization.yaml"))
                    .toList();
        }

        assertThat(manifests)
                .isNotEmpty()
                .allSatisfy(file -> assertThat(kustomization).contains("- " + file));
        assertThat(kustomization).contains("- ../crds").contains("namespace: schemagate-system");
        assertThat(Files.readString(Path.of("crds/kustomization.yaml")))
                .contains("- databasemigrations.schemagate.io-v1.yml");
        Namespace namespace = (Namespace)
                Chart.parse(Files.readString(DEPLOY.resolve("namespace.yaml"))).get(0);
        assertThat(namespace.getMetadata().getName()).isEqualTo("schemagate-system");
        assertThat(namespace.getMetadata().getLabels())
                .containsEntry("pod-security.kubernetes.io/enforce", "restricted");
    }

    /** Objects as plain trees, keyed by kind and name, without the labels only Helm sets. */
    private static Map<String, Object> byKindAndName(List<HasMetadata> objects) {
        return objects.stream()
                .collect(Collectors.toMap(
                        o -> o.getKind() + "/" + o.getMetadata().getName(), o -> {
                            @SuppressWarnings("unchecked")
                            Map<String, Object> tree = SERIALIZATION.convertValue(o, Map.class);
                            @SuppressWarnings("unchecked")
                            Map<String, Object> metadata = new HashMap<>((Map<String, Object>) tree.get("metadata"));
                            @SuppressWarnings("unchecked")
                            Map<String, Object> labels = new HashMap<>((Map<String, Object>) metadata.get("labels"));
                            labels.remove("helm.sh/chart");
                            labels.remove("app.kubernetes.io/managed-by");
                            metadata.put("labels", labels);
                            Map<String, Object> normalized = new HashMap<>(tree);
                            normalized.put("metadata", metadata);
                            return normalized;
                        }));
    }
}
