package io.schemagate.bench;

import java.util.List;

/**
 * The p50, p95, p99 and maximum of some samples, in milliseconds, by the nearest-rank method: no
 * interpolation, so every figure is a value that was really measured.
 */
record Percentiles(int count, double p50, double p95, double p99, double max) {

    static Percentiles of(List<Double> millis) {
        if (millis.isEmpty()) {
            throw new IllegalArgumentException("no samples");
        }
        List<Double> sorted = millis.stream().sorted().toList();
        return new Percentiles(
                sorted.size(), rank(sorted, 50), rank(sorted, 95), rank(sorted, 99), sorted.get(sorted.size() - 1));
    }

    /** The smallest sample with at least {@code percent} % of all samples at or below it. */
    static double rank(List<Double> sorted, int percent) {
        int index = (int) Math.ceil(percent / 100.0 * sorted.size()) - 1;
        return sorted.get(Math.max(0, index));
    }
}
