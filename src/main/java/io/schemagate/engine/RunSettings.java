package io.schemagate.engine;

import io.schemagate.api.DatabaseMigration;
import io.schemagate.api.DatabaseMigrationSpec;
import io.schemagate.api.DatabaseSpec;
import io.schemagate.api.SecretKeyReference;
import io.schemagate.db.HistoryFormat;
import io.schemagate.db.HistoryTable;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * The settings a run executes with, resolved from the spec with its defaults filled in. The Job's
 * environment and the run digest are both derived from it, so they cannot disagree.
 *
 * @param format the shape of the history table the revision is read from
 * @param ignoreMissing applied versions that no script has are another source's (sqlx's --ignore-missing)
 * @param engine what the engine is, asked instead of its name
 * @param tool what the engine's tool runs; null for the engines the runner applies
 * @param downTool what it runs to migrate down (spec.downgrade); null where there is no down path
 * @param downgradeAllowed a target below the database's revision migrates down (spec.downgrade.allowed)
 * @param adopt the version spec.adopt records the history up to; null for none
 * @param backup the dump before each run (spec.backup); null for none
 * @param rehearsal the rehearsal before each run (spec.rehearsal); null for none
 * @param adoptTool what the engine's tool runs for spec.adopt; null where the runner adopts, or none
 */
public record RunSettings(
        MigrationEngine engine,
        HistoryFormat format,
        List<String> schemas,
        String table,
        String target,
        boolean baselineOnMigrate,
        String baselineVersion,
        boolean outOfOrder,
        Map<String, String> placeholders,
        Map<String, SecretKeyReference> secretPlaceholders,
        String lockTimeout,
        String statementTimeout,
        boolean ignoreMissing,
        @Nullable Tool tool,
        @Nullable Tool downTool,
        boolean downgradeAllowed,
        @Nullable String adopt,
        @Nullable Backup backup,
        @Nullable Rehearsal rehearsal,
        @Nullable Tool adoptTool) {

    /** @param database the scratch database spec names; null: one is created for each rehearsal */
    public record Rehearsal(@Nullable String database) {}

    /** @param claim the PersistentVolumeClaim the dumps go to */
    public record Backup(String claim, int keep) {}

    /** @param image null: the source's image */
    public record Tool(@Nullable String image, List<String> command, List<String> args) {
        /** The spec's lists may be absent (unannotated, from JSON): none is no arguments. */
        public Tool {
            command = command == null ? List.of() : List.copyOf(command);
            args = args == null ? List.of() : List.copyOf(args);
        }
    }

    static final String DEFAULT_SCHEMA = "public";

    public static RunSettings of(DatabaseMigration resource) {
        DatabaseMigrationSpec spec = resource.getSpec();
        MigrationEngine engine = Engines.of(spec);
        HistoryFormat format = spec.historyFormat();
        String target = engine.target(orDefault(spec.getTarget(), "latest"));
        RunOptions options = engine.options(spec);
        List<String> schemas = spec.getDatabase().getSchemas();
        String adopt = spec.getAdopt() == null ? null : spec.getAdopt().getVersion();
        return new RunSettings(
                engine,
                format,
                schemas == null || schemas.isEmpty() ? List.of(DEFAULT_SCHEMA) : List.copyOf(schemas),
                orDefault(engine.table(spec), format.dialect().defaultTable()),
                target,
                options.baselineOnMigrate(),
                options.baselineVersion(),
                options.outOfOrder(),
                new TreeMap<>(options.placeholders()),
                new TreeMap<>(options.secretPlaceholders()),
                orDefault(spec.getDatabase().getLockTimeout(), DatabaseSpec.DEFAULT_LOCK_TIMEOUT),
                orDefault(spec.getDatabase().getStatementTimeout(), "0"),
                options.ignoreMissing(),
                engine.tool(spec, target),
                spec.downgradeAllowed() ? engine.downTool(spec, target) : null,
                spec.downgradeAllowed(),
                adopt,
                spec.backsUp()
                        ? new Backup(
                                spec.getBackup()
                                        .getVolume()
                                        .getPersistentVolumeClaim()
                                        .getClaimName(),
                                spec.getBackup().getKeep())
                        : null,
                spec.rehearses() ? new Rehearsal(spec.getRehearsal().getDatabase()) : null,
                adopt == null ? null : engine.adoptTool(spec, adopt));
    }

    public HistoryTable historyTable() {
        return new HistoryTable(format, schemas.get(0), table);
    }

    /** A stable text form of every setting, for digests: the engine's lines first ({@link MigrationEngine#digestLines}). */
    public String canonical() {
        String engineLine = engine.digestLines(this);
        // Written only when set, so that the digests of resources without it stay what they were. The
        // backup, adopt and rehearsal settings are left out: turning them on is no reason to run an image again.
        if (downgradeAllowed) {
            engineLine = engineLine + "downgrade=" + downTool + "\n";
        }
        return engineLine
                + String.join(
                        "\n",
                        "schemas=" + String.join(",", schemas),
                        "table=" + table,
                        "target=" + target,
                        "baselineOnMigrate=" + baselineOnMigrate,
                        "baselineVersion=" + baselineVersion,
                        "outOfOrder=" + outOfOrder,
                        "placeholders=" + new TreeMap<>(placeholders),
                        "secretPlaceholders="
                                + secretPlaceholders.entrySet().stream()
                                        .map(entry -> entry.getKey() + "="
                                                + entry.getValue().getName() + "/"
                                                + entry.getValue().getKey())
                                        .toList(),
                        "lockTimeout=" + lockTimeout,
                        "statementTimeout=" + statementTimeout);
    }

    private static String orDefault(@Nullable String value, String fallback) {
        return value == null || value.isBlank() ? fallback : value;
    }
}
