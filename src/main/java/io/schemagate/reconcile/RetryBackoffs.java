package io.schemagate.reconcile;

import io.schemagate.config.SchemaGateConfig;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Consecutive transient failures per resource (by uid), for capped exponential backoff. Held in
 * memory: after an operator restart backoff starts over, which only means one early retry.
 */
final class RetryBackoffs {
    private final Map<String, Integer> failures = new ConcurrentHashMap<>();
    private final SchemaGateConfig.Retry retry;

    RetryBackoffs(SchemaGateConfig.Retry retry) {
        this.retry = retry;
    }

    /** Counts one more failure and returns how long to wait before the next try. */
    Duration next(String uid) {
        return delay(retry, failures.merge(uid, 1, Integer::sum));
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
