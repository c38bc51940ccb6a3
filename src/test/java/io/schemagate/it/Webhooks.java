package io.schemagate.it;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.MutatingWebhookConfiguration;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.MutatingWebhookConfigurationBuilder;
import io.schemagate.api.DatabaseMigration;
import io.schemagate.gate.Gating;
import java.io.IOException;
import java.net.ServerSocket;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

/** The webhook registration a cluster install carries, pointed at a URL as the bed needs; how a test reaches it. */
public final class Webhooks {
    private Webhooks() {}

    /** Both webhooks, pods' and DatabaseMigrations', of the operator listening at this base URL. */
    public static MutatingWebhookConfiguration configuration(String name, String base, String failurePolicy) {
        return new MutatingWebhookConfigurationBuilder(pods(name, base + "/mutate/pods", failurePolicy))
                .addNewWebhook()
                .withName("databasemigrations.schemagate.io")
                .withAdmissionReviewVersions("v1")
                .withSideEffects("None")
                .withFailurePolicy(failurePolicy)
                .withTimeoutSeconds(5)
                .withNewClientConfig()
                .withUrl(base + "/mutate/databasemigrations")
                .endClientConfig()
                .addNewRule()
                .withApiGroups("schemagate.io")
                .withApiVersions(HasMetadata.getVersion(DatabaseMigration.class))
                .withResources("databasemigrations")
                .withOperations("CREATE", "UPDATE")
                .withScope("Namespaced")
                .endRule()
                .endWebhook()
                .build();
    }

    /** The pods' webhook alone, pointed at this URL. */
    public static MutatingWebhookConfiguration pods(String name, String url, String failurePolicy) {
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

    /** The webhook's certificate is the operator's own, made at its start: a test trusts it unseen. */
    public static SSLContext trustingEveryone() {
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(
                    null,
                    new TrustManager[] {
                        new X509TrustManager() {
                            @Override
                            public void checkClientTrusted(X509Certificate[] chain, String authType) {}

                            @Override
                            public void checkServerTrusted(X509Certificate[] chain, String authType) {}

                            @Override
                            public X509Certificate[] getAcceptedIssuers() {
                                return new X509Certificate[0];
                            }
                        }
                    },
                    new SecureRandom());
            return context;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    public static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
