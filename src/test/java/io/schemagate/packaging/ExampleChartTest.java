package io.schemagate.packaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.marcnuri.helm.LintResult;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.schemagate.api.DatabaseMigration;
import io.schemagate.gate.Gating;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The example application chart: its schema dependency is wired to its own Deployment and Secret. */
class ExampleChartTest {
    private static final Map<String, String> VALUES = Map.of(
            "credentials.create",
            "true",
            "credentials.password",
            "secret",
            "schemagate.database.credentialsSecret",
            "shop-orders-db");

    @Test
    void lintsCleanInStrictMode() {
        LintResult lint = Chart.helm(Chart.EXAMPLE).lint().strict().call();

        assertThat(lint.isFailed()).as("%s", lint.getMessages()).isFalse();
        assertThat(lint.getMessages()).noneMatch(m -> m.contains("[WARNING]") || m.contains("[ERROR]"));
    }

    @Test
    void theResourceFollowsTheDeploymentWhosePodsOptIn() {
        List<HasMetadata> objects = Chart.render(Chart.EXAMPLE, "shop", "apps", VALUES);

        DatabaseMigration migration = Chart.find(objects, DatabaseMigration.class, "shop-orders");
        Deployment deployment = Chart.find(objects, Deployment.class, "shop-orders");
        assertThat(migration.getSpec().getSource().getWorkload().getName()).isEqualTo("shop-orders");
        assertThat(migration.getSpec().getSource().getWorkload().getContainer())
                .isEqualTo(deployment
                        .getSpec()
                        .getTemplate()
                        .getSpec()
                        .getContainers()
                        .get(0)
                        .getName());
        assertThat(deployment.getSpec().getTemplate().getMetadata().getLabels())
                .containsEntry(Gating.MIGRATION_LABEL, "shop-orders");
        assertThat(migration.getSpec().getDatabase().getCredentialsSecret().getName())
                .isEqualTo("shop-orders-db");
        assertThat(Chart.find(objects, Secret.class, "shop-orders-db").getStringData())
                .containsEntry("password", "secret");
    }

    @Test
    void byDefaultTheCredentialsComeFromASecretManagedElsewhere() {
        List<HasMetadata> objects = Chart.render(Chart.EXAMPLE, "shop", "apps", Map.of());

        assertThat(Chart.all(objects, Secret.class)).isEmpty();
        assertThat(Chart.find(objects, DatabaseMigration.class, "shop-orders")
                        .getSpec()
                        .getDatabase()
                        .getCredentialsSecret()
                        .getName())
                .isEqualTo("orders-db-credentials");
    }

    @Test
    void aMissingPasswordIsRefusedWithTheReason() {
        assertThatThrownBy(() -> Chart.render(Chart.EXAMPLE, "shop", "apps", Map.of("credentials.create", "true")))
                .hasMessageContaining("credentials.password is required when credentials.create is true");
    }
}
