package io.schemagate.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.RoleBindingBuilder;
import io.fabric8.kubernetes.api.model.rbac.Subject;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.schemagate.packaging.Chart;
import io.schemagate.packaging.Grant;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The chart's user roles on the bed, created as the chart renders them and folded by the API
 * server's own aggregation controller into the built-in view, edit and admin roles; deleted on close.
 */
final class UserRoles implements AutoCloseable {
    private final KubernetesClient admin;
    private final List<ClusterRole> roles;

    private UserRoles(KubernetesClient admin, List<ClusterRole> roles) {
        this.admin = admin;
        this.roles = roles;
    }

    /** Creates the roles and waits until the built-in roles aggregate each kind of grant. */
    static UserRoles install(KubernetesClient admin, String namespace) {
        List<ClusterRole> roles = Chart.all(Chart.render(namespace, namespace, Map.of()), ClusterRole.class).stream()
                .filter(Grant::aggregated)
                .toList();
        roles.forEach(role -> admin.resource(role).create());
        UserRoles installed = new UserRoles(admin, roles);
        installed.awaitAggregated("view", "list");
        installed.awaitAggregated("edit", "create");
        installed.awaitAggregated("admin", "delete");
        installed.awaitAggregated("admin", "approve");
        return installed;
    }

    List<ClusterRole> roles() {
        return roles;
    }

    /** The name of the role the chart names {@code <release>-<suffix>} (view, edit, approve). */
    String named(String suffix) {
        return roles.stream()
                .map(role -> role.getMetadata().getName())
                .filter(name -> name.endsWith("-" + suffix))
                .findFirst()
                .orElseThrow();
    }

    private void awaitAggregated(String builtIn, String verb) {
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

    /** Binds the subject to a ClusterRole in one namespace. */
    static void bind(KubernetesClient admin, String namespace, Subject subject, String clusterRole) {
        admin.rbac()
                .roleBindings()
                .inNamespace(namespace)
                .resource(new RoleBindingBuilder()
                        .withNewMetadata()
                        .withName(subject.getName() + "-" + clusterRole)
                        .endMetadata()
                        .withNewRoleRef("rbac.authorization.k8s.io", "ClusterRole", clusterRole)
                        .addToSubjects(subject)
                        .build())
                .create();
    }

    @Override
    public void close() {
        roles.forEach(role -> admin.resource(role).delete());
    }
}
