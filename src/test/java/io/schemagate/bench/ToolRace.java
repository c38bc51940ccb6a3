package io.schemagate.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Two tools doing the same work, timed in rounds: one warm-up round not counted (the first start of
 * each reads its files from disk), then rounds that alternate which goes first, so that neither
 * always finds the caches warmer.
 */
final class ToolRace {

    /** One timed run of a tool in a round; checks its work and returns its wall-clock milliseconds. */
    interface Run {
        double millis(String tool, int round) throws Exception;
    }

    private ToolRace() {}

    /** @return each tool's counted samples, in the order the tools were given */
    static Map<String, List<Double>> race(String first, String second, int rounds, Run run) throws Exception {
        Map<String, List<Double>> millis = new LinkedHashMap<>();
        millis.put(first, new ArrayList<>());
        millis.put(second, new ArrayList<>());
        for (int round = 0; round <= rounds; round++) {
            List<String> order = round % 2 == 0 ? List.of(first, second) : List.of(second, first);
            for (String tool : order) {
                double elapsed = run.millis(tool, round);
                if (round > 0) {
                    millis.get(tool).add(elapsed);
                }
            }
        }
        return millis;
    }

    /** A table row per tool (median, min, max in seconds) under a header, and each tool's median. */
    static List<List<String>> rows(String header, Map<String, List<Double>> millis, Map<String, Double> medians) {
        List<List<String>> rows = new ArrayList<>();
        rows.add(List.of(header, "Runs", "Median (s)", "Min (s)", "Max (s)"));
        millis.forEach((tool, runs) -> {
            double median = Percentiles.rank(runs.stream().sorted().toList(), 50);
            medians.put(tool, median);
            rows.add(List.of(
                    tool,
                    Integer.toString(runs.size()),
                    BenchReport.seconds(median),
                    BenchReport.seconds(runs.stream().min(Double::compare).orElseThrow()),
                    BenchReport.seconds(runs.stream().max(Double::compare).orElseThrow())));
        });
        return rows;
    }
}
