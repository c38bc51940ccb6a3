package io.schemagate.packaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.admissionregistration.v1.MutatingWebhookConfiguration;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.schemagate.testbed.TestBed;
import io.schemagate.testbed.TestNamespace;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * `helm install` of the chart on the bed, into a fresh namespace. The bed's KWOK node reports the
 * operator's pods Running and Ready without running them, so this checks what Helm and the API
 * server make of the chart, not the operator (ChartRbacIT runs it with the chart's identity).
 */
@ExtendWith(TestNamespace.Extension.class)
class HelmChartIT {
    // Ignore: while installed, this configuration must not hold up other tests' opted-in pods,
    // which nothing answers here. HelmChartTest checks that Fail is the default.
    private static final Map<String, String> VALUES = Map.of("webhook.failurePolicy", "Ignore");

    @Test
    void installsUpgradesWithoutLosingThePatchedCaBundleAndUninstalls(TestNamespace namespace) {
        TestBed bed = TestBed.get();
        KubernetesClient client = bed.client();
        String release = "schemagate-" + namespace.name();
        String ns = namespace.name();

        Chart.install(bed.kubeconfig(), release, ns, VALUES);
        try {
            Deployment deployment = client.apps()
                    .deployments()
                    .inNamespace(ns)
                    .withName(release)
                    .get();
            assertThat(deployment.getStatus().getAvailableReplicas()).isEqualTo(2);
            assertThat(deployment.getStatus().getConditions()).anySatisfy(c -> {
                assertThat(c.getType()).isEqualTo("Available");
                assertThat(c.getStatus()).isEqualTo("True");
            });
            assertThat(client.serviceAccounts()
                            .inNamespace(ns)
                            .withName(release)
                            .get())
                    .isNotNull();
            assertThat(client.rbac().clusterRoles().withName(release).get()).isNotNull();
            assertThat(client.rbac()
                            .clusterRoleBindings()
                            .withName(release)
                            .get()
                            .getSubjects())
                    .singleElement()
                    .satisfies(s -> assertThat(s.getNamespace()).isEqualTo(ns));
            assertThat(client.rbac()
                            .roles()
                            .inNamespace(ns)
                            .withName(release + "-operator")
                            .get())
                    .isNotNull();
            assertThat(client.rbac()
                            .roleBindings()
                            .inNamespace(ns)
                            .withName(release + "-operator")
                            .get())
                    .isNotNull();
            assertThat(client.services()
                            .inNamespace(ns)
                            .withName(release + "-webhook")
                            .get())
                    .isNotNull();
            assertThat(client.services()
                            .inNamespace(ns)
                            .withName(release + "-metrics")
                            .get())
                    .isNotNull();
            assertThat(client.policy()
                            .v1()
                            .podDisruptionBudget()
                            .inNamespace(ns)
                            .withName(release)
                            .get())
                    .isNotNull();
            assertThat(client.apiextensions()
                            .v1()
                            .customResourceDefinitions()
                            .withName("databasemigrations.schemagate.io")
                            .get())
                    .isNotNull();
            Resource<MutatingWebhookConfiguration> webhook = client.admissionRegistration()
                    .v1()
                    .mutatingWebhookConfigurations()
                    .withName(release);
            assertThat(webhook.get().getWebhooks().get(0).getClientConfig().getCaBundle())
                    .isNull();

            // What the operator does with a self-managed certificate: publish its CA.
            String caBundle = Base64.getEncoder().encodeToString("a CA".getBytes(StandardCharsets.UTF_8));
            webhook.patch(
                    PatchContext.of(PatchType.JSON),
                    "[{\"op\":\"add\",\"path\":\"/webhooks/0/clientConfig/caBundle\",\"value\":\"" + caBundle + "\"}]");
            Chart.upgrade(
                    bed.kubeconfig(),
                    release,
                    ns,
                    Map.of("webhook.failurePolicy", "Ignore", "webhook.timeoutSeconds", "7"));

            assertThat(webhook.get().getWebhooks().get(0).getTimeoutSeconds())
                    .as("the upgrade applied")
                    .isEqualTo(7);
            assertThat(webhook.get().getWebhooks().get(0).getClientConfig().getCaBundle())
                    .isEqualTo(caBundle);
        } finally {
            Chart.uninstall(bed.kubeconfig(), release, ns);
        }
        await("cluster-scoped objects removed").atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            assertThat(client.admissionRegistration()
                            .v1()
                            .mutatingWebhookConfigurations()
                            .withName(release)
                            .get())
                    .isNull();
            assertThat(client.rbac().clusterRoles().withName(release).get()).isNull();
            assertThat(client.rbac().clusterRoleBindings().withName(release).get())
                    .isNull();
        });
    }
}
