package io.schemagate.bench;

import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The API server's own counts of the requests it served, read from its /metrics:
 * <ul>
 * <li>by verb and resource ({@code apiserver_request_total}), e.g. {@code PATCH databasemigrations/status}.
 * This metric does not name the client, so what one client sent over a time is the count over that
 * time less the count over a baseline of the same length when that client did not run: the bed's
 * other clients (its controller manager, scheduler, node) cancel out, up to their own variation;</li>
 * <li>by API Priority and Fairness flow schema ({@code apiserver_flowcontrol_dispatched_requests_total}),
 * which is chosen by the client's identity: a client that alone uses a flow schema is counted exactly.</li>
 * </ul>
 */
record ApiRequests(Map<String, Double> byRequest, Map<String, Double> byFlowSchema) {
    private static final String REQUESTS = "apiserver_request_total{";
    private static final String DISPATCHED = "apiserver_flowcontrol_dispatched_requests_total{";
    private static final Pattern LABEL = Pattern.compile("(\\w+)=\"([^\"]*)\"");

    /** The counters now. */
    static ApiRequests read(KubernetesClient client) {
        Map<String, Double> byRequest = new HashMap<>();
        Map<String, Double> byFlowSchema = new HashMap<>();
        client.raw(client.getMasterUrl() + "metrics").lines().forEach(line -> {
            if (line.startsWith(REQUESTS)) {
                byRequest.merge(request(labels(line)), value(line), Double::sum);
            } else if (line.startsWith(DISPATCHED)) {
                byFlowSchema.merge(labels(line).getOrDefault("flow_schema", ""), value(line), Double::sum);
            }
        });
        return new ApiRequests(byRequest, byFlowSchema);
    }

    /** What was counted since {@code earlier}. */
    ApiRequests since(ApiRequests earlier) {
        return new ApiRequests(minus(byRequest, earlier.byRequest, 1), minus(byFlowSchema, earlier.byFlowSchema, 1));
    }

    /**
     * The requests by verb and resource less what a baseline counted, scaled to this time's length:
     * what the client absent from the baseline sent, rounded; only those that changed by at least one.
     * The flow schemas' counts stay as they are: they need no baseline.
     */
    ApiRequests net(ApiRequests baseline, double scale) {
        Map<String, Double> changed = new HashMap<>();
        minus(byRequest, baseline.byRequest, scale).forEach((request, count) -> {
            if (Math.abs(count) >= 1) {
                changed.put(request, (double) Math.round(count));
            }
        });
        return new ApiRequests(changed, byFlowSchema);
    }

    /** The sum of the requests by verb and resource. */
    long total() {
        return Math.round(
                byRequest.values().stream().mapToDouble(Double::doubleValue).sum());
    }

    /** The requests of one flow schema. */
    long ofFlowSchema(String flowSchema) {
        return Math.round(byFlowSchema.getOrDefault(flowSchema, 0.0));
    }

    /** The requests by verb and resource with their counts, most first, as people read them. */
    String describe() {
        return byRequest.entrySet().stream()
                .sorted(Map.Entry.<String, Double>comparingByValue().reversed())
                .map(entry -> entry.getKey() + " " + Math.round(entry.getValue()))
                .collect(Collectors.joining(", "));
    }

    private static Map<String, Double> minus(Map<String, Double> counts, Map<String, Double> less, double scale) {
        Map<String, Double> difference = new HashMap<>(counts);
        less.forEach((key, count) -> difference.merge(key, -count * scale, Double::sum));
        return difference;
    }

    /** The verb and what it addressed: resource/subresource, or the path of a non-resource request. */
    private static String request(Map<String, String> labels) {
        String resource = labels.getOrDefault("resource", "");
        String subresource = labels.getOrDefault("subresource", "");
        String target =
                resource.isEmpty() ? subresource : subresource.isEmpty() ? resource : resource + "/" + subresource;
        return labels.getOrDefault("verb", "") + " " + target;
    }

    private static Map<String, String> labels(String line) {
        Map<String, String> labels = new HashMap<>();
        Matcher label = LABEL.matcher(line.substring(line.indexOf('{') + 1, line.lastIndexOf('}')));
        while (label.find()) {
            labels.put(label.group(1), label.group(2));
        }
        return labels;
    }

    private static double value(String line) {
        return Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
    }
}
