package io.schemagate.packaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.schemagate.api.DatabaseMigration;
import io.schemagate.api.DatabaseMigrationSpec;
import io.schemagate.api.WorkloadSource;
import io.schemagate.db.Engine;
import io.schemagate.gate.Gating;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The library chart (helm/schemagate-lib) called from a chart of its own, written here the way an
 * application team would: a StatefulSet whose image holds Alembic's scripts, and the two template
 * calls. Rendered by a real Helm.
 */
class LibraryChartTest {
    private static final String STATEFUL_SET = """
            apiVersion: apps/v1
            kind: StatefulSet
            metadata:
              name: {{ include "schemagate.workloadName" . }}
            spec:
              serviceName: ledger
              selector:
                matchLabels: {app: ledger}
              template:
                metadata:
                  labels:
                    app: ledger
                    {{- include "schemagate.podLabels" . | nindent 8 }}
                  {{- with include "schemagate.podAnnotations" . }}
                  annotations:
                    {{- . | nindent 8 }}
                  {{- end }}
                spec:
                  containers:
                    - name: api
                      image: ledger:2.0
            """;
    private static final Map<String, String> CLOUDNATIVEPG = Map.of(
            "schemagate.engine", "alembic",
            "schemagate.workload.kind", "StatefulSet",
            "schemagate.workload.path", "/srv/alembic",
            "schemagate.database.urlFrom.secret", "ledger-db-app",
            "schemagate.database.urlFrom.key", "jdbc-uri");

    @TempDir
    static Path charts;

    private static Path ledger;

    /** A chart that depends on the library by its path in this checkout, as the example does. */
    @BeforeAll
    static void ledgerChart() throws IOException {
        ledger = charts.resolve("ledger");
        Files.createDirectories(ledger.resolve("templates"));
        Files.writeString(ledger.resolve("Chart.yaml"), """
                apiVersion: v2
                name: ledger
                version: 1.0.0
                dependencies:
                  - name: schemagate-lib
                    version: 0.1.0
                    repository: file://%s
                """.formatted(Chart.LIBRARY.toAbsolutePath()));
        Files.writeString(ledger.resolve("templates/migration.yaml"), "{{ include \"schemagate.migration\" . }}\n");
        Files.writeString(ledger.resolve("templates/statefulset.yaml"), STATEFUL_SET);
    }

    @Test
    void theLibraryLintsCleanInStrictMode() {
        LintResult lint = new Helm(Chart.LIBRARY).lint().strict().call();

        assertThat(lint.isFailed()).as("%s", lint.getMessages()).isFalse();
        assertThat(lint.getMessages()).noneMatch(m -> m.contains("[WARNING]") || m.contains("[ERROR]"));
    }

    @Test
    void aCloudNativePgSecretAndAStatefulSetNeedOnlyTheirNames() {
        List<HasMetadata> objects = Chart.render(ledger, "prod", "finance", CLOUDNATIVEPG);

        DatabaseMigrationSpec spec =
                Chart.find(objects, DatabaseMigration.class, "prod-ledger").getSpec();
        assertThat(spec.getEngine()).isEqualTo(Engine.alembic);
        assertThat(spec.getDatabase().getUrl()).isNull();
        assertThat(spec.getDatabase().getUrlFrom().getSecretKeyRef().getName()).isEqualTo("ledger-db-app");
        assertThat(spec.getDatabase().getUrlFrom().getSecretKeyRef().getKey()).isEqualTo("jdbc-uri");
        assertThat(spec.getDatabase().getCredentialsSecret()).isNull();
        WorkloadSource workload = spec.getSource().getWorkload();
        assertThat(workload.getKind()).isEqualTo(WorkloadSource.Kind.StatefulSet);
        assertThat(workload.getName()).isEqualTo("prod-ledger");
        assertThat(workload.getPath()).isEqualTo("/srv/alembic");
        StatefulSet statefulSet = Chart.find(objects, StatefulSet.class, "prod-ledger");
        assertThat(statefulSet.getSpec().getTemplate().getMetadata().getLabels())
                .containsEntry("app", "ledger")
                .containsEntry(Gating.MIGRATION_LABEL, "prod-ledger");
        assertThat(statefulSet.getSpec().getTemplate().getMetadata().getAnnotations())
                .isNullOrEmpty();
    }

    @Test
    void theRevisionThePodsNeedBecomesTheirAnnotation() {
        Map<String, String> values = new HashMap<>(CLOUDNATIVEPG);
        values.put("schemagate.revision", "20261201_add_ledger_index");
        values.put("schemagate.name", "ledger-schema");

        List<HasMetadata> objects = Chart.render(ledger, "prod", "finance", values);

        // The workload's name follows the migration's unless the chart names it.
        assertThat(Chart.find(objects, DatabaseMigration.class, "ledger-schema")
                        .getSpec()
                        .getSource()
                        .getWorkload()
                        .getName())
                .isEqualTo("ledger-schema");
        StatefulSet statefulSet = Chart.find(objects, StatefulSet.class, "ledger-schema");
        assertThat(statefulSet.getSpec().getTemplate().getMetadata().getAnnotations())
                .containsExactlyEntriesOf(Map.of(Gating.REVISION_ANNOTATION, "20261201_add_ledger_index"));
        assertThat(statefulSet.getSpec().getTemplate().getMetadata().getLabels())
                .containsEntry(Gating.MIGRATION_LABEL, "ledger-schema");
    }

    @Test
    void whatTheRunnerPodInheritsPassesThrough() {
        Map<String, String> values = new HashMap<>(CLOUDNATIVEPG);
        values.put("schemagate.workload.inherit.env", "true");
        values.put("schemagate.workload.inherit.volumes[0]", "db-client-cert");

        DatabaseMigration migration =
                Chart.find(Chart.render(ledger, "prod", "finance", values), DatabaseMigration.class, "prod-ledger");

        assertThat(migration.getSpec().getSource().getWorkload().getInherit().isEnv())
                .isTrue();
        assertThat(migration.getSpec().getSource().getWorkload().getInherit().getVolumes())
                .containsExactly("db-client-cert");
    }

    @ParameterizedTest(name = "{0}={1}")
    @CsvSource(delimiter = '|', textBlock = """
            schemagate.engine        | liquibase         | schemagate.engine: "liquibase" is not an engine whose scripts ship in an image
            schemagate.workload.kind | DaemonSet         | schemagate.workload.kind: "DaemonSet" is not a workload kind SchemaGate reads
            schemagate.workload.path | srv/alembic       | schemagate.workload.path: "srv/alembic" must be an absolute directory
            schemagate.database.url  | jdbc:postgresql:/ | schemagate.database: set url or urlFrom, not both
            """)
    void aValueTheOperatorWouldRefuseFailsTheRenderNamingIt(String key, String value, String message) {
        Map<String, String> values = new HashMap<>(CLOUDNATIVEPG);
        values.put(key, value);

        assertThatThrownBy(() -> Chart.render(ledger, "prod", "finance", values))
                .hasMessageContaining(message);
    }

    @Test
    void aUrlWithoutItsCredentialsSecretFailsTheRender() {
        Map<String, String> values = Map.of(
                "schemagate.workload.path",
                "/srv/alembic",
                "schemagate.database.url",
                "jdbc:postgresql://ledger-db:5432/ledger");

        assertThatThrownBy(() -> Chart.render(ledger, "prod", "finance", values))
                .hasMessageContaining("schemagate.database.credentialsSecret: the Secret with the username and "
                        + "password, required with url");
    }

    @Test
    void aChartWithoutTheSchemagateBlockIsToldWhatToSet() {
        assertThatThrownBy(() -> Chart.render(ledger, "prod", "finance", Map.of()))
                .hasMessageContaining("schemagate: set the schemagate block in the chart's values");
    }
}
