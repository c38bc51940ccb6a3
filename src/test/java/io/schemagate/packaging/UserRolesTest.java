package io.schemagate.packaging;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The user roles docs/rbac.md lists are those the chart renders, aggregated where it says. */
class UserRolesTest {
    private static final String SECTION = "## Roles for the people who use DatabaseMigrations";

    @Test
    void theDocumentedRolesAreTheRenderedOnes() throws IOException {
        assertThat(rendered(Map.of())).isNotEmpty().isEqualTo(documented());
    }

    @Test
    void switchedOffNoneIsRendered() {
        assertThat(rendered(Map.of("userRoles.enabled", "false"))).isEmpty();
    }

    /** Status is the operator's record of what the database says: no user writes it. */
    @Test
    void statusIsOnlyRead() {
        assertThat(rendered(Map.of()))
                .filteredOn(grant -> grant.contains("| databasemigrations/status |"))
                .isNotEmpty()
                .allMatch(grant -> grant.endsWith("| get") || grant.endsWith("| list") || grant.endsWith("| watch"));
    }

    /** "role | aggregated into | resource | verb", one a verb, from the rendered ClusterRoles. */
    private static Set<String> rendered(Map<String, String> values) {
        Set<String> grants = new TreeSet<>();
        for (ClusterRole role : Chart.all(Chart.render("schemagate", "schemagate-system", values), ClusterRole.class)) {
            if (!Grant.aggregated(role)) {
                continue;
            }
            String into = role.getMetadata().getLabels().entrySet().stream()
                    .filter(label -> label.getKey().startsWith(Grant.AGGREGATE_TO)
                            && label.getValue().equals("true"))
                    .map(label -> label.getKey().substring(Grant.AGGREGATE_TO.length()))
                    .sorted(UserRolesTest::byBuiltInOrder)
                    .collect(Collectors.joining(", "));
            for (PolicyRule rule : role.getRules()) {
                assertThat(rule.getApiGroups()).containsExactly("schemagate.io");
                for (String resource : rule.getResources()) {
                    for (String verb : rule.getVerbs()) {
                        grants.add(String.join(" | ", role.getMetadata().getName(), into, resource, verb));
                    }
                }
            }
        }
        return grants;
    }

    private static Set<String> documented() throws IOException {
        String doc = Files.readString(Path.of("docs/rbac.md"));
        List<String> rows = doc.substring(doc.indexOf(SECTION))
                .lines()
                .filter(line -> line.startsWith("| schemagate-"))
                .toList();
        Set<String> grants = new TreeSet<>();
        for (String row : rows) {
            List<String> cells = Stream.of(row.substring(1, row.length() - 1).split("\\|", -1))
                    .map(String::trim)
                    .toList();
            for (String verb : cells.get(3).split(",\\s*", -1)) {
                grants.add(String.join(" | ", cells.get(0), cells.get(1), cells.get(2), verb));
            }
        }
        return grants;
    }

    private static int byBuiltInOrder(String left, String right) {
        List<String> order = List.of("view", "edit", "admin");
        return Integer.compare(order.indexOf(left), order.indexOf(right));
    }
}
