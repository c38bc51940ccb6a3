package io.schemagate.reconcile;

import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.stream.Stream;

/** One line that says what an unexpected reconcile error was and what caused it, for a condition. */
final class ReconcileErrors {
    private static final int MAX_LENGTH = 1000;

    private ReconcileErrors() {}

    static String describe(Exception error) {
        Throwable root = Stream.iterate((Throwable) error, cause -> cause != null, Throwable::getCause)
                .limit(20)
                .reduce((outer, inner) -> inner)
                .orElse(error);
        String text = one(error) + (root == error ? "" : " (caused by " + one(root) + ")");
        String line = text.replaceAll("\\s+", " ").trim();
        return line.length() <= MAX_LENGTH ? line : line.substring(0, MAX_LENGTH) + "...";
    }

    /** What the API server said of a request it refused, in its own words when it gave them. */
    static String serverMessage(KubernetesClientException refusal) {
        return refusal.getStatus() != null && refusal.getStatus().getMessage() != null
                ? refusal.getStatus().getMessage()
                : refusal.getMessage();
    }

    private static String one(Throwable error) {
        if (error instanceof KubernetesClientException kubernetes && kubernetes.getStatus() != null) {
            return "the API server answered " + kubernetes.getCode() + ": " + serverMessage(kubernetes);
        }
        return error.getMessage() == null
                ? error.getClass().getSimpleName()
                : error.getClass().getSimpleName() + ": " + error.getMessage();
    }
}
