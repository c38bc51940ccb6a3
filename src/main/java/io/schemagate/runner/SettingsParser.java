package io.schemagate.runner;

import static io.schemagate.contract.RunnerEnvironment.ALEMBIC_CONFIG;
import static io.schemagate.contract.RunnerEnvironment.BASELINE_ON_MIGRATE;
import static io.schemagate.contract.RunnerEnvironment.BASELINE_VERSION;
import static io.schemagate.contract.RunnerEnvironment.DB_PASSWORD;
import static io.schemagate.contract.RunnerEnvironment.DB_URL;
import static io.schemagate.contract.RunnerEnvironment.DB_USERNAME;
import static io.schemagate.contract.RunnerEnvironment.ENGINE;
import static io.schemagate.contract.RunnerEnvironment.HISTORY_FORMAT;
import static io.schemagate.contract.RunnerEnvironment.IGNORE_MISSING;
import static io.schemagate.contract.RunnerEnvironment.LOCK_TIMEOUT;
import static io.schemagate.contract.RunnerEnvironment.MIGRATIONS_DIR;
import static io.schemagate.contract.RunnerEnvironment.OUT_OF_ORDER;
import static io.schemagate.contract.RunnerEnvironment.PLACEHOLDERS;
import static io.schemagate.contract.RunnerEnvironment.PREVIOUS_REVISION;
import static io.schemagate.contract.RunnerEnvironment.SCHEMAS;
import static io.schemagate.contract.RunnerEnvironment.SOURCE_PATH;
import static io.schemagate.contract.RunnerEnvironment.STATEMENT_TIMEOUT;
import static io.schemagate.contract.RunnerEnvironment.TABLE;
import static io.schemagate.contract.RunnerEnvironment.TARGET;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.schemagate.api.DatabaseMigrationSpec;
import io.schemagate.api.DatabaseSpec;
import io.schemagate.contract.Direction;
import io.schemagate.contract.RunnerEnvironment;
import io.schemagate.db.AlembicScripts;
import io.schemagate.db.ConnectionUrl;
import io.schemagate.db.Engine;
import io.schemagate.db.HistoryFormat;
import io.schemagate.db.Version;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Pattern;

/** Reads {@link RunnerSettings} from environment variables, collecting every problem at once. */
final class SettingsParser {

    /** PostgreSQL silently truncates longer identifiers, which would make Flyway look elsewhere. */
    private static final int MAX_IDENTIFIER_BYTES = 63;

    private static final Pattern SESSION_DURATION = Pattern.compile(DatabaseSpec.SESSION_DURATION);
    private static final String BACKUP_NAME_PATTERN = "[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?";

    private final Map<String, String> environment;
    private final List<String> problems = new ArrayList<>();

    private final Function<Engine, ? extends EngineSteps> engines;

    SettingsParser(Map<String, String> environment, Function<Engine, ? extends EngineSteps> engines) {
        this.environment = environment;
        this.engines = engines;
    }

    RunnerSettings parse() throws InvalidSettingsException {
        Engine engine = engine();
        EngineSteps steps = engines.apply(engine);
        HistoryFormat format = format(engine);
        ConnectionUrl url = connectionUrl();
        String username = optional(DB_USERNAME);
        RunnerSettings settings = new RunnerSettings(
                engine,
                format,
                url == null ? null : url.jdbcUrl(),
                // A credentials Secret wins over the user and password a URL from a Secret carries.
                username != null || url == null ? username : url.user(),
                username != null || url == null ? password() : url.password(),
                migrationsDir(),
                schemas(),
                table(steps, format),
                steps.revisionsAreVersions() ? version(TARGET, Version.LATEST, true) : Version.LATEST,
                flag(BASELINE_ON_MIGRATE),
                version(BASELINE_VERSION, Version.parse("1"), false),
                flag(OUT_OF_ORDER),
                placeholders(),
                secretPlaceholders(),
                duration(LOCK_TIMEOUT, DatabaseSpec.DEFAULT_LOCK_TIMEOUT),
                duration(STATEMENT_TIMEOUT, "0"),
                flag(IGNORE_MISSING),
                optional(PREVIOUS_REVISION),
                steps.revisionsAreVersions() ? null : revisionIds(),
                direction(),
                adopt(steps),
                backup(),
                flag(RunnerEnvironment.REHEARSAL)
                        ? new RunnerSettings.Rehearsal(optional(RunnerEnvironment.REHEARSAL_DATABASE))
                        : null,
                RunnerSettings.resultFileFrom(environment));
        if (!problems.isEmpty()) {
            throw new InvalidSettingsException(problems);
        }
        return settings;
    }

    /** The database URL in any form ConnectionUrl reads; its refusal never echoes it (credentials). */
    private ConnectionUrl connectionUrl() {
        String url = optional(DB_URL);
        if (url == null) {
            problems.add(DB_URL + " is required: " + ConnectionUrl.FORMS);
            return null;
        }
        try {
            return ConnectionUrl.parse(url);
        } catch (ConnectionUrl.InvalidUrl invalid) {
            problems.add(DB_URL + ": " + invalid.getMessage());
            return null;
        }
    }

    /** Not trimmed: spaces can be part of a password. */
    private String password() {
        String password = environment.get(DB_PASSWORD);
        return password == null || password.isEmpty() ? null : password;
    }

    private Path migrationsDir() {
        String dir = optional(MIGRATIONS_DIR);
        if (dir == null) {
            problems.add(MIGRATIONS_DIR + " is required: the directory holding the SQL migrations");
            return null;
        }
        Path path = Path.of(dir);
        if (!Files.isDirectory(path) || !Files.isReadable(path)) {
            problems.add(MIGRATIONS_DIR + ": " + dir + " is not a readable directory");
        }
        return path;
    }

    private List<String> schemas() {
        String value = optional(SCHEMAS);
        if (value == null) {
            return List.of();
        }
        List<String> schemas =
                Arrays.stream(value.split(",", -1)).map(String::trim).toList();
        if (schemas.contains("")) {
            problems.add(SCHEMAS + ": '" + value + "' has an empty schema name; expected a comma-separated list"
                    + " like public,audit");
        } else if (new HashSet<>(schemas).size() != schemas.size()) {
            problems.add(SCHEMAS + ": '" + value + "' names a schema twice");
        }
        schemas.forEach(schema -> checkIdentifier(SCHEMAS, schema));
        return schemas;
    }

    private Engine engine() {
        String value = optional(ENGINE);
        if (value == null) {
            return Engine.flyway;
        }
        try {
            return Engine.valueOf(value);
        } catch (IllegalArgumentException e) {
            problems.add(ENGINE + ": '" + value + "' is not an engine the runner applies; expected one of "
                    + Arrays.toString(Engine.values()));
            return Engine.flyway;
        }
    }

    /** The engine's own, or for the command engine the one the operator names. */
    private HistoryFormat format(Engine engine) {
        if (engine.format().isPresent()) {
            return engine.format().get();
        }
        String value = optional(HISTORY_FORMAT);
        Optional<HistoryFormat> format = Arrays.stream(HistoryFormat.values())
                .filter(candidate -> candidate.toString().equals(value))
                .findFirst();
        if (format.isEmpty()) {
            problems.add(HISTORY_FORMAT + " is required for engine " + engine + ": one of "
                    + Arrays.toString(HistoryFormat.values()));
            return HistoryFormat.flyway;
        }
        return format.get();
    }

    /** Revisions that are ids (Alembic's): the target and previous heads are taken as the tool writes them. */
    private RunnerSettings.AlembicRun revisionIds() {
        String target = Objects.requireNonNullElse(optional(TARGET), "head");
        if (!target.matches(DatabaseMigrationSpec.TARGET_PATTERN)) {
            problems.add(TARGET + ": '" + target + "' is not an Alembic target; expected head, heads or a revision id");
        }
        return new RunnerSettings.AlembicRun(
                Objects.requireNonNullElse(optional(ALEMBIC_CONFIG), AlembicScripts.DEFAULT_CONFIG),
                target,
                optional(SOURCE_PATH));
    }

    private Direction direction() {
        String value = optional(RunnerEnvironment.DIRECTION);
        if (value == null) {
            return Direction.Up;
        }
        return Arrays.stream(Direction.values())
                .filter(direction -> direction.name().equals(value))
                .findFirst()
                .orElseGet(() -> {
                    problems.add(
                            RunnerEnvironment.DIRECTION + ": '" + value + "' is not a direction; expected Up or Down");
                    return Direction.Up;
                });
    }

    /** A version as the engine's scripts spell it; Alembic's is a revision id, checked against its graph later. */
    private String adopt(EngineSteps steps) {
        String value = optional(RunnerEnvironment.ADOPT);
        if (value != null
                && steps.revisionsAreVersions()
                && (!Version.isValid(value) || Version.parse(value).isLatest())) {
            problems.add(RunnerEnvironment.ADOPT + ": '" + value + "' is not a version; expected numbers separated by"
                    + " dots, like 1.2.3");
        }
        return value;
    }

    private RunnerSettings.Backup backup() {
        String record = optional(RunnerEnvironment.BACKUP_RECORD);
        if (record == null) {
            return null;
        }
        String dir = optional(RunnerEnvironment.BACKUP_DIR);
        String name = optional(RunnerEnvironment.BACKUP_NAME);
        if (dir != null && (name == null || !name.matches(BACKUP_NAME_PATTERN))) {
            problems.add(RunnerEnvironment.BACKUP_NAME + ": '" + name + "' is not a dump name; expected a Kubernetes"
                    + " resource name (lowercase letters, digits, '-' and '.')");
        }
        String keep = Objects.requireNonNullElse(optional(RunnerEnvironment.BACKUP_KEEP), "1");
        if (!keep.matches("[1-9][0-9]{0,3}")) {
            problems.add(
                    RunnerEnvironment.BACKUP_KEEP + ": '" + keep + "' is not a count of dumps; expected 1 to 9999");
            keep = "1";
        }
        return new RunnerSettings.Backup(
                dir == null ? null : Path.of(dir), name, Integer.parseInt(keep), Path.of(record));
    }

    private String table(EngineSteps steps, HistoryFormat format) {
        String table = optional(TABLE);
        if (table == null) {
            return format.dialect().defaultTable();
        }
        checkIdentifier(TABLE, table);
        steps.tableProblem(table).ifPresent(problem -> problems.add(TABLE + ": '" + table + "' " + problem));
        return table;
    }

    private void checkIdentifier(String variable, String identifier) {
        if (identifier.getBytes(StandardCharsets.UTF_8).length > MAX_IDENTIFIER_BYTES) {
            problems.add(variable + ": '" + identifier + "' is longer than PostgreSQL's " + MAX_IDENTIFIER_BYTES
                    + "-byte identifier limit");
        }
    }

    private Version version(String variable, Version fallback, boolean latestAllowed) {
        String value = optional(variable);
        if (value == null) {
            return fallback;
        }
        if (!Version.isValid(value) || (!latestAllowed && Version.parse(value).isLatest())) {
            problems.add(variable + ": '" + value + "' is not a version; expected "
                    + (latestAllowed ? "'latest' or " : "") + "numbers separated by dots, like 1.2.3");
            return fallback;
        }
        return Version.parse(value);
    }

    /** A PostgreSQL duration; checked strictly, as it becomes part of a SET statement. */
    private String duration(String variable, String fallback) {
        String value = optional(variable);
        if (value == null) {
            return fallback;
        }
        if (!SESSION_DURATION.matcher(value).matches()) {
            problems.add(variable + ": '" + value + "' is not a duration; expected 0 or a number with ms, s, min"
                    + " or h, like 10s");
            return fallback;
        }
        return value;
    }

    private boolean flag(String variable) {
        String value = optional(variable);
        if (value == null) {
            return false;
        }
        return switch (value.toLowerCase(Locale.ROOT)) {
            case "true" -> true;
            case "false" -> false;
            default -> {
                problems.add(variable + ": '" + value + "' is not a boolean; expected true or false");
                yield false;
            }
        };
    }

    private Map<String, String> placeholders() {
        String value = optional(PLACEHOLDERS);
        if (value == null) {
            return Map.of();
        }
        JsonNode json;
        try {
            json = new ObjectMapper().readTree(value);
        } catch (JsonProcessingException e) {
            problems.add(PLACEHOLDERS + " is not valid JSON: " + e.getOriginalMessage());
            return Map.of();
        }
        if (json == null || !json.isObject()) {
            problems.add(PLACEHOLDERS + " must be a JSON object of names to values, like {\"owner\":\"app\"}");
            return Map.of();
        }
        Map<String, String> placeholders = new LinkedHashMap<>();
        json.properties().forEach(field -> {
            JsonNode node = field.getValue();
            if (node.isValueNode() && !node.isNull()) {
                placeholders.put(field.getKey(), node.asText());
            } else {
                problems.add(
                        PLACEHOLDERS + ": the value of '" + field.getKey() + "' must be a string, number or boolean");
            }
        });
        return placeholders;
    }

    /** Not trimmed: a Secret's value is taken as it is. */
    private Map<String, String> secretPlaceholders() {
        Map<String, String> placeholders = new LinkedHashMap<>();
        environment.forEach((variable, value) -> {
            if (variable.startsWith(RunnerEnvironment.SECRET_PLACEHOLDER_PREFIX)) {
                placeholders.put(variable.substring(RunnerEnvironment.SECRET_PLACEHOLDER_PREFIX.length()), value);
            }
        });
        return placeholders;
    }

    private String optional(String variable) {
        String value = environment.get(variable);
        return value == null || value.isBlank() ? null : value.trim();
    }
}
