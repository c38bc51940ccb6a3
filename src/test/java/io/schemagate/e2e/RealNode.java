package io.schemagate.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodSpecBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.schemagate.testbed.TestBed;
import io.schemagate.testbed.TestNamespace;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;

/**
 * The bed's real node: a kubelet with containerd and runc, whose pods are containers. It is tainted;
 * a namespace made here places all its pods on it (the API server's PodNodeSelector and
 * PodTolerationRestriction read its annotations), and enforces Pod Security's {@code restricted}
 * level, as a hardened cluster would.
 */
public final class RealNode {
    private final TestBed bed;

    private RealNode(TestBed bed) {
        this.bed = bed;
    }

    /** The real node of this run's bed; the bed starts one whenever it runs as root. */
    public static RealNode of(TestBed bed) {
        assertThat(bed.env("SCHEMAGATE_TESTBED_NODE"))
                .as("the bed's real node (testbed.sh starts it as root; SCHEMAGATE_TESTBED_REAL_NODE=0 turns it off)")
                .isNotNull();
        return new RealNode(bed);
    }

    public String name() {
        return bed.env("SCHEMAGATE_TESTBED_NODE");
    }

    /** The address the node's pods reach this machine by: the API server, PostgreSQL. */
    public String host() {
        return bed.env("SCHEMAGATE_TESTBED_NODE_HOST");
    }

    /** A JDBC URL of one of the bed's databases as the node's pods reach it. */
    public String jdbcUrl(String database) {
        return "jdbc:postgresql://" + host() + ":" + bed.env("PGPORT") + "/" + database;
    }

    /**
     * A namespace whose pods all run on this node, under Pod Security's {@code restricted} level;
     * deleting it keeps what it held for the suite's leak check.
     */
    public TestNamespace namespace(String name) {
        KubernetesClient client = bed.client();
        client.namespaces()
                .resource(new NamespaceBuilder()
                        .withNewMetadata()
                        .withName(name)
                        .withAnnotations(
                                Map.of(
                                        "scheduler.alpha.kubernetes.io/node-selector",
                                        "schemagate.io/bed-node=real",
                                        "scheduler.alpha.kubernetes.io/defaultTolerations",
                                        "[{\"key\":\"schemagate.io/real-node\",\"operator\":\"Exists\",\"effect\":\"NoSchedule\"}]"))
                        .withLabels(Map.of(
                                "pod-security.kubernetes.io/enforce", "restricted",
                                "pod-security.kubernetes.io/enforce-version", "latest"))
                        .endMetadata()
                        .build())
                .serverSideApply();
        return new TestNamespace(name, client, bed);
    }

    /** A pod of one container of this image, as Pod Security's {@code restricted} level admits it. */
    public static PodSpec restrictedSpec(String image) {
        return new PodSpecBuilder()
                .withNewSecurityContext()
                .withRunAsNonRoot(true)
                .withNewSeccompProfile()
                .withType("RuntimeDefault")
                .endSeccompProfile()
                .endSecurityContext()
                .addNewContainer()
                .withName("app")
                .withImage(image)
                .withNewSecurityContext()
                .withAllowPrivilegeEscalation(false)
                .withNewCapabilities()
                .addToDrop("ALL")
                .endCapabilities()
                .endSecurityContext()
                .endContainer()
                .build();
    }

    /**
     * The most memory a pod's containers used together, from its cgroup on this machine (cgroup v1:
     * memory.max_usage_in_bytes), which stays until the pod is deleted.
     */
    public long peakMemoryBytes(Pod pod) throws IOException {
        String qos = pod.getStatus().getQosClass().toLowerCase(Locale.ROOT);
        Path kubepods = Path.of("/sys/fs/cgroup/memory", bed.env("SCHEMAGATE_TESTBED_NODE_CGROUP"), "kubepods");
        Path podGroup = (qos.equals("guaranteed") ? kubepods : kubepods.resolve(qos))
                .resolve("pod" + pod.getMetadata().getUid());
        return Long.parseLong(
                Files.readString(podGroup.resolve("memory.max_usage_in_bytes")).trim());
    }
}
