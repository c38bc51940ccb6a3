package io.schemagate.reconcile;

import io.schemagate.config.SchemaGateConfig;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Consecutive transient failures per resource (by uid) that no run explains (a Secret missing, the
 * database unreadable by the operator), for capped exponential backoff and for RetriesExhausted.
 * The count starts again when the resource's generation or retry request changes. Held in memory:
 * after an operator restart the count starts over, which only means a few more early retries.
 */
final class RetryBackoffs {
    private final Map<String, Failures> failures = new ConcurrentHashMap<>();
    private final SchemaGateConfig.Retry retry;

    /** @param trigger the generation and retry request the failures happened under */
    private record Failures(String trigger, int count) {}

    RetryBackoffs(SchemaGateConfig.Retry retry) {
        this.retry = retry;
    }

    /** Counts one more failure under this trigger and returns how many happened in a row. */
    int fail(String uid, String trigger) {
        return failures.merge(
                        uid,
                        new Failures(trigger, 1),
                        (previous, first) -> previous.trigger().equals(trigger)
                                ? new Failures(trigger, previous.count() + 1)
                                : first)
                .count();
    }

    /** Whether that many failures in a row are as many as the configuration allows. */
    boolean exhausted(int failuresInARow) {
        return failuresInARow >= retry.maxAttempts();
    }

    /** How long to wait after that many failures in a row. */
    Duration after(int failuresInARow) {
        return delay(retry, failuresInARow);
    }

    /** Exponential from the initial backoff, doubled per failure, capped. */
    static Duration delay(SchemaGateConfig.Retry retry, int failures) {
        Duration delay = retry.initialBackoff();
        for (int i = 1; i < failures && delay.compareTo(retry.maxBackoff()) < 0; i++) {
            delay = delay.multipliedBy(2);
        }
        return delay.compareTo(retry.maxBackoff()) > 0 ? retry.maxBackoff() : delay;
    }

    void reset(String uid) {
        failures.remove(uid);
    }
}
