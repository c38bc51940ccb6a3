package io.schemagate;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The package rules of docs/architecture.md, checked on the sources: database and runner code stay
 * free of Kubernetes types, decisions free of the webhook, and support free of everything.
 */
class LayersTest {
    private static final Path SOURCES = Path.of("src/main/java/io/schemagate");
    private static final Pattern IMPORT = Pattern.compile("^import (?:static )?([\\w.]+)", Pattern.MULTILINE);

    private static final List<String> PACKAGES = List.of(
            "api", "config", "contract", "db", "engine", "gate", "policy", "reconcile", "runner", "support", "webhook");

    /** Each package and the import prefixes it must not use. */
    private static final Map<String, List<String>> FORBIDDEN = Map.ofEntries(
            Map.entry("api", schemagate("engine", "reconcile", "runner", "gate", "webhook")),
            Map.entry("config", schemagate("reconcile", "webhook")),
            Map.entry("db", standalone("db")),
            Map.entry(
                    "runner",
                    List.of(
                            "io.fabric8",
                            "io.quarkus",
                            "io.schemagate.engine",
                            "io.schemagate.reconcile",
                            "io.schemagate.webhook")),
            Map.entry("contract", standalone("contract", "db", "support")),
            Map.entry("engine", engine()),
            Map.entry("policy", standalone("policy", "support")),
            Map.entry("reconcile", schemagate("webhook")),
            Map.entry("gate", schemagate("engine", "reconcile", "webhook")),
            Map.entry("webhook", schemagate("reconcile")),
            Map.entry("support", standalone("support")));

    /**
     * What an engine is, read from the spec, planned in the run's vocabulary and applied by the runner's
     * steps: no Kubernetes types, Quarkus nor operator. The runner is handed the engines (by {@code
     * Main}) and imports none of them.
     */
    private static List<String> engine() {
        return Stream.concat(
                        Stream.of("io.fabric8", "io.quarkus"),
                        schemagate("reconcile", "gate", "webhook", "config").stream())
                .toList();
    }

    private static List<String> schemagate(String... packages) {
        return Stream.of(packages).map(name -> "io.schemagate." + name).toList();
    }

    /** Neither Kubernetes nor Quarkus, and of SchemaGate's packages only those allowed (and its own). */
    private static List<String> standalone(String self, String... allowed) {
        List<String> others = PACKAGES.stream()
                .filter(name -> !name.equals(self) && !List.of(allowed).contains(name))
                .toList();
        return Stream.concat(Stream.of("io.fabric8", "io.quarkus"), schemagate(others.toArray(String[]::new)).stream())
                .toList();
    }

    @Test
    void noPackageImportsWhatItMustNot() throws IOException {
        List<String> violations = new ArrayList<>();
        for (Map.Entry<String, List<String>> rule : FORBIDDEN.entrySet()) {
            for (Path source : sources(SOURCES.resolve(rule.getKey()))) {
                Matcher imports = IMPORT.matcher(Files.readString(source));
                while (imports.find()) {
                    String imported = imports.group(1);
                    rule.getValue().stream()
                            .filter(imported::startsWith)
                            .findFirst()
                            .ifPresent(prefix -> violations.add(source + " imports " + imported));
                }
            }
        }
        assertThat(violations).isEmpty();
    }

    /** What an engine is lives in its class: only the registry maps a name to it. */
    @Test
    void nothingButTheRegistryBranchesOnAnEnginesName() throws IOException {
        Pattern branch = Pattern.compile("(==|!=) (Engine|HistoryFormat)\\.[a-z]"
                + "|case (flyway|sqlx|alembic|command|golangMigrate|goose|dbmate|liquibase)\\b");
        List<String> sites = new ArrayList<>();
        for (Path source : sources(SOURCES)) {
            if (source.endsWith(Path.of("engine", "Engines.java"))) {
                continue;
            }
            List<String> lines = Files.readAllLines(source);
            for (int i = 0; i < lines.size(); i++) {
                if (branch.matcher(lines.get(i)).find()) {
                    sites.add(source + ":" + (i + 1) + ": " + lines.get(i).trim());
                }
            }
        }
        assertThat(sites).isEmpty();
    }

    @Test
    void everyPackageSaysWhatItOwns() throws IOException {
        try (Stream<Path> folders = Files.walk(SOURCES)) {
            assertThat(folders.filter(Files::isDirectory)
                            .filter(LayersTest::holdsSources)
                            .toList())
                    .allSatisfy(folder ->
                            assertThat(folder.resolve("package-info.java")).exists());
        }
    }

    private static boolean holdsSources(Path folder) {
        try (Stream<Path> files = Files.list(folder)) {
            return files.anyMatch(file -> file.toString().endsWith(".java"));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static List<Path> sources(Path folder) throws IOException {
        try (Stream<Path> files = Files.walk(folder)) {
            return files.filter(file -> file.toString().endsWith(".java")).toList();
        }
    }
}
