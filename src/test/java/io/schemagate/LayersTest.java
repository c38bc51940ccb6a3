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

    private static final List<String> PACKAGES =
            List.of("api", "config", "contract", "db", "gate", "policy", "reconcile", "runner", "support", "webhook");

    /** Each package and the import prefixes it must not use. */
    private static final Map<String, List<String>> FORBIDDEN = Map.of(
            "api", schemagate("reconcile", "runner", "gate", "webhook"),
            "config", schemagate("reconcile", "webhook"),
            "db", standalone("db"),
            "runner", List.of("io.fabric8", "io.quarkus", "io.schemagate.reconcile", "io.schemagate.webhook"),
            "contract", standalone("contract", "db", "support"),
            "policy", standalone("policy", "support"),
            "reconcile", schemagate("webhook"),
            "gate", schemagate("reconcile", "webhook"),
            "webhook", schemagate("reconcile"),
            "support", standalone("support"));

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
