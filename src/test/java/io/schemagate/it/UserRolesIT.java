package io.schemagate.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.authorization.v1.SubjectAccessReview;
import io.fabric8.kubernetes.api.model.authorization.v1.SubjectAccessReviewBuilder;
import io.fabric8.kubernetes.api.model.rbac.SubjectBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.schemagate.api.DatabaseMigration;
import io.schemagate.testbed.TestNamespace;
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
        try (UserRoles roles = UserRoles.install(admin, namespace.name())) {
            assertThat(roles.roles()).hasSize(3);
            bind(namespace, "viewer", "view");
            bind(namespace, "editor", "edit");
            bind(namespace, "owner", "admin");

            assertThat(allowed(namespace, "viewer", "list")).isTrue();
            assertThat(allowed(namespace, "viewer", "create")).isFalse();
            assertThat(allowed(namespace, "editor", "create")).isTrue();
            assertThat(allowed(namespace, "editor", "patch")).isTrue();
            assertThat(allowed(namespace, "owner", "delete")).isTrue();
            assertThat(allowed(namespace, "owner", "approve")).isTrue();
            assertThat(allowed(namespace, "editor", "approve"))
                    .as("changing a migration is not approving its plan")
                    .isFalse();
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
        }
    }

    private static void bind(TestNamespace namespace, String user, String clusterRole) {
        UserRoles.bind(
                namespace.client(),
                namespace.name(),
                new SubjectBuilder()
                        .withApiGroup("rbac.authorization.k8s.io")
                        .withKind("User")
                        .withName(user)
                        .build(),
                clusterRole);
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
