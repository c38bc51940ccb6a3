package io.schemagate.packaging;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * One verb on one resource (and name), as RBAC grants it; {@code where} is "watched namespaces",
 * "cluster" or "operator namespace", as in docs/rbac.md.
 */
public record Grant(String where, String apiGroup, String resource, String verb, String name)
        implements Comparable<Grant> {
    public static final String WATCHED = "watched namespaces";
    public static final String CLUSTER = "cluster";
    public static final String OPERATOR = "operator namespace";
    private static final Set<String> CLUSTER_SCOPED =
            Set.of("customresourcedefinitions", "mutatingwebhookconfigurations", "subjectaccessreviews");

    /** The label prefix of ClusterRoles aggregated into Kubernetes's own roles: those are for users. */
    public static final String AGGREGATE_TO = "rbac.authorization.k8s.io/aggregate-to-";

    /**
     * Every grant of the chart's ClusterRoles and Roles for the operator: a Role in the release's
     * namespace named {@code <release>-operator} is the operator namespace's, other Roles serve watched
     * namespaces; ClusterRoles aggregated into Kubernetes's own roles are the users', not the operator's.
     */
    public static Set<Grant> of(List<HasMetadata> objects, String operatorRole) {
        Set<Grant> grants = new TreeSet<>();
        for (ClusterRole role : Chart.all(objects, ClusterRole.class)) {
            if (aggregated(role)) {
                continue;
            }
            for (PolicyRule rule : role.getRules()) {
                explode(rule, null).forEach(grants::add);
            }
        }
        for (Role role : Chart.all(objects, Role.class)) {
            String where = role.getMetadata().getName().equals(operatorRole) ? OPERATOR : WATCHED;
            for (PolicyRule rule : role.getRules()) {
                explode(rule, where).forEach(grants::add);
            }
        }
        return grants;
    }

    public static boolean aggregated(ClusterRole role) {
        return role.getMetadata().getLabels() != null
                && role.getMetadata().getLabels().keySet().stream().anyMatch(key -> key.startsWith(AGGREGATE_TO));
    }

    /** A rule as single grants; {@code where} null: from a ClusterRole, decided by the resource. */
    static Stream<Grant> explode(PolicyRule rule, String where) {
        List<String> names = rule.getResourceNames().isEmpty() ? List.of("") : rule.getResourceNames();
        return rule.getApiGroups().stream()
                .flatMap(group -> rule.getResources().stream()
                        .flatMap(resource -> rule.getVerbs().stream()
                                .flatMap(verb -> names.stream()
                                        .map(name -> new Grant(
                                                where != null
                                                        ? where
                                                        : CLUSTER_SCOPED.contains(resource) ? CLUSTER : WATCHED,
                                                group,
                                                resource,
                                                verb,
                                                name)))));
    }

    @Override
    public int compareTo(Grant other) {
        return toString().compareTo(other.toString());
    }
}
