package io.schemagate.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.schemagate.gate.Gating;
import io.schemagate.testbed.TestNamespace;
import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * What the failure policy does while no operator answers: the registration points at a port
 * nothing listens on. Fail refuses opted-in pods (safe), Ignore admits them ungated (available);
 * pods that do not opt in are never sent to the webhook at all.
 */
@ExtendWith(TestNamespace.Extension.class)
class WebhookFailurePolicyIT {
    private static final String WEBHOOK = "schemagate-unavailable";

    private TestNamespace namespace;

    @AfterEach
    void unregister() {
        namespace
                .client()
                .admissionRegistration()
                .v1()
                .mutatingWebhookConfigurations()
                .withName(WEBHOOK)
                .delete();
    }

    @Test
    void failRefusesOptedInPodsWhileTheWebhookIsDown(TestNamespace namespace) throws IOException {
        register(namespace, "Fail");

        assertThatThrownBy(() -> create(GatingIT.pod("opted-in", "orders", Map.of())))
                .isInstanceOf(KubernetesClientException.class)
                .hasMessageContaining("failed calling webhook \"pods.schemagate.io\"");
        assertThat(create(plain("plain")).getSpec().getSchedulingGates()).isNullOrEmpty();
    }

    @Test
    void ignoreAdmitsOptedInPodsUngatedWhileTheWebhookIsDown(TestNamespace namespace) throws IOException {
        // Registered as Fail first: its refusals prove the API server calls the dead endpoint, so
        // the admissions after the switch are Ignore at work, not a registration not yet seen.
        register(namespace, "Fail");
        namespace
                .client()
                .admissionRegistration()
                .v1()
                .mutatingWebhookConfigurations()
                .withName(WEBHOOK)
                .edit(configuration -> {
                    configuration.getWebhooks().get(0).setFailurePolicy("Ignore");
                    return configuration;
                });
        awaitInEffect("Ignore");

        Pod admitted = create(GatingIT.pod("opted-in", "orders", Map.of()));

        assertThat(admitted.getSpec().getSchedulingGates()).isNullOrEmpty();
        assertThat(admitted.getMetadata().getLabels()).doesNotContainKey(Gating.HELD_LABEL);
    }

    private void register(TestNamespace namespace, String failurePolicy) throws IOException {
        this.namespace = namespace;
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        namespace
                .client()
                .admissionRegistration()
                .v1()
                .mutatingWebhookConfigurations()
                .resource(Webhooks.pods(WEBHOOK, "https://127.0.0.1:" + closedPort + "/mutate/pods", failurePolicy))
                .create();
        awaitInEffect(failurePolicy);
    }

    /** The API server reads registrations from its own informer: probe until the policy bites. */
    private void awaitInEffect(String failurePolicy) {
        await(failurePolicy + " in effect")
                .atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(200))
                .until(() -> probeAdmitted() == "Ignore".equals(failurePolicy));
    }

    private boolean probeAdmitted() {
        String probe = "probe-" + System.nanoTime();
        try {
            create(GatingIT.pod(probe, "orders", Map.of()));
            namespace
                    .client()
                    .pods()
                    .inNamespace(namespace.name())
                    .withName(probe)
                    .withGracePeriod(0)
                    .delete();
            return true;
        } catch (KubernetesClientException refused) {
            return false;
        }
    }

    private Pod create(Pod pod) {
        return namespace
                .client()
                .pods()
                .inNamespace(namespace.name())
                .resource(pod)
                .create();
    }

    private static Pod plain(String name) {
        return new PodBuilder()
                .withNewMetadata()
                .withName(name)
                .endMetadata()
                .withNewSpec()
                .addNewContainer()
                .withName("app")
                .withImage("nginx:1.27")
                .endContainer()
                .endSpec()
                .build();
    }
}
