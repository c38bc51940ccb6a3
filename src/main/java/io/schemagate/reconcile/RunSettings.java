package io.schemagate.reconcile;

import io.schemagate.api.DatabaseMigration;
import io.schemagate.api.DatabaseMigrationSpec;
import io.schemagate.api.DatabaseSpec;
import io.schemagate.api.FlywaySpec;
import io.schemagate.api.SecretKeyReference;
import io.schemagate.db.HistoryTable;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The settings a run executes with, resolved from the spec with its defaults filled in. The Job's
 * environment and the run digest are both derived from it, so they cannot disagree.
 */
public record RunSettings(List<String> schemas, String table, String target, boolean baselineOnMigrate,
        String baselineVersion, boolean outOfOrder, Map<String, String> placeholders,
        Map<String, SecretKeyReference> secretPlaceholders, String lockTimeout, String statementTimeout) {

    static final String DEFAULT_SCHEMA = "public";

    public static RunSettings of(DatabaseMigration resource) {
        DatabaseMigrationSpec spec = resource.getSpec();
        FlywaySpec flyway = spec.getFlyway() != null ? spec.getFlyway() : new FlywaySpec();
        List<String> schemas = spec.getDatabase().getSchemas();
        return new RunSettings(
                schemas == null || schemas.isEmpty() ? List.of(DEFAULT_SCHEMA) : List.copyOf(schemas),
                orDefault(flyway.getTable(), HistoryTable.DEFAULT_TABLE),
                orDefault(spec.getTarget(), "latest"),
                flyway.isBaselineOnMigrate(),
                orDefault(flyway.getBaselineVersion(), "1"),
                flyway.isOutOfOrder(),
                flyway.getPlaceholders() == null ? Map.of() : new TreeMap<>(flyway.getPlaceholders()),
                secretPlaceholders(flyway),
                orDefault(spec.getDatabase().getLockTimeout(), DatabaseSpec.DEFAULT_LOCK_TIMEOUT),
                orDefault(spec.getDatabase().getStatementTimeout(), "0"));
    }

    public HistoryTable historyTable() {
        return new HistoryTable(schemas.get(0), table);
    }

    /** A stable text form of every setting, for digests. */
    String canonical() {
        return String.join("\n", "schemas=" + String.join(",", schemas), "table=" + table, "target=" + target,
                "baselineOnMigrate=" + baselineOnMigrate, "baselineVersion=" + baselineVersion,
                "outOfOrder=" + outOfOrder, "placeholders=" + new TreeMap<>(placeholders),
                "secretPlaceholders=" + secretPlaceholders.entrySet().stream().map(entry -> entry.getKey() + "="
                        + entry.getValue().getName() + "/" + entry.getValue().getKey()).toList(),
                "lockTimeout=" + lockTimeout, "statementTimeout=" + statementTimeout);
    }

    private static Map<String, SecretKeyReference> secretPlaceholders(FlywaySpec flyway) {
        Map<String, SecretKeyReference> references = new TreeMap<>();
        if (flyway.getPlaceholdersFrom() != null) {
            flyway.getPlaceholdersFrom().forEach((name, source) -> references.put(name, source.getSecretKeyRef()));
        }
        return references;
    }

    private static String orDefault(String value, String fallback) {
        return value == null || value.isBlank() ? fallback : value;
    }
}
