package io.schemagate.reconcile;

import io.schemagate.api.CommandSpec;
import io.schemagate.api.DatabaseMigration;
import io.schemagate.api.DatabaseMigrationSpec;
import io.schemagate.api.DatabaseSpec;
import io.schemagate.api.FlywaySpec;
import io.schemagate.api.SecretKeyReference;
import io.schemagate.api.SqlxSpec;
import io.schemagate.db.Engine;
import io.schemagate.db.HistoryFormat;
import io.schemagate.db.HistoryTable;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The settings a run executes with, resolved from the spec with its defaults filled in. The Job's
 * environment and the run digest are both derived from it, so they cannot disagree.
 *
 * @param format the shape of the history table the revision is read from
 * @param ignoreMissing applied versions that no script has are another source's (sqlx's --ignore-missing)
 * @param tool what the command engine runs; null for the other engines
 */
public record RunSettings(Engine engine, HistoryFormat format, List<String> schemas, String table, String target,
        boolean baselineOnMigrate, String baselineVersion, boolean outOfOrder, Map<String, String> placeholders,
        Map<String, SecretKeyReference> secretPlaceholders, String lockTimeout, String statementTimeout,
        boolean ignoreMissing, Tool tool) {

    /** @param image null: the source's image */
    public record Tool(String image, List<String> command, List<String> args) {
        public Tool {
            command = command == null ? List.of() : List.copyOf(command);
            args = args == null ? List.of() : List.copyOf(args);
        }
    }

    static final String DEFAULT_SCHEMA = "public";

    public static RunSettings of(DatabaseMigration resource) {
        DatabaseMigrationSpec spec = resource.getSpec();
        Engine engine = spec.getEngine() == null ? Engine.flyway : spec.getEngine();
        // The API server refuses another engine's block, so only the chosen engine's settings count.
        FlywaySpec flyway = engine == Engine.flyway && spec.getFlyway() != null ? spec.getFlyway() : new FlywaySpec();
        SqlxSpec sqlx = engine == Engine.sqlx && spec.getSqlx() != null ? spec.getSqlx() : new SqlxSpec();
        CommandSpec command = engine == Engine.command ? spec.getCommand() : null;
        HistoryFormat format = engine.format().orElseGet(() -> command.getHistory().getFormat());
        String table = switch (engine) {
            case flyway -> flyway.getTable();
            case sqlx -> sqlx.getTable();
            case command -> command.getHistory().getTable();
        };
        List<String> schemas = spec.getDatabase().getSchemas();
        return new RunSettings(
                engine,
                format,
                schemas == null || schemas.isEmpty() ? List.of(DEFAULT_SCHEMA) : List.copyOf(schemas),
                orDefault(table, format.defaultTable()),
                orDefault(spec.getTarget(), "latest"),
                flyway.isBaselineOnMigrate(),
                orDefault(flyway.getBaselineVersion(), "1"),
                flyway.isOutOfOrder(),
                flyway.getPlaceholders() == null ? Map.of() : new TreeMap<>(flyway.getPlaceholders()),
                secretPlaceholders(flyway),
                orDefault(spec.getDatabase().getLockTimeout(), DatabaseSpec.DEFAULT_LOCK_TIMEOUT),
                orDefault(spec.getDatabase().getStatementTimeout(), "0"),
                sqlx.isIgnoreMissing(),
                command == null ? null : new Tool(command.getImage(), command.getCommand(), command.getArgs()));
    }

    public HistoryTable historyTable() {
        return new HistoryTable(format, schemas.get(0), table);
    }

    /**
     * A stable text form of every setting, for digests. Flyway, the engine of every resource written
     * before engines could be chosen, is left out, so that their digests stay what they were and an
     * operator upgrade starts no new runs.
     */
    String canonical() {
        String engineLine = switch (engine) {
            case flyway -> "";
            case sqlx -> "engine=sqlx\n" + (ignoreMissing ? "ignoreMissing=true\n" : "");
            case command -> "engine=command\nformat=" + format + "\ntool=" + tool + "\n";
        };
        return engineLine + String.join("\n", "schemas=" + String.join(",", schemas), "table=" + table,
                "target=" + target,
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
