package io.schemagate.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.schemagate.api.ConfigMapSource;
import io.schemagate.api.DatabaseMigration;
import io.schemagate.api.RunStatus;
import io.schemagate.contract.MigrationResult;
import io.schemagate.testbed.TestNamespace;
import io.schemagate.testsupport.TestDatabases;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/** At the size limits of Kubernetes objects: many large scripts, and a runner result too long for its channel. */
@ExtendWith(TestNamespace.Extension.class)
class ScaleLimitsIT {
    private static final int SCRIPTS = 1000;
    private static final int CONFIG_MAPS = 4;
    /** The API server refuses a ConfigMap whose values add up to more than 1 MiB. */
    private static final int CONFIG_MAP_LIMIT = 1024 * 1024;

    private static final int SCRIPT_BYTES = CONFIG_MAP_LIMIT / (SCRIPTS / CONFIG_MAPS) - 8;

    @RegisterExtension
    static final SharedOperator operator = new SharedOperator();

    @RegisterExtension
    final TestDatabases database = new TestDatabases();

    private Scenario scenario;
    private JobLedger jobs;

    @BeforeEach
    void setUp(TestNamespace namespace) {
        scenario = new Scenario(namespace, database);
        scenario.credentials();
        jobs = new JobLedger(namespace);
    }

    @AfterEach
    void tearDown() {
        jobs.close();
    }

    @Test
    void aThousandScriptsInConfigMapsNearTheSizeLimitAreEachAppliedOnce() throws Exception {
        Map<String, Map<String, String>> configMaps = thousandScriptsInConfigMaps();
        configMaps.forEach(scenario::scripts);
        configMaps
                .values()
                .forEach(data -> assertThat(bytes(data))
                        .as("a ConfigMap's size")
                        .isBetween(CONFIG_MAP_LIMIT - 4096, CONFIG_MAP_LIMIT));

        scenario.apply(
                "catalog",
                "scripts-0",
                spec -> spec.getSource()
                        .setConfigMaps(configMaps.keySet().stream()
                                .map(ConfigMapSource::new)
                                .toList()));

        DatabaseMigration ready = scenario.awaitReady("catalog");
        assertThat(ready.getStatus().getRevision().getCurrent()).isEqualTo(Integer.toString(SCRIPTS));
        assertThat(ready.getStatus().getRevision().getApplied()).isEqualTo(SCRIPTS);
        assertThat(ready.getStatus().getLastRun().getApplied()).isEqualTo(SCRIPTS);
        assertThat(scenario.appliedScripts())
                .containsExactlyInAnyOrderElementsOf(configMaps.values().stream()
                        .flatMap(data -> data.keySet().stream())
                        .toList());
        // Each script records its own run: a script applied twice would show as a second row.
        try (Connection connection = database.connect();
                Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("SELECT count(*), count(DISTINCT version) FROM applied_once")) {
            rows.next();
            assertThat(rows.getInt(1)).isEqualTo(SCRIPTS);
            assertThat(rows.getInt(2)).isEqualTo(SCRIPTS);
        }
        jobs.assertRunsSucceededOnce(1);
    }

    @Test
    void aFailureReportTooLongForTheTerminationMessageStillNamesTheScriptAndSqlState() throws Exception {
        // About 14 KiB of error text, with characters that JSON escapes or encodes in several bytes.
        scenario.scripts(
                "migrations",
                Map.of(
                        "V1__create_imports.sql",
                        "CREATE TABLE imports (id int);",
                        "V2__import_rows.sql",
                        "CREATE TABLE half_done (id int);\n"
                                + "DO $$ BEGIN RAISE EXCEPTION 'import failed: %',"
                                + " repeat('row 4711 rejected: \"ünïcödé\" \\ ', 400); END $$;"));
        scenario.apply("imports", "migrations", spec -> {});

        DatabaseMigration stalled = scenario.awaitCondition("imports", "Stalled", "MigrationFailed");
        RunStatus run = stalled.getStatus().getLastRun();
        assertThat(run.getReason())
                .as("read from the runner's result, not guessed without one")
                .isEqualTo("MigrationFailed");
        assertThat(run.getFailedMigration()).isEqualTo("V2__import_rows.sql");
        assertThat(run.getSqlState()).isEqualTo("P0001");
        assertThat(run.getMessage())
                .contains("import failed: row 4711 rejected: \"ünïcödé\"")
                .endsWith("...");
        assertThat(run.getMessage().getBytes(StandardCharsets.UTF_8)).hasSizeLessThan(MigrationResult.MAX_JSON_BYTES);
        assertThat(Scenario.condition(stalled, "Ready").orElseThrow().getMessage())
                .contains("V2__import_rows.sql")
                .contains("P0001");
        assertThat(stalled.getStatus().getRevision().getCurrent()).isEqualTo("1");
        assertThat(scenario.tableExists("half_done")).isFalse();
        assertThat(scenario.appliedScripts()).containsExactly("V1__create_imports.sql");
    }

    /**
     * {@value #SCRIPTS} scripts in {@value #CONFIG_MAPS} ConfigMaps, each just below the size limit:
     * every script inserts its version, padded with SQL comments to {@link #SCRIPT_BYTES}.
     */
    private static Map<String, Map<String, String>> thousandScriptsInConfigMaps() {
        Map<String, Map<String, String>> configMaps = new LinkedHashMap<>();
        for (int version = 1; version <= SCRIPTS; version++) {
            String sql = (version == 1 ? "CREATE TABLE applied_once (version int);\n" : "")
                    + "INSERT INTO applied_once VALUES (" + version + ");\n";
            String name = "scripts-" + (version - 1) * CONFIG_MAPS / SCRIPTS;
            configMaps
                    .computeIfAbsent(name, absent -> new TreeMap<>())
                    .put("V" + version + "__insert_" + version + ".sql", padded(sql));
        }
        return configMaps;
    }

    private static String padded(String sql) {
        StringBuilder script = new StringBuilder(sql);
        String line = "-- " + "padding ".repeat(12) + "\n";
        while (script.length() + line.length() <= SCRIPT_BYTES) {
            script.append(line);
        }
        return script.append(" ".repeat(SCRIPT_BYTES - script.length())).toString();
    }

    private static int bytes(Map<String, String> data) {
        return data.values().stream()
                .mapToInt(value -> value.getBytes(StandardCharsets.UTF_8).length)
                .sum();
    }
}
