package io.schemagate.reconcile;

import io.schemagate.api.AlembicSpec;
import io.schemagate.api.CommandSpec;
import io.schemagate.api.DatabaseMigration;
import io.schemagate.api.DatabaseMigrationSpec;
import io.schemagate.api.DatabaseSpec;
import io.schemagate.api.FlywaySpec;
import io.schemagate.api.SecretKeyReference;
import io.schemagate.api.SqlxSpec;
import io.schemagate.db.AlembicScripts;
import io.schemagate.db.Engine;
import io.schemagate.db.HistoryFormat;
import io.schemagate.db.HistoryTable;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The settings a run executes with, resolved from the spec with its defaults filled in. The Job's
 * environment and the run digest are both derived from it, so they cannot disagree.
 *
 * @param format the shape of the history table the revision is read from
 * @param ignoreMissing applied versions that no script has are another source's (sqlx's --ignore-missing)
 * @param tool what the alembic and command engines run; null for the engines the runner applies
 * @param downTool what they run to migrate down (spec.downgrade); null where there is no down path
 * @param downgradeAllowed a target below the database's revision migrates down (spec.downgrade.allowed)
 * @param adopt the version spec.adopt records the history up to; null for none
 * @param backup the dump before each run (spec.backup); null for none
 * @param rehearsal the rehearsal before each run (spec.rehearsal); null for none
 * @param adoptArgs the command engine's tool arguments for spec.adopt; null for none
 */
public record RunSettings(
        Engine engine,
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
        Tool tool,
        Tool downTool,
        boolean downgradeAllowed,
        String adopt,
        Backup backup,
        Rehearsal rehearsal,
        List<String> adoptArgs) {

    /** @param database the scratch database spec names; null: one is created for each rehearsal */
    public record Rehearsal(String database) {}

    /** @param claim the PersistentVolumeClaim the dumps go to */
    public record Backup(String claim, int keep) {}

    /** @param image null: the source's image */
    public record Tool(String image, List<String> command, List<String> args) {
        public Tool {
            command = command == null ? List.of() : List.copyOf(command);
            args = args == null ? List.of() : List.copyOf(args);
        }
    }

    static final String DEFAULT_SCHEMA = "public";
    /** The command {@code pip install alembic} puts on the image's PATH. */
    static final String ALEMBIC = "alembic";

    public static RunSettings of(DatabaseMigration resource) {
        DatabaseMigrationSpec spec = resource.getSpec();
        Engine engine = spec.getEngine() == null ? Engine.flyway : spec.getEngine();
        // The API server refuses another engine's block, so only the chosen engine's settings count.
        FlywaySpec flyway = engine == Engine.flyway && spec.getFlyway() != null ? spec.getFlyway() : new FlywaySpec();
        SqlxSpec sqlx = engine == Engine.sqlx && spec.getSqlx() != null ? spec.getSqlx() : new SqlxSpec();
        AlembicSpec alembic =
                engine == Engine.alembic && spec.getAlembic() != null ? spec.getAlembic() : new AlembicSpec();
        CommandSpec command = engine == Engine.command ? spec.getCommand() : null;
        HistoryFormat format = spec.historyFormat();
        String table = switch (engine) {
            case flyway -> flyway.getTable();
            case sqlx -> sqlx.getTable();
            case alembic -> alembic.getTable();
            case command -> command.getHistory().getTable();
        };
        String requested = orDefault(spec.getTarget(), "latest");
        String target = engine == Engine.alembic && requested.equals("latest") ? "head" : requested;
        List<String> schemas = spec.getDatabase().getSchemas();
        return new RunSettings(
                engine,
                format,
                schemas == null || schemas.isEmpty() ? List.of(DEFAULT_SCHEMA) : List.copyOf(schemas),
                orDefault(table, format.dialect().defaultTable()),
                target,
                flyway.isBaselineOnMigrate(),
                orDefault(flyway.getBaselineVersion(), "1"),
                flyway.isOutOfOrder(),
                flyway.getPlaceholders() == null ? Map.of() : new TreeMap<>(flyway.getPlaceholders()),
                secretPlaceholders(flyway),
                orDefault(spec.getDatabase().getLockTimeout(), DatabaseSpec.DEFAULT_LOCK_TIMEOUT),
                orDefault(spec.getDatabase().getStatementTimeout(), "0"),
                sqlx.isIgnoreMissing(),
                tool(engine, command, alembic, "upgrade", command == null ? null : command.getArgs(), target),
                spec.downgradeAllowed() ? downTool(engine, command, alembic, target) : null,
                spec.downgradeAllowed(),
                spec.getAdopt() == null ? null : spec.getAdopt().getVersion(),
                spec.backsUp()
                        ? new Backup(
                                spec.getBackup()
                                        .getVolume()
                                        .getPersistentVolumeClaim()
                                        .getClaimName(),
                                spec.getBackup().getKeep())
                        : null,
                spec.rehearses() ? new Rehearsal(spec.getRehearsal().getDatabase()) : null,
                command == null || command.getAdoptArgs() == null ? null : List.copyOf(command.getAdoptArgs()));
    }

    /** The runner reverts sqlx's scripts itself; Alembic downgrades, a command tool runs its down arguments. */
    private static Tool downTool(Engine engine, CommandSpec command, AlembicSpec alembic, String target) {
        return switch (engine) {
            case flyway, sqlx -> null;
            case alembic -> tool(engine, command, alembic, "downgrade", null, target);
            case command ->
                command.getDownArgs() == null
                        ? null
                        : tool(engine, command, alembic, null, command.getDownArgs(), target);
        };
    }

    /**
     * Alembic as its users run it, {@code alembic -c <config> [args] <verb> <target>} ('latest' is
     * head); a command tool with the given arguments; the engines the runner applies run no tool of
     * their own.
     */
    private static Tool tool(
            Engine engine,
            CommandSpec command,
            AlembicSpec alembic,
            String verb,
            List<String> commandArgs,
            String target) {
        return switch (engine) {
            case flyway, sqlx -> null;
            case command -> new Tool(command.getImage(), command.getCommand(), commandArgs);
            case alembic -> new Tool(null, List.of(ALEMBIC), alembicArgs(alembic, verb, target));
        };
    }

    private static List<String> alembicArgs(AlembicSpec alembic, String verb, String revision) {
        List<String> args =
                new ArrayList<>(List.of("-c", orDefault(alembic.getConfig(), AlembicScripts.DEFAULT_CONFIG)));
        args.addAll(alembic.getArgs() == null ? List.of() : alembic.getArgs());
        args.addAll(List.of(verb, revision));
        return args;
    }

    /**
     * The tool's own way to take over a database (spec.adopt): {@code alembic stamp <version>}, or the
     * command engine's adopt arguments; null for the engines the runner adopts with itself.
     */
    public Tool adoptTool() {
        return switch (engine) {
            case flyway, sqlx -> null;
            case alembic -> {
                List<String> args =
                        new ArrayList<>(tool.args().subList(0, tool.args().size() - 2));
                args.addAll(List.of("stamp", adopt));
                yield new Tool(null, List.of(ALEMBIC), args);
            }
            case command -> adoptArgs == null ? null : new Tool(tool.image(), tool.command(), adoptArgs);
        };
    }

    /** The ini file the alembic engine's tool reads, for the runner to find the same scripts. */
    public String alembicConfig() {
        return engine == Engine.alembic ? tool.args().get(1) : null;
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
            case alembic, command -> "engine=" + engine + "\nformat=" + format + "\ntool=" + tool + "\n";
        };
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
