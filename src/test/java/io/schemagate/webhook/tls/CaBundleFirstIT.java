package io.schemagate.webhook.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.MutatingWebhookConfiguration;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.MutatingWebhookConfigurationBuilder;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBindingBuilder;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBuilder;
import io.fabric8.kubernetes.api.model.rbac.RoleBindingBuilder;
import io.fabric8.kubernetes.api.model.rbac.RoleBuilder;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.schemagate.testbed.TestBed;
import io.schemagate.testbed.TestNamespace;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A certificate from a CA the webhook configuration does not trust yet is served only once its
 * bundle is published there: until then the API server could not verify it, and every pod the
 * webhook reviews would fail to be created.
 */
@ExtendWith(TestNamespace.Extension.class)
class CaBundleFirstIT {
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    @Test
    void aNewCaIsServedOnlyOnceTheConfigurationTrustsIt(TestNamespace ns) {
        KubernetesClient admin = TestBed.get().client();
        String user = "keeper-" + ns.name();
        String configuration = "schemagate-ca-" + ns.name();
        WebhookSettings settings = WebhookSettings.selfManaged()
                .withConfiguration(configuration)
                .withCheckInterval(Duration.ofMillis(200));
        List<HasMetadata> clusterObjects = new ArrayList<>();
        clusterObjects.add(admin.resource(configuration(configuration)).create());
        clusterObjects.addAll(grant(admin, user, configuration, List.of("get", "list", "watch"), "read"));
        admin.resource(new RoleBuilder()
                        .withNewMetadata()
                        .withName("certificates")
                        .withNamespace(ns.name())
                        .endMetadata()
                        .addNewRule()
                        .withApiGroups("")
                        .withResources("secrets")
                        .withVerbs("get", "create", "update")
                        .endRule()
                        .build())
                .create();
        admin.resource(new RoleBindingBuilder()
                        .withNewMetadata()
                        .withName("certificates")
                        .withNamespace(ns.name())
                        .endMetadata()
                        .withNewRoleRef("rbac.authorization.k8s.io", "Role", "certificates")
                        .addNewSubject("rbac.authorization.k8s.io", "User", user, null)
                        .build())
                .create();
        try (KubernetesClient keeper = new KubernetesClientBuilder()
                .withConfig(new ConfigBuilder(admin.getConfiguration())
                        .withImpersonateUsername(user)
                        .build())
                .build()) {
            WebhookCertificates certificates = new WebhookCertificates(keeper, ns.name(), settings, Clock.systemUTC());
            try {
                certificates.start();
                List<ServingCertificate> announced = new CopyOnWriteArrayList<>();
                ServingCertificate original = certificates.onChange(announced::add);

                // The Secret is lost: the next check makes a new CA and a certificate it signs, and
                // cannot publish the bundle (the keeper may not patch the configuration).
                admin.secrets()
                        .inNamespace(ns.name())
                        .withName(settings.secret())
                        .delete();
                await().atMost(TIMEOUT).until(() -> !caOf(admin, ns, settings).equals(original.caBundlePem()));
                await().during(Duration.ofSeconds(2))
                        .atMost(Duration.ofSeconds(5))
                        .until(announced::isEmpty);
                assertThat(certificates.current()).isEqualTo(original);

                clusterObjects.addAll(grant(admin, user, configuration, List.of("patch"), "publish"));

                await().atMost(TIMEOUT).until(() -> !announced.isEmpty());
                ServingCertificate served = announced.get(0);
                assertThat(served.caBundlePem()).isEqualTo(caOf(admin, ns, settings));
                assertThat(admin.admissionRegistration()
                                .v1()
                                .mutatingWebhookConfigurations()
                                .withName(configuration)
                                .get()
                                .getWebhooks()
                                .get(0)
                                .getClientConfig()
                                .getCaBundle())
                        .isEqualTo(Base64.getEncoder()
                                .encodeToString(served.caBundlePem().getBytes(StandardCharsets.UTF_8)));
            } finally {
                certificates.stop();
            }
        } finally {
            clusterObjects.forEach(object -> admin.resource(object).delete());
        }
    }

    /** A webhook no request reaches: it selects objects by a label nothing carries. */
    private static MutatingWebhookConfiguration configuration(String name) {
        return new MutatingWebhookConfigurationBuilder()
                .withNewMetadata()
                .withName(name)
                .endMetadata()
                .addNewWebhook()
                .withName("pods.schemagate.io")
                .withAdmissionReviewVersions("v1")
                .withSideEffects("None")
                .withFailurePolicy("Ignore")
                .withNewClientConfig()
                .withUrl("https://127.0.0.1:9/mutate/pods")
                .endClientConfig()
                .withNewObjectSelector()
                .addToMatchLabels("schemagate.io/never", "selected")
                .endObjectSelector()
                .addNewRule()
                .withApiGroups("")
                .withApiVersions("v1")
                .withResources("pods")
                .withOperations("CREATE")
                .endRule()
                .endWebhook()
                .build();
    }

    private static List<HasMetadata> grant(
            KubernetesClient admin, String user, String configuration, List<String> verbs, String purpose) {
        String name = user + "-" + purpose;
        HasMetadata role = admin.resource(new ClusterRoleBuilder()
                        .withNewMetadata()
                        .withName(name)
                        .endMetadata()
                        .addNewRule()
                        .withApiGroups("admissionregistration.k8s.io")
                        .withResources("mutatingwebhookconfigurations")
                        .withResourceNames(configuration)
                        .withVerbs(verbs)
                        .endRule()
                        .build())
                .create();
        HasMetadata binding = admin.resource(new ClusterRoleBindingBuilder()
                        .withNewMetadata()
                        .withName(name)
                        .endMetadata()
                        .withNewRoleRef("rbac.authorization.k8s.io", "ClusterRole", name)
                        .addNewSubject("rbac.authorization.k8s.io", "User", user, null)
                        .build())
                .create();
        return List.of(role, binding);
    }

    private static String caOf(KubernetesClient admin, TestNamespace ns, WebhookSettings settings) {
        Secret secret = admin.secrets()
                .inNamespace(ns.name())
                .withName(settings.secret())
                .get();
        return secret == null
                ? ""
                : new String(Base64.getDecoder().decode(secret.getData().get("ca.crt")), StandardCharsets.UTF_8);
    }
}
