package io.schemagate.it;

import io.fabric8.kubernetes.api.model.admissionregistration.v1.MutatingWebhookConfiguration;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.MutatingWebhookConfigurationBuilder;
import io.schemagate.gate.Gating;

/** The webhook registration a cluster install carries, pointed at a URL as the bed needs. */
public final class Webhooks {
    private Webhooks() {}

    public static MutatingWebhookConfiguration configuration(String name, String url, String failurePolicy) {
        return new MutatingWebhookConfigurationBuilder()
                .withNewMetadata()
                .withName(name)
                .endMetadata()
                .addNewWebhook()
                .withName("pods.schemagate.io")
                .withAdmissionReviewVersions("v1")
                .withSideEffects("None")
                .withFailurePolicy(failurePolicy)
                .withTimeoutSeconds(5)
                .withNewClientConfig()
                .withUrl(url)
                .endClientConfig()
                .withNewObjectSelector()
                .addNewMatchExpression()
                .withKey(Gating.MIGRATION_LABEL)
                .withOperator("Exists")
                .endMatchExpression()
                .endObjectSelector()
                .addNewRule()
                .withApiGroups("")
                .withApiVersions("v1")
                .withResources("pods")
                .withOperations("CREATE")
                .withScope("Namespaced")
                .endRule()
                .endWebhook()
                .build();
    }
}
