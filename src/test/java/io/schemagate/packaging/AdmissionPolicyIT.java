package io.schemagate.packaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingAdmissionPolicyBinding;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.schemagate.api.CommandHistorySpec;
import io.schemagate.api.CommandSpec;
import io.schemagate.api.ConfigMapSource;
import io.schemagate.api.CredentialsSecret;
import io.schemagate.api.DatabaseMigration;
import io.schemagate.api.DatabaseMigrationSpec;
import io.schemagate.api.DatabaseSpec;
import io.schemagate.api.ImageSource;
import io.schemagate.api.SourceSpec;
import io.schemagate.db.Engine;
import io.schemagate.db.HistoryFormat;
import io.schemagate.it.OperatorProcess;
import io.schemagate.testbed.TestNamespace;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The chart's admission policy on a real API server: a DatabaseMigration naming a ServiceAccount or
 * an image the values do not allow is refused by the API server with the policy's message.
 */
@ExtendWith(TestNamespace.Extension.class)
class AdmissionPolicyIT {

    @Test
    void theApiServerRefusesWhatThePolicyDoesNotAllow(TestNamespace ns) {
        KubernetesClient client = ns.client();
        OperatorProcess.installCrd(client);
        List<HasMetadata> policy = Chart.render(
                        ns.name(),
                        ns.name(),
                        Map.of(
                                "admissionPolicy.allowedServiceAccounts[0]", "migrator",
                                "admissionPolicy.allowedImagePrefixes[0]", "registry.example.com/platform/"))
                .stream()
                .filter(object -> object.getKind().startsWith("ValidatingAdmissionPolicy"))
                .toList();
        assertThat(policy).hasSize(2);
        // Bound to this test's namespace only: the other tests' resources are not this policy's business.
        policy.stream()
                .filter(ValidatingAdmissionPolicyBinding.class::isInstance)
                .map(ValidatingAdmissionPolicyBinding.class::cast)
                .forEach(binding -> binding.getSpec()
                        .setMatchResources(
                                new io.fabric8.kubernetes.api.model.admissionregistration.v1.MatchResourcesBuilder()
                                        .withNewNamespaceSelector()
                                        .addToMatchLabels("kubernetes.io/metadata.name", ns.name())
                                        .endNamespaceSelector()
                                        .build()));
        policy.forEach(object -> client.resource(object).create());
        try {
            DatabaseMigration stranger =
                    resource(ns, "stranger", spec -> spec.getJob().setServiceAccountName("cluster-admin-bot"));
            // The API server compiles a new policy in the background: it holds once it refuses.
            await().atMost(Duration.ofSeconds(30)).until(() -> refusal(client, stranger) != null);

            assertThat(refusal(client, stranger).getMessage())
                    .contains("spec.job.serviceAccountName cluster-admin-bot is not allowed by the admission policy")
                    .contains("allowed: default, migrator");
            assertThat(refusal(client, resource(ns, "elsewhere", spec -> command(spec, "docker.io/evil/tool:1"))))
                    .isNotNull()
                    .satisfies(refused -> assertThat(refused.getCode()).isEqualTo(403))
                    .satisfies(refused -> assertThat(refused.getMessage())
                            .contains("spec.command.image docker.io/evil/tool:1 is not allowed")
                            .contains("registry.example.com/platform/"));
            assertThat(refusal(client, resource(ns, "allowed", spec -> {
                        spec.getJob().setServiceAccountName("migrator");
                        command(spec, "registry.example.com/platform/migrate:4");
                    })))
                    .as("what the policy allows is created")
                    .isNull();
            assertThat(refusal(client, resource(ns, "plain", spec -> {})))
                    .as("the default ServiceAccount, any ConfigMap source")
                    .isNull();
        } finally {
            policy.forEach(object -> client.resource(object).delete());
        }
    }

    /** The API server's refusal of a server-side dry run of the resource; null when it would be created. */
    private static KubernetesClientException refusal(KubernetesClient client, DatabaseMigration resource) {
        return catchThrowableOfType(
                KubernetesClientException.class,
                () -> client.resource(resource).dryRun().create());
    }

    /** The command engine, its tool from this image, its scripts in an image the policy allows. */
    private static void command(DatabaseMigrationSpec spec, String image) {
        ImageSource scripts = new ImageSource();
        scripts.setRef("registry.example.com/platform/orders:1.4.0");
        spec.getSource().setConfigMaps(null);
        spec.getSource().setImage(scripts);
        CommandSpec command = new CommandSpec();
        command.setImage(image);
        command.setArgs(List.of("up"));
        command.setHistory(new CommandHistorySpec());
        command.getHistory().setFormat(HistoryFormat.golangMigrate);
        spec.setEngine(Engine.command);
        spec.setCommand(command);
    }

    private static DatabaseMigration resource(
            TestNamespace ns, String name, Consumer<DatabaseMigrationSpec> customize) {
        DatabaseSpec database = new DatabaseSpec();
        database.setUrl("jdbc:postgresql://db.invalid:5432/app");
        CredentialsSecret credentials = new CredentialsSecret();
        credentials.setName("db-credentials");
        database.setCredentialsSecret(credentials);
        SourceSpec source = new SourceSpec();
        source.setConfigMaps(List.of(new ConfigMapSource("migrations")));
        DatabaseMigrationSpec spec = new DatabaseMigrationSpec();
        spec.setDatabase(database);
        spec.setSource(source);
        customize.accept(spec);
        DatabaseMigration resource = new DatabaseMigration();
        resource.getMetadata().setName(name);
        resource.getMetadata().setNamespace(ns.name());
        resource.setSpec(spec);
        return resource;
    }
}
