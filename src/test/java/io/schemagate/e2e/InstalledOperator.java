package io.schemagate.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.schemagate.packaging.Chart;
import io.schemagate.testbed.TestBed;
import io.schemagate.testbed.TestNamespace;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * SchemaGate as users install it, for one test class: {@code helm install} of helm/schemagate with
 * the image {@code make image} built, in a namespace of its own on the bed's real node, serving the
 * namespaces the class migrates (each under Pod Security {@code restricted}). Uninstalled, and the
 * namespaces deleted, when the class is done, so that nothing of it acts on what later tests make:
 * {@code @RegisterExtension static final InstalledOperator operator = new InstalledOperator(...)}.
 */
public final class InstalledOperator implements BeforeAllCallback, AfterAllCallback {
    public static final String RELEASE = "schemagate";
    private static final Duration GONE = Duration.ofMinutes(2);

    private final String namespace;
    private final List<String> served;
    private final List<TestNamespace> made = new ArrayList<>();

    /**
     * @param name names the operator's namespace, {@code schemagate-<name>}
     * @param served the namespaces the operator serves, made for the class
     */
    public InstalledOperator(String name, List<String> served) {
        this.namespace = "schemagate-" + name;
        this.served = List.copyOf(served);
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        TestBed bed = TestBed.get();
        RealNode node = RealNode.of(bed);
        String image = Images.operator();
        made.add(node.namespace(namespace));
        served.forEach(name -> made.add(node.namespace(name)));
        Map<String, String> values = new HashMap<>(Map.of(
                "image.repository", image.substring(0, image.lastIndexOf(':')),
                "image.tag", image.substring(image.lastIndexOf(':') + 1)));
        for (int i = 0; i < served.size(); i++) {
            values.put("watchNamespaces[" + i + "]", served.get(i));
        }
        Chart.install(bed.kubeconfig(), RELEASE, namespace, values);
        assertThat(pods(bed.client()))
                .as("the operator's replicas, really running on the real node")
                .hasSize(2)
                .allSatisfy(pod -> {
                    assertThat(pod.getSpec().getNodeName()).isEqualTo(node.name());
                    assertThat(pod.getStatus().getPhase()).isEqualTo("Running");
                });
    }

    @Override
    public void afterAll(ExtensionContext context) {
        TestBed bed = TestBed.get();
        Chart.uninstall(bed.kubeconfig(), RELEASE, namespace);
        made.forEach(TestNamespace::delete);
        await("the tier's namespaces gone")
                .atMost(GONE)
                .until(() -> made.stream()
                        .allMatch(made ->
                                bed.client().namespaces().withName(made.name()).get() == null));
        made.clear();
    }

    /** Where the operator runs: its pods, Lease, webhook Service and certificate. */
    public String namespace() {
        return namespace;
    }

    /** The operator's pods, as the chart's Deployment made them. */
    public List<Pod> pods(KubernetesClient client) {
        return client.pods()
                .inNamespace(namespace)
                .withLabel("app.kubernetes.io/name", "schemagate")
                .list()
                .getItems();
    }
}
