package io.schemagate.packaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.marcnuri.helm.LintResult;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.MutatingWebhook;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.MutatingWebhookConfiguration;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.schemagate.api.DatabaseMigration;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The operator's chart, linted and rendered by a real Helm. */
class HelmChartTest {
    private static final String NAMESPACE = "schemagate-system";

    @Test
    void lintsCleanInStrictMode() {
        LintResult lint = Chart.helm().lint().strict().call();

        assertThat(lint.isFailed()).as("%s", lint.getMessages()).isFalse();
        assertThat(lint.getMessages()).noneMatch(m -> m.contains("[WARNING]") || m.contains("[ERROR]"));
    }

    @Test
    void theChartsCrdIsTheGeneratedOne() throws Exception {
        String crd = "databasemigrations.schemagate.io-v1.yml";

        assertThat(Files.readString(Chart.DIR.resolve("crds").resolve(crd)))
                .as("helm/schemagate/crds is stale: run `make crds`")
                .isEqualTo(Files.readString(Path.of("crds").resolve(crd)));
    }

    @Test
    void installsTheProjectsVersionByDefault() throws Exception {
        String version = System.getProperty("schemagate.app.version");

        assertThat(Files.readString(Chart.DIR.resolve("Chart.yaml"))).contains("appVersion: \"" + version + "\"");
        assertThat(operator(render(Map.of())).getImage()).isEqualTo("schemagate/schemagate:" + version);
    }

    @Test
    void theWebhookSelectsOptedInPodCreationsAndLeavesTheCaBundleAlone() {
        MutatingWebhook webhook = webhook(render(Map.of()));

        assertThat(webhook.getFailurePolicy()).isEqualTo("Fail");
        assertThat(webhook.getSideEffects()).isEqualTo("None");
        assertThat(webhook.getAdmissionReviewVersions()).containsExactly("v1");
        assertThat(webhook.getTimeoutSeconds()).isBetween(1, 10);
        assertThat(webhook.getObjectSelector().getMatchExpressions())
                .singleElement()
                .satisfies(e -> {
                    assertThat(e.getKey()).isEqualTo("schemagate.io/migration");
                    assertThat(e.getOperator()).isEqualTo("Exists");
                });
        assertThat(webhook.getNamespaceSelector()).isNull();
        assertThat(webhook.getRules()).singleElement().satisfies(rule -> {
            assertThat(rule.getOperations()).containsExactly("CREATE");
            assertThat(rule.getResources()).containsExactly("pods");
            assertThat(rule.getApiGroups()).containsExactly("");
        });
        assertThat(webhook.getClientConfig().getCaBundle()).isNull();
        assertThat(webhook.getClientConfig().getService().getName()).isEqualTo("schemagate-webhook");
        assertThat(webhook.getClientConfig().getService().getNamespace()).isEqualTo(NAMESPACE);
        assertThat(webhook.getClientConfig().getService().getPath()).isEqualTo("/mutate/pods");
        assertThat(webhook.getClientConfig().getService().getPort()).isEqualTo(443);
    }

    /** Approvals: every create and change of a DatabaseMigration, not of its status, in the listed namespaces. */
    @Test
    void theSecondWebhookSeesDatabaseMigrationsCreatedAndChanged() {
        MutatingWebhook webhook = Chart.all(
                        render(Map.of("watchNamespaces[0]", "shop", "webhook.failurePolicy", "Ignore")),
                        MutatingWebhookConfiguration.class)
                .get(0)
                .getWebhooks()
                .get(1);

        assertThat(webhook.getName()).isEqualTo("databasemigrations.schemagate.io");
        assertThat(webhook.getFailurePolicy()).isEqualTo("Ignore");
        assertThat(webhook.getSideEffects()).isEqualTo("None");
        assertThat(webhook.getObjectSelector()).isNull();
        assertThat(webhook.getNamespaceSelector().getMatchExpressions())
                .singleElement()
                .satisfies(e -> assertThat(e.getValues()).containsExactly("shop"));
        assertThat(webhook.getRules()).singleElement().satisfies(rule -> {
            assertThat(rule.getOperations()).containsExactly("CREATE", "UPDATE");
            assertThat(rule.getResources()).containsExactly("databasemigrations");
            assertThat(rule.getApiGroups()).containsExactly("schemagate.io");
            assertThat(rule.getApiVersions()).containsExactly(HasMetadata.getVersion(DatabaseMigration.class));
        });
        assertThat(webhook.getClientConfig().getService().getPath()).isEqualTo("/mutate/databasemigrations");
    }

    @Test
    void theFailurePolicyIsAValue() {
        assertThat(webhook(render(Map.of("webhook.failurePolicy", "Ignore"))).getFailurePolicy())
                .isEqualTo("Ignore");
    }

    @Test
    void theOperatorIsToldTheNamesTheChartGaveItsWebhookObjects() {
        List<HasMetadata> objects = Chart.render("shop", NAMESPACE, Map.of());
        Map<String, String> env = env(operator(objects));

        assertThat(env)
                .containsEntry("SCHEMAGATE_WEBHOOK_ENABLED", "true")
                .containsEntry("SCHEMAGATE_WEBHOOK_PORT", "8443")
                .containsEntry("SCHEMAGATE_WEBHOOK_CERTIFICATES", "self-managed")
                .containsEntry("SCHEMAGATE_WEBHOOK_CONFIGURATION", "shop-schemagate")
                .containsEntry("SCHEMAGATE_WEBHOOK_SERVICE", "shop-schemagate-webhook")
                .containsEntry("SCHEMAGATE_WEBHOOK_SECRET", "shop-schemagate-webhook-tls");
        Chart.find(objects, MutatingWebhookConfiguration.class, "shop-schemagate");
        Service service = Chart.find(objects, Service.class, "shop-schemagate-webhook");
        assertThat(service.getSpec().getPorts()).singleElement().satisfies(port -> {
            assertThat(port.getPort()).isEqualTo(443);
            assertThat(port.getTargetPort().getStrVal()).isEqualTo("webhook");
        });
        assertThat(operator(objects).getPorts()).anySatisfy(port -> {
            assertThat(port.getName()).isEqualTo("webhook");
            assertThat(port.getContainerPort()).isEqualTo(8443);
        });
    }

    @Test
    void leaderElectionIsOnWithTwoReplicasAndCanBeTurnedOff() {
        List<HasMetadata> on = render(Map.of());
        assertThat(Chart.find(on, Deployment.class, "schemagate").getSpec().getReplicas())
                .isEqualTo(2);
        assertThat(env(operator(on)))
                .containsEntry("SCHEMAGATE_LEADER_ELECTION_ENABLED", "true")
                .containsEntry("SCHEMAGATE_LEADER_ELECTION_LEASE_NAME", "schemagate-operator");
        assertThat(Chart.find(on, Role.class, "schemagate-operator").getRules())
                .anySatisfy(rule -> assertThat(rule.getResources()).containsExactly("leases"));

        List<HasMetadata> off = render(Map.of("leaderElection.enabled", "false"));
        assertThat(env(operator(off))).containsEntry("SCHEMAGATE_LEADER_ELECTION_ENABLED", "false");
        assertThat(Chart.find(off, Role.class, "schemagate-operator").getRules())
                .noneSatisfy(rule -> assertThat(rule.getResources()).contains("leases"));
    }

    @Test
    void listedNamespacesGetRolesAndTheOperatorAndWebhookStayInThem() {
        List<HasMetadata> objects = render(Map.of("watchNamespaces[0]", "shop", "watchNamespaces[1]", "billing"));

        assertThat(Chart.all(objects, Role.class).stream()
                        .filter(r -> r.getMetadata().getName().equals("schemagate"))
                        .map(r -> r.getMetadata().getNamespace()))
                .containsExactlyInAnyOrder("shop", "billing");
        assertThat(Chart.all(objects, RoleBinding.class).stream()
                        .filter(b -> b.getMetadata().getName().equals("schemagate")))
                .allSatisfy(binding -> assertThat(binding.getSubjects())
                        .singleElement()
                        .satisfies(subject -> {
                            assertThat(subject.getName()).isEqualTo("schemagate");
                            assertThat(subject.getNamespace()).isEqualTo(NAMESPACE);
                        }))
                .hasSize(2);
        assertThat(env(operator(objects))).containsEntry("QUARKUS_OPERATOR_SDK_NAMESPACES", "shop,billing");
        assertThat(webhook(objects).getNamespaceSelector().getMatchExpressions())
                .singleElement()
                .satisfies(e -> {
                    assertThat(e.getKey()).isEqualTo("kubernetes.io/metadata.name");
                    assertThat(e.getOperator()).isEqualTo("In");
                    assertThat(e.getValues()).containsExactly("shop", "billing");
                });
        assertThat(env(operator(render(Map.of())))).doesNotContainKey("QUARKUS_OPERATOR_SDK_NAMESPACES");
    }

    @Test
    void certManagerIssuesTheCertificateMountsItAndInjectsTheCa() {
        List<HasMetadata> objects = render(Map.of("webhook.certificates", "cert-manager"));

        assertThat(Chart.find(objects, MutatingWebhookConfiguration.class, "schemagate")
                        .getMetadata()
                        .getAnnotations())
                .containsEntry("cert-manager.io/inject-ca-from", NAMESPACE + "/schemagate-ca");
        GenericKubernetesResource certificate =
                Chart.find(objects, GenericKubernetesResource.class, "schemagate-webhook");
        assertThat(certificate.getKind()).isEqualTo("Certificate");
        assertThat(certificate.get("spec", "secretName").toString()).isEqualTo("schemagate-webhook-tls");
        assertThat(certificate.get("spec", "dnsNames").toString()).contains("schemagate-webhook." + NAMESPACE + ".svc");
        assertThat(certificate.get("spec", "issuerRef", "name").toString()).isEqualTo("schemagate-ca");
        Object isCa = Chart.find(objects, GenericKubernetesResource.class, "schemagate-ca")
                .get("spec", "isCA");
        assertThat(isCa).isEqualTo(true);
        assertThat(Chart.all(objects, GenericKubernetesResource.class))
                .extracting(r -> r.getKind() + "/" + r.getMetadata().getName())
                .containsExactlyInAnyOrder(
                        "Issuer/schemagate-selfsigned",
                        "Certificate/schemagate-ca",
                        "Issuer/schemagate-ca",
                        "Certificate/schemagate-webhook");

        Container operator = operator(objects);
        assertThat(env(operator))
                .containsEntry("SCHEMAGATE_WEBHOOK_CERTIFICATES", "files")
                .containsEntry("SCHEMAGATE_WEBHOOK_CERTIFICATE_DIR", "/etc/schemagate/webhook-tls")
                .doesNotContainKey("SCHEMAGATE_WEBHOOK_SECRET");
        assertThat(operator.getVolumeMounts()).anySatisfy(mount -> {
            assertThat(mount.getMountPath()).isEqualTo("/etc/schemagate/webhook-tls");
            assertThat(mount.getReadOnly()).isTrue();
        });
        assertThat(pod(objects).getVolumes())
                .filteredOn(volume -> volume.getSecret() != null)
                .singleElement()
                .satisfies(
                        volume -> assertThat(volume.getSecret().getSecretName()).isEqualTo("schemagate-webhook-tls"));
        assertThat(render(Map.of())).noneMatch(GenericKubernetesResource.class::isInstance);
    }

    @Test
    void withoutTheWebhookNothingOfItIsRendered() {
        List<HasMetadata> objects = render(Map.of("webhook.enabled", "false"));

        assertThat(Chart.all(objects, MutatingWebhookConfiguration.class)).isEmpty();
        assertThat(Chart.lookup(objects, Service.class, "schemagate-webhook")).isEmpty();
        assertThat(env(operator(objects)))
                .containsEntry("SCHEMAGATE_WEBHOOK_ENABLED", "false")
                .doesNotContainKeys("SCHEMAGATE_WEBHOOK_CERTIFICATES", "SCHEMAGATE_WEBHOOK_SECRET");
        assertThat(operator(objects).getPorts()).extracting(p -> p.getName()).containsExactly("http");
    }

    @Test
    void theOperatorRunsRestrictedWithProbesOnQuarkusHealth() {
        List<HasMetadata> objects = render(Map.of());
        PodSpec pod = pod(objects);
        Container operator = operator(objects);

        assertThat(pod.getSecurityContext().getRunAsNonRoot()).isTrue();
        assertThat(pod.getSecurityContext().getSeccompProfile().getType()).isEqualTo("RuntimeDefault");
        assertThat(operator.getSecurityContext().getReadOnlyRootFilesystem()).isTrue();
        assertThat(operator.getSecurityContext().getAllowPrivilegeEscalation()).isFalse();
        assertThat(operator.getSecurityContext().getCapabilities().getDrop()).containsExactly("ALL");
        assertThat(operator.getVolumeMounts())
                .anySatisfy(m -> assertThat(m.getMountPath()).isEqualTo("/tmp"));
        assertThat(operator.getEnv()).anySatisfy(env -> {
            assertThat(env.getName()).isEqualTo("POD_NAMESPACE");
            assertThat(env.getValueFrom().getFieldRef().getFieldPath()).isEqualTo("metadata.namespace");
        });
        assertThat(operator.getLivenessProbe().getHttpGet().getPath()).isEqualTo("/q/health/live");
        assertThat(operator.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/q/health/ready");
        assertThat(operator.getStartupProbe().getHttpGet().getPath()).isEqualTo("/q/health/started");
        assertThat(operator.getResources().getLimits()).containsKey("memory");
        assertThat(pod.getServiceAccountName()).isEqualTo("schemagate");
        assertThat(Chart.find(objects, PodDisruptionBudget.class, "schemagate")
                        .getSpec()
                        .getMinAvailable()
                        .getIntVal())
                .isEqualTo(1);
        assertThat(Chart.lookup(render(Map.of("replicas", "1")), PodDisruptionBudget.class, "schemagate"))
                .isEmpty();
    }

    @Test
    void theRunnerImageIsTheOperatorsUnlessSet() {
        Map<String, String> own =
                env(operator(render(Map.of("image.repository", "registry.example/sg", "image.tag", "1.2.3"))));
        assertThat(own).containsEntry("SCHEMAGATE_RUNNER_IMAGE", "registry.example/sg:1.2.3");

        Map<String, String> other = env(operator(render(Map.of("runner.image", "registry.example/runner:9"))));
        assertThat(other).containsEntry("SCHEMAGATE_RUNNER_IMAGE", "registry.example/runner:9");
    }

    @Test
    void metricsHaveAServiceAndAServiceMonitorOnlyOnRequest() {
        List<HasMetadata> objects = render(Map.of("metrics.serviceMonitor.enabled", "true"));

        Service metrics = Chart.find(objects, Service.class, "schemagate-metrics");
        assertThat(metrics.getSpec().getPorts()).singleElement().satisfies(port -> {
            assertThat(port.getName()).isEqualTo("http-metrics");
            assertThat(port.getPort()).isEqualTo(8080);
        });
        GenericKubernetesResource monitor = Chart.find(objects, GenericKubernetesResource.class, "schemagate");
        assertThat(monitor.getKind()).isEqualTo("ServiceMonitor");
        assertThat(monitor.get("spec", "endpoints", 0, "path").toString()).isEqualTo("/q/metrics");
        assertThat(monitor.get("spec", "endpoints", 0, "port").toString()).isEqualTo("http-metrics");
        assertThat(render(Map.of())).noneMatch(o -> o.getKind().equals("ServiceMonitor"));
    }

    @Test
    void theSchemaRefusesUnknownAndInvalidValues() {
        assertThatThrownBy(() -> render(Map.of("webhook.failurePolicy", "Sometimes")))
                .hasMessageContaining("failurePolicy");
        assertThatThrownBy(() -> render(Map.of("webhook.certificates", "vault")))
                .hasMessageContaining("certificates");
        assertThatThrownBy(() -> render(Map.of("webhook.failurPolicy", "Ignore")))
                .hasMessageContaining("failurPolicy");
        assertThatThrownBy(() -> render(Map.of("replica", "3"))).hasMessageContaining("replica");
        assertThatThrownBy(() -> render(Map.of("watchNamespaces[0]", "Not_A_Namespace")))
                .hasMessageContaining("watchNamespaces");
    }

    private static List<HasMetadata> render(Map<String, String> values) {
        return Chart.render("schemagate", NAMESPACE, values);
    }

    private static MutatingWebhook webhook(List<HasMetadata> objects) {
        return Chart.all(objects, MutatingWebhookConfiguration.class)
                .get(0)
                .getWebhooks()
                .get(0);
    }

    private static PodSpec pod(List<HasMetadata> objects) {
        return Chart.all(objects, Deployment.class)
                .get(0)
                .getSpec()
                .getTemplate()
                .getSpec();
    }

    private static Container operator(List<HasMetadata> objects) {
        return pod(objects).getContainers().get(0);
    }

    /** The container's plain values (those from the downward API apart). */
    private static Map<String, String> env(Container container) {
        return container.getEnv().stream()
                .filter(e -> e.getValue() != null)
                .collect(Collectors.toMap(EnvVar::getName, EnvVar::getValue));
    }
}
