package io.schemagate.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.schemagate.packaging.Chart;
import io.schemagate.testbed.TestBed;
import io.schemagate.testbed.TestNamespace;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * SchemaGate as users install it, once for the end-to-end tier: {@code helm install} of
 * helm/schemagate with the image {@code make image} built, in its own namespace on the bed's real
 * node, serving the namespaces the scenarios migrate (each under Pod Security {@code restricted}).
 * Uninstalled, and the namespaces deleted, when the test run ends.
 */
public final class InstalledOperator implements BeforeAllCallback {
    public static final String RELEASE = "schemagate";
    public static final String NAMESPACE = "schemagate-e2e";
    /** The namespaces the operator serves (watchNamespaces), each made once. */
    public static final List<String> SERVED =
            List.of("e2e-quickstart", "e2e-sqlx", "e2e-alembic", "e2e-orders", "e2e-images", "e2e-faults");

    private static boolean installed;

    @Override
    public void beforeAll(ExtensionContext context) {
        install(context.getRoot().getStore(ExtensionContext.Namespace.GLOBAL));
    }

    private static synchronized void install(ExtensionContext.Store store) {
        if (installed) {
            return;
        }
        TestBed bed = TestBed.get();
        RealNode node = RealNode.of(bed);
        String image = Images.operator();
        List<TestNamespace> namespaces = new ArrayList<>();
        namespaces.add(node.namespace(NAMESPACE));
        SERVED.forEach(name -> namespaces.add(node.namespace(name)));
        // When the last test of the run is done: nothing of the tier is left for the next tiers.
        store.put(InstalledOperator.class, (ExtensionContext.Store.CloseableResource) () -> {
            Chart.uninstall(bed.kubeconfig(), RELEASE, NAMESPACE);
            namespaces.forEach(TestNamespace::delete);
        });
        Map<String, String> values = new HashMap<>(Map.of(
                "image.repository", image.substring(0, image.lastIndexOf(':')),
                "image.tag", image.substring(image.lastIndexOf(':') + 1)));
        for (int i = 0; i < SERVED.size(); i++) {
            values.put("watchNamespaces[" + i + "]", SERVED.get(i));
        }
        Chart.install(bed.kubeconfig(), RELEASE, NAMESPACE, values);
        installed = true;
        assertThat(operatorPods(bed.client()))
                .as("the operator's replicas, really running on the real node")
                .hasSize(2)
                .allSatisfy(pod -> {
                    assertThat(pod.getSpec().getNodeName()).isEqualTo(node.name());
                    assertThat(pod.getStatus().getPhase()).isEqualTo("Running");
                });
    }

    public static List<Pod> operatorPods(KubernetesClient client) {
        return client.pods()
                .inNamespace(NAMESPACE)
                .withLabel("app.kubernetes.io/name", "schemagate")
                .list()
                .getItems();
    }
}
