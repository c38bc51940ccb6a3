package io.schemagate.packaging;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.Role;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** docs/rbac.md lists exactly what the chart grants, in every combination of its switches. */
class RbacDocumentationTest {
    private static final Path DOC = Path.of("docs/rbac.md");
    private static final String RELEASE = "schemagate";

    /** A documented grant and the condition, in the doc's *when* column, under which it exists. */
    record Row(Grant grant, String when) {}

    static Stream<Arguments> switches() {
        return Stream.of(
                Arguments.of(Map.of()),
                Arguments.of(Map.of("webhook.certificates", "cert-manager")),
                Arguments.of(Map.of("webhook.enabled", "false")),
                Arguments.of(Map.of("leaderElection.enabled", "false")),
                Arguments.of(Map.of("webhook.enabled", "false", "leaderElection.enabled", "false")));
    }

    @ParameterizedTest
    @MethodSource("switches")
    void theDocumentedGrantsAreTheRenderedOnes(Map<String, String> values) throws IOException {
        List<HasMetadata> rendered = Chart.render(RELEASE, "schemagate-system", values);

        assertThat(Grant.of(rendered, RELEASE + "-operator")).containsExactlyElementsOf(documented(values));
    }

    @ParameterizedTest
    @MethodSource("switches")
    void watchedNamespacesGetTheSameGrantsFromRolesOfTheirOwn(Map<String, String> values) throws IOException {
        Map<String, String> listed = new HashMap<>(values);
        listed.put("watchNamespaces[0]", "shop");
        listed.put("watchNamespaces[1]", "billing");
        List<HasMetadata> rendered = Chart.render(RELEASE, "schemagate-system", listed);

        for (String namespace : List.of("shop", "billing")) {
            List<HasMetadata> roles = rendered.stream()
                    .filter(o -> o instanceof Role
                            && namespace.equals(o.getMetadata().getNamespace()))
                    .toList();
            assertThat(Grant.of(roles, RELEASE + "-operator"))
                    .as("Role in %s", namespace)
                    .containsExactlyElementsOf(only(documented(values), Grant.WATCHED));
        }
        List<HasMetadata> clusterRoles =
                rendered.stream().filter(ClusterRole.class::isInstance).toList();
        assertThat(Grant.of(clusterRoles, RELEASE + "-operator"))
                .as("ClusterRole")
                .containsExactlyElementsOf(only(documented(values), Grant.CLUSTER));
    }

    private static Set<Grant> only(Set<Grant> grants, String where) {
        return grants.stream().filter(g -> g.where().equals(where)).collect(Collectors.toCollection(TreeSet::new));
    }

    /** The table's rows whose *when* holds for these values, one grant per verb. */
    static Set<Grant> documented(Map<String, String> values) throws IOException {
        return rows().stream()
                .filter(row -> holds(row.when(), values))
                .map(Row::grant)
                .collect(Collectors.toCollection(TreeSet::new));
    }

    /** The operator's table: the rows before the doc's first section, which is about what is not granted. */
    static List<Row> rows() throws IOException {
        return Files.readAllLines(DOC).stream()
                .takeWhile(line -> !line.startsWith("## "))
                .filter(line -> line.startsWith("| ") && !line.startsWith("| where"))
                .flatMap(line -> {
                    String[] cells = Arrays.stream(line.split("\\|", -1))
                            .map(String::trim)
                            .toArray(String[]::new);
                    // cells: "", where, group, resource, verbs, names, when, why, ""
                    String group = cells[2].equals("core") ? "" : cells[2];
                    return Arrays.stream(cells[4].split(",\\s*"))
                            .map(verb -> new Row(new Grant(cells[1], group, cells[3], verb, cells[5]), cells[6]));
                })
                .toList();
    }

    private static boolean holds(String when, Map<String, String> values) {
        Predicate<String> isTrue = key -> !"false".equals(values.get(key));
        return switch (when) {
            case "always" -> true;
            case "webhook.enabled" -> isTrue.test("webhook.enabled");
            case "leaderElection.enabled" -> isTrue.test("leaderElection.enabled");
            case "webhook.certificates=self-managed" ->
                isTrue.test("webhook.enabled") && !"cert-manager".equals(values.get("webhook.certificates"));
            default -> throw new IllegalArgumentException("docs/rbac.md: unknown condition " + when);
        };
    }
}
