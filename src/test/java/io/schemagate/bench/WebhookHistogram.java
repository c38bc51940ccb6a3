package io.schemagate.bench;

import java.util.TreeMap;

/**
 * The cumulative buckets of one of the webhook's timers as scrapes of {@code /q/metrics} show them:
 * two scrapes tell the figures of the interval between them, without the warm-up before it.
 */
record WebhookHistogram(TreeMap<Double, Long> cumulative) {

    /** The reviews of pods the webhook held. */
    static WebhookHistogram held(String series, String metrics) {
        return of(series, metrics, true);
    }

    /** Every review, whatever its outcome, summed over every replica whose metrics the text holds. */
    static WebhookHistogram all(String series, String metrics) {
        return of(series, metrics, false);
    }

    private static WebhookHistogram of(String series, String metrics, boolean heldOnly) {
        TreeMap<Double, Long> buckets = new TreeMap<>();
        metrics.lines()
                .filter(line ->
                        line.startsWith(series + "_bucket{") && (!heldOnly || line.contains("outcome=\"held\"")))
                .forEach(line -> {
                    String bound = line.replaceAll(".*le=\"([^\"]+)\".*", "$1");
                    double upper = "+Inf".equals(bound) ? Double.POSITIVE_INFINITY : Double.parseDouble(bound);
                    buckets.merge(
                            upper, (long) Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)), Long::sum);
                });
        return new WebhookHistogram(buckets);
    }

    WebhookHistogram since(WebhookHistogram earlier) {
        TreeMap<Double, Long> delta = new TreeMap<>();
        cumulative.forEach((bound, count) -> delta.put(bound, count - earlier.cumulative.getOrDefault(bound, 0L)));
        return new WebhookHistogram(delta);
    }

    long count() {
        return cumulative.isEmpty() ? 0 : cumulative.lastEntry().getValue();
    }

    /** The upper bound of the bucket that holds the quantile, in milliseconds. */
    double quantileMillis(double quantile) {
        long rank = (long) Math.ceil(quantile * count());
        return cumulative.entrySet().stream()
                .filter(bucket -> bucket.getValue() >= Math.max(1, rank))
                .findFirst()
                .map(bucket -> bucket.getKey() * 1000)
                .orElse(Double.NaN);
    }
}
