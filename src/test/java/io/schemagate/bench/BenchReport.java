package io.schemagate.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * Benchmark results in {@code target/bench/results.json} (for machines) and {@code results.md} (for
 * people). Each benchmark replaces only its own section, so running one keeps the others' last results.
 */
final class BenchReport {
    static final Path DIR = Path.of("target/bench");
    private static final Path JSON_FILE = DIR.resolve("results.json");
    private static final Path MARKDOWN_FILE = DIR.resolve("results.md");
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /**
     * One benchmark's results.
     *
     * @param rows the table people read; the first row is the header
     * @param notes lines printed under the table
     * @param data everything else worth keeping, such as the raw samples
     */
    record Section(
            String title, String description, List<List<String>> rows, List<String> notes, Map<String, Object> data) {}

    private BenchReport() {}

    static synchronized void record(String key, Section section) throws IOException {
        Files.createDirectories(DIR);
        ObjectNode root =
                Files.exists(JSON_FILE) ? (ObjectNode) JSON.readTree(JSON_FILE.toFile()) : JSON.createObjectNode();
        ObjectNode entry = JSON.valueToTree(section);
        entry.put("recordedAt", Instant.now().truncatedTo(ChronoUnit.SECONDS).toString());
        // What else ran on the machine skews latencies: keep it next to the numbers.
        entry.put("loadAverage", firstLine(Path.of("/proc/loadavg")));
        root.set("machine", JSON.valueToTree(machine()));
        root.withObjectProperty("benchmarks").set(key, entry);
        JSON.writeValue(JSON_FILE.toFile(), root);
        Files.writeString(MARKDOWN_FILE, markdown(root));
    }

    /**
     * A latency table: its header, then a row per metric with the sample count, p50, p95 and max in
     * milliseconds; each metric's figures go into summary under its name.
     */
    static <S> List<List<String>> latencyRows(
            String header, Map<String, Function<S, Double>> metrics, List<S> samples, Map<String, Object> summary) {
        List<List<String>> rows = new ArrayList<>();
        rows.add(List.of(header, "Samples", "p50 (ms)", "p95 (ms)", "max (ms)"));
        metrics.forEach((name, metric) -> {
            Percentiles stats = Percentiles.of(samples.stream().map(metric).toList());
            summary.put(name, stats);
            rows.add(List.of(
                    name,
                    Integer.toString(stats.count()),
                    millis(stats.p50()),
                    millis(stats.p95()),
                    millis(stats.max())));
        });
        return rows;
    }

    static String millis(double value) {
        return String.format(Locale.ROOT, "%.0f", value);
    }

    static String ratio(double value) {
        return String.format(Locale.ROOT, "%.1f×", value);
    }

    static String seconds(double millis) {
        return String.format(Locale.ROOT, "%.2f", millis / 1000);
    }

    static Map<String, Object> machine() throws IOException {
        Map<String, Object> machine = new LinkedHashMap<>();
        machine.put("cpu", procField(Path.of("/proc/cpuinfo"), "model name"));
        machine.put("cores", Runtime.getRuntime().availableProcessors());
        String memory = procField(Path.of("/proc/meminfo"), "MemTotal");
        machine.put(
                "memory",
                memory.endsWith(" kB")
                        ? String.format(
                                Locale.ROOT,
                                "%.1f GiB",
                                Long.parseLong(memory.substring(0, memory.length() - 3)) / 1024.0 / 1024.0)
                        : memory);
        machine.put(
                "os",
                System.getProperty("os.name") + " " + System.getProperty("os.version") + " "
                        + System.getProperty("os.arch"));
        machine.put("java", System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"));
        return machine;
    }

    private static String markdown(JsonNode root) {
        List<String> lines = new ArrayList<>();
        lines.add("# SchemaGate benchmarks");
        lines.add("");
        JsonNode machine = root.path("machine");
        lines.add("Machine: " + machine.path("cpu").asText() + ", "
                + machine.path("cores").asInt() + " cores, "
                + machine.path("memory").asText() + "; " + machine.path("os").asText() + "; "
                + machine.path("java").asText() + ".");
        root.path("benchmarks").forEach(section -> {
            lines.add("");
            lines.add("## " + section.path("title").asText());
            lines.add("");
            lines.add(section.path("description").asText());
            lines.add("");
            lines.add("Recorded " + section.path("recordedAt").asText() + " (load average "
                    + section.path("loadAverage").asText() + ").");
            lines.add("");
            boolean header = true;
            for (JsonNode row : section.path("rows")) {
                List<String> cells = new ArrayList<>();
                row.forEach(cell -> cells.add(cell.asText()));
                lines.add("| " + String.join(" | ", cells) + " |");
                if (header) {
                    lines.add("|" + "---|".repeat(cells.size()));
                    header = false;
                }
            }
            if (!section.path("notes").isEmpty()) {
                lines.add("");
                section.path("notes").forEach(note -> lines.add(note.asText()));
            }
        });
        return String.join("\n", lines) + "\n";
    }

    /** The value of the first "field: value" line of a /proc file, or "unknown". */
    private static String procField(Path file, String field) throws IOException {
        if (!Files.isReadable(file)) {
            return "unknown";
        }
        try (Stream<String> lines = Files.lines(file)) {
            return lines.filter(line -> line.startsWith(field))
                    .map(line -> line.substring(line.indexOf(':') + 1).trim().replaceAll("\\s+", " "))
                    .findFirst()
                    .orElse("unknown");
        }
    }

    private static String firstLine(Path file) throws IOException {
        return Files.isReadable(file) ? Files.readAllLines(file).get(0).trim() : "unknown";
    }
}
