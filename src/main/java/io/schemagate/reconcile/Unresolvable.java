package io.schemagate.reconcile;

/**
 * Something the resource refers to cannot be used yet: a missing Secret or ConfigMap, a database
 * that does not answer. Carries the health to report; transient ones are retried with backoff.
 */
public final class Unresolvable extends Exception {
    private final transient Health health;

    private Unresolvable(Health health) {
        super(health.reason() + ": " + health.message(), null, false, false);
        this.health = health;
    }

    /** Retried with backoff: it may resolve by itself (a Secret created later, a database starting). */
    public static Unresolvable retryable(String reason, String message) {
        return new Unresolvable(Health.progressing(reason, message));
    }

    /** Waits for a change to the resource or its sources. */
    public static Unresolvable stalled(String reason, String message) {
        return new Unresolvable(Health.stalled(reason, message));
    }

    public Health health() {
        return health;
    }

    public boolean isRetryable() {
        return health.state() == Health.State.PROGRESSING;
    }
}
