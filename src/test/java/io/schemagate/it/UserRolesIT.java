package io.schemagate.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.authorization.v1.SubjectAccessReview;
import io.fabric8.kubernetes.api.model.authorization.v1.SubjectAccessReviewBuilder;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.RoleBindingBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.schemagate.api.DatabaseMigration;
import io.schemagate.packaging.Chart;
import io.schemagate.packaging.Grant;
import io.schemagate.testbed.TestNamespace;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The chart's user roles on a real API server: its own aggregation controller folds them into the
 * built-in view, edit and admin roles, and its authorizer then answers for users bound to those.
 */
@ExtendWith(TestNamespace.Extension.class)
class UserRolesIT {

    @Test
    void usersBoundToTheBuiltInRolesGetWhatTheChartSays(TestNamespace namespace) {
        KubernetesClient admin = namespace.client();
        OperatorProcess.installCrd(admin);
        List<ClusterRole> roles =
                Chart.all(Chart.render(namespace.name(), namespace.name(), Map.of()), ClusterRole.class).stream()
                        .filter(Grant::aggregated)
                        .toList();
        assertThat(roles).hasSize(2);
        roles.forEach(role -> admin.resource(role).create());
        try {
            awaitAggregated(admin, "view", "list");
            awaitAggregated(admin, "edit", "create");
            awaitAggregated(admin, "admin", "delete");
            bind(namespace, "viewer", "view");
            bind(namespace, "editor", "edit");
            bind(namespace, "owner", "admin");

            assertThat(allowed(namespace, "viewer", "list")).isTrue();
            assertThat(allowed(namespace, "viewer", "create")).isFalse();
            assertThat(allowed(namespace, "editor", "create")).isTrue();
            assertThat(allowed(namespace, "editor", "patch")).isTrue();
            assertThat(allowed(namespace, "owner", "delete")).isTrue();
            assertThat(allowed(namespace, "stranger", "get"))
                    .as("bound to nothing")
                    .isFalse();
            assertThat(allowed(namespace, "editor", "create", "default"))
                    .as("a RoleBinding binds in its own namespace only")
                    .isFalse();

            DatabaseMigration resource =
                    Scenario.resourceFor("orders", "jdbc:postgresql://db.invalid:5432/app", "migrations", spec -> {});
            resource.getMetadata().setNamespace(namespace.name());
            try (KubernetesClient viewer = as(admin, "viewer")) {
                assertThatThrownBy(() -> viewer.resource(resource).create())
                        .isInstanceOf(KubernetesClientException.class)
                        .satisfies(e -> assertThat(((KubernetesClientException) e).getCode())
                                .isEqualTo(403));
            }
            try (KubernetesClient editor = as(admin, "editor")) {
                editor.resource(resource).create();
                assertThat(editor.resources(DatabaseMigration.class)
                                .inNamespace(namespace.name())
                                .withName("orders")
                                .get())
                        .isNotNull();
            }
        } finally {
            roles.forEach(role -> admin.resource(role).delete());
        }
    }

    private static void awaitAggregated(KubernetesClient admin, String builtIn, String verb) {
        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(() -> assertThat(admin.rbac()
                                .clusterRoles()
                                .withName(builtIn)
                                .get()
                                .getRules())
                        .as("%s aggregates SchemaGate's %s", builtIn, verb)
                        .anyMatch(rule -> rule.getApiGroups().contains("schemagate.io")
                                && rule.getResources().contains("databasemigrations")
                                && rule.getVerbs().contains(verb)));
    }

    private static void bind(TestNamespace namespace, String user, String clusterRole) {
        namespace
                .client()
                .rbac()
                .roleBindings()
                .inNamespace(namespace.name())
                .resource(new RoleBindingBuilder()
                        .withNewMetadata()
                        .withName(user + "-" + clusterRole)
                        .endMetadata()
                        .withNewRoleRef("rbac.authorization.k8s.io", "ClusterRole", clusterRole)
                        .addNewSubject()
                        .withApiGroup("rbac.authorization.k8s.io")
                        .withKind("User")
                        .withName(user)
                        .endSubject()
                        .build())
                .create();
    }

    private static boolean allowed(TestNamespace namespace, String user, String verb) {
        return allowed(namespace, user, verb, namespace.name());
    }

    /** What the API server's authorizer answers for this user. */
    private static boolean allowed(TestNamespace namespace, String user, String verb, String inNamespace) {
        SubjectAccessReview review = namespace
                .client()
                .authorization()
                .v1()
                .subjectAccessReview()
                .create(new SubjectAccessReviewBuilder()
                        .withNewSpec()
                        .withUser(user)
                        .withNewResourceAttributes()
                        .withGroup("schemagate.io")
                        .withResource("databasemigrations")
                        .withVerb(verb)
                        .withNamespace(inNamespace)
                        .endResourceAttributes()
                        .endSpec()
                        .build());
        return review.getStatus().getAllowed();
    }

    /** The bed's administrator impersonating a user: the request is authorized as that user's. */
    private static KubernetesClient as(KubernetesClient admin, String user) {
        Config config = new ConfigBuilder(admin.getConfiguration())
                .withImpersonateUsername(user)
                .build();
        return new KubernetesClientBuilder().withConfig(config).build();
    }
}
