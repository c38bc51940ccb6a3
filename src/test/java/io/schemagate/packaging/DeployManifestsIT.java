package io.schemagate.packaging;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.schemagate.testbed.TestBed;
import org.junit.jupiter.api.Test;

/** `kubectl apply -k deploy/` as the README says, with the bed's real kubectl, as a server-side dry run. */
class DeployManifestsIT {
    private static final String NAMESPACE = "schemagate-system";

    @Test
    void theApiServerAcceptsEveryObject() throws Exception {
        TestBed bed = TestBed.get();
        KubernetesClient client = bed.client();
        // A dry run creates nothing, the namespace neither: the objects in it would be refused.
        boolean created = client.namespaces().withName(NAMESPACE).get() == null;
        if (created) {
            client.namespaces()
                    .resource(new NamespaceBuilder()
                            .withNewMetadata()
                            .withName(NAMESPACE)
                            .endMetadata()
                            .build())
                    .create();
        }
        try {
            // --force-conflicts: other tests applied the CRD on this bed with their own client, a
            // field manager a fresh cluster does not have.
            TestBed.CommandResult apply =
                    bed.runKubectl("apply", "--server-side", "--force-conflicts", "--dry-run=server", "-k", "deploy/");

            assertThat(apply.exitCode()).as(apply.output()).isZero();
            assertThat(apply.output().lines().filter(line -> line.endsWith("serverside-applied (server dry run)")))
                    .as(apply.output())
                    .anyMatch(line -> line.startsWith("namespace/" + NAMESPACE + " "))
                    .anyMatch(line -> line.startsWith(
                            "customresourcedefinition.apiextensions.k8s.io/databasemigrations.schemagate.io "))
                    .anyMatch(line -> line.startsWith("serviceaccount/schemagate "))
                    .anyMatch(line -> line.startsWith("clusterrole.rbac.authorization.k8s.io/schemagate "))
                    .anyMatch(line -> line.startsWith("clusterrolebinding.rbac.authorization.k8s.io/schemagate "))
                    .anyMatch(line -> line.startsWith("clusterrole.rbac.authorization.k8s.io/schemagate-view "))
                    .anyMatch(line -> line.startsWith("clusterrole.rbac.authorization.k8s.io/schemagate-edit "))
                    .anyMatch(line -> line.startsWith("clusterrole.rbac.authorization.k8s.io/schemagate-approve "))
                    .anyMatch(line -> line.startsWith(
                            "validatingadmissionpolicy.admissionregistration.k8s.io/schemagate-migrations "))
                    .anyMatch(line -> line.startsWith(
                            "validatingadmissionpolicybinding.admissionregistration.k8s.io/schemagate-migrations "))
                    .anyMatch(line -> line.startsWith("role.rbac.authorization.k8s.io/schemagate-operator "))
                    .anyMatch(line -> line.startsWith("rolebinding.rbac.authorization.k8s.io/schemagate-operator "))
                    .anyMatch(line -> line.startsWith("deployment.apps/schemagate "))
                    .anyMatch(line -> line.startsWith("service/schemagate-webhook "))
                    .anyMatch(line -> line.startsWith("service/schemagate-metrics "))
                    .anyMatch(line -> line.startsWith("poddisruptionbudget.policy/schemagate "))
                    .anyMatch(line ->
                            line.startsWith("mutatingwebhookconfiguration.admissionregistration.k8s.io/schemagate "))
                    .hasSize(17);
            assertThat(client.apps()
                            .deployments()
                            .inNamespace(NAMESPACE)
                            .withName("schemagate")
                            .get())
                    .isNull();
        } finally {
            if (created) {
                client.namespaces().withName(NAMESPACE).delete();
            }
        }
    }
}
