package io.schemagate.webhook.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.admissionregistration.v1.MutatingWebhook;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.MutatingWebhookBuilder;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.MutatingWebhookConfiguration;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.MutatingWebhookConfigurationBuilder;
import io.fabric8.kubernetes.client.dsl.NonNamespaceOperation;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.schemagate.testbed.TestBed;
import io.schemagate.testbed.TestNamespace;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The CA bundle reaches every webhook of a real MutatingWebhookConfiguration, and comes back after a
 * reset. The configuration harms nothing: it selects pods by a label no pod has, in the test's
 * namespace only, and ignores failures.
 */
@ExtendWith(TestNamespace.Extension.class)
class CaBundlePublisherIT {
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private WebhookCertificates certificates;
    private String configuration;

    @AfterEach
    void cleanUp() {
        if (certificates != null) {
            certificates.stop();
        }
        if (configuration != null) {
            configurations().withName(configuration).delete();
        }
    }

    @Test
    void theBundleIsPublishedWhenTheConfigurationAppearsAndAgainAfterAReset(TestNamespace ns) {
        configuration = "schemagate-tls-it-" + ns.name();
        // The default check interval (an hour) is far off: what happens here is the informer's doing.
        certificates = new WebhookCertificates(
                TestBed.get().client(),
                ns.name(),
                WebhookSettings.selfManaged().withConfiguration(configuration),
                Clock.systemUTC());
        certificates.start();
        String bundle = Base64.getEncoder()
                .encodeToString(certificates.current().caBundlePem().getBytes(StandardCharsets.UTF_8));

        configurations().resource(harmless(configuration, ns.name())).create();

        await().atMost(TIMEOUT).untilAsserted(() -> assertThat(caBundles()).containsExactly(bundle, bundle));

        configurations()
                .withName(configuration)
                .patch(
                        PatchContext.of(PatchType.JSON),
                        "[{\"op\": \"remove\", \"path\": \"/webhooks/1/clientConfig/caBundle\"}]");

        await().atMost(TIMEOUT).untilAsserted(() -> assertThat(caBundles()).containsExactly(bundle, bundle));
        MutatingWebhook untouched =
                configurations().withName(configuration).get().getWebhooks().get(1);
        assertThat(untouched.getClientConfig().getUrl()).isEqualTo("https://127.0.0.1:9/mutate/pods");
        assertThat(untouched.getFailurePolicy()).isEqualTo("Ignore");
    }

    private List<String> caBundles() {
        return configurations().withName(configuration).get().getWebhooks().stream()
                .map(webhook -> webhook.getClientConfig().getCaBundle())
                .toList();
    }

    private static MutatingWebhookConfiguration harmless(String name, String namespace) {
        return new MutatingWebhookConfigurationBuilder()
                .withNewMetadata()
                .withName(name)
                .endMetadata()
                .withWebhooks(
                        webhook("first.tls-it.schemagate.io", namespace),
                        webhook("second.tls-it.schemagate.io", namespace))
                .build();
    }

    private static MutatingWebhook webhook(String name, String namespace) {
        return new MutatingWebhookBuilder()
                .withName(name)
                .withNewClientConfig()
                .withUrl("https://127.0.0.1:9/mutate/pods")
                .endClientConfig()
                .addNewRule()
                .withOperations("CREATE")
                .withApiGroups("")
                .withApiVersions("v1")
                .withResources("pods")
                .endRule()
                .withNewNamespaceSelector()
                .addToMatchLabels("kubernetes.io/metadata.name", namespace)
                .endNamespaceSelector()
                .withNewObjectSelector()
                .addToMatchLabels("schemagate.io/tls-it", "no-pod-has-this")
                .endObjectSelector()
                .withFailurePolicy("Ignore")
                .withSideEffects("None")
                .withAdmissionReviewVersions("v1")
                .withTimeoutSeconds(1)
                .build();
    }

    private static NonNamespaceOperation<MutatingWebhookConfiguration, ?, Resource<MutatingWebhookConfiguration>>
            configurations() {
        return TestBed.get().client().admissionRegistration().v1().mutatingWebhookConfigurations();
    }
}
