package io.schemagate.packaging;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.InstallCommand;
import com.marcnuri.helm.TemplateCommand;
import com.marcnuri.helm.UpgradeCommand;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.schemagate.api.DatabaseMigration;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The operator's Helm chart (helm/schemagate), driven by a real Helm: helm-java bundles Helm's
 * own library. Values are given as Helm's --set expressions.
 */
public final class Chart {
    public static final Path DIR = Path.of("helm/schemagate");
    /** The example application chart that declares a schema dependency. */
    public static final Path EXAMPLE = Path.of("examples/orders-chart");
    /** The library chart application charts call to declare their schema dependency. */
    public static final Path LIBRARY = Path.of("helm/schemagate-lib");

    private static final Set<Path> WITH_DEPENDENCIES = new HashSet<>();
    private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

    static {
        // Charts that declare a schema dependency render DatabaseMigrations: read them as such.
        SERIALIZATION.registerKubernetesResource(DatabaseMigration.class);
    }

    private Chart() {}

    public static Helm helm() {
        return new Helm(DIR);
    }

    /**
     * A chart with its dependencies in its charts/ folder, as `helm dependency update` leaves them:
     * the example's library chart is fetched from helm/ once per test JVM, so every test sees the
     * library as it is in this checkout.
     */
    public static synchronized Helm helm(Path chart) {
        if (!WITH_DEPENDENCIES.contains(chart)) {
            new Helm(chart).dependency().update().skipRefresh().call();
            WITH_DEPENDENCIES.add(chart);
        }
        return new Helm(chart);
    }

    /** The objects `helm template <release> --namespace <namespace>` renders (CRDs apart). */
    public static List<HasMetadata> render(String release, String namespace, Map<String, String> values) {
        return render(DIR, release, namespace, values);
    }

    public static List<HasMetadata> render(Path chart, String release, String namespace, Map<String, String> values) {
        TemplateCommand template = helm(chart).template().withName(release).withNamespace(namespace);
        for (Map.Entry<String, String> value : values.entrySet()) {
            template = template.set(value.getKey(), value.getValue());
        }
        return parse(template.call());
    }

    /** `helm install`: the chart's CRDs (unless present), then its objects; waits until its Deployments are Available. */
    public static void install(Path kubeconfig, String release, String namespace, Map<String, String> values) {
        install(DIR, kubeconfig, release, namespace, values);
    }

    public static void install(
            Path chart, Path kubeconfig, String release, String namespace, Map<String, String> values) {
        InstallCommand install = helm(chart)
                .install()
                .withName(release)
                .withNamespace(namespace)
                .withKubeConfig(kubeconfig)
                .waitReady()
                .withTimeout(120);
        for (Map.Entry<String, String> value : values.entrySet()) {
            install = install.set(value.getKey(), value.getValue());
        }
        install.call();
    }

    /** `helm upgrade` of an installed release with these values (the others back to the chart's defaults). */
    public static void upgrade(Path kubeconfig, String release, String namespace, Map<String, String> values) {
        upgrade(DIR, kubeconfig, release, namespace, values);
    }

    public static void upgrade(
            Path chart, Path kubeconfig, String release, String namespace, Map<String, String> values) {
        upgrading(chart, kubeconfig, release, namespace, values)
                .waitReady()
                .withTimeout(120)
                .call();
    }

    /** `helm upgrade` that returns once the objects are applied, without waiting for their rollout. */
    public static void upgradeNoWait(
            Path chart, Path kubeconfig, String release, String namespace, Map<String, String> values) {
        upgrading(chart, kubeconfig, release, namespace, values).call();
    }

    private static UpgradeCommand upgrading(
            Path chart, Path kubeconfig, String release, String namespace, Map<String, String> values) {
        UpgradeCommand upgrade =
                helm(chart).upgrade().withName(release).withNamespace(namespace).withKubeConfig(kubeconfig);
        for (Map.Entry<String, String> value : values.entrySet()) {
            upgrade = upgrade.set(value.getKey(), value.getValue());
        }
        return upgrade;
    }

    /** `helm uninstall`; nothing happens for a release that is not installed. */
    public static void uninstall(Path kubeconfig, String release, String namespace) {
        Helm.uninstall(release)
                .withNamespace(namespace)
                .withKubeConfig(kubeconfig)
                .ignoreNotFound()
                .call();
    }

    /** Every object of a multi-document YAML stream; documents holding only comments are skipped. */
    public static List<HasMetadata> parse(String yaml) {
        return Arrays.stream(yaml.split("(?m)^---\\s*$"))
                .filter(document -> document.lines().anyMatch(line -> line.startsWith("kind:")))
                .map(document -> (HasMetadata) SERIALIZATION.unmarshal(document))
                .toList();
    }

    /** The one object of this kind and name. */
    public static <T extends HasMetadata> T find(List<HasMetadata> objects, Class<T> type, String name) {
        return lookup(objects, type, name)
                .orElseThrow(() -> new AssertionError("no " + type.getSimpleName() + " " + name + " among "
                        + objects.stream()
                                .map(o -> o.getKind() + "/" + o.getMetadata().getName())
                                .toList()));
    }

    public static <T extends HasMetadata> Optional<T> lookup(List<HasMetadata> objects, Class<T> type, String name) {
        return objects.stream()
                .filter(type::isInstance)
                .map(type::cast)
                .filter(o -> o.getMetadata().getName().equals(name))
                .findFirst();
    }

    public static <T extends HasMetadata> List<T> all(List<HasMetadata> objects, Class<T> type) {
        return objects.stream().filter(type::isInstance).map(type::cast).toList();
    }
}
