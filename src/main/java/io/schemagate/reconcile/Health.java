package io.schemagate.reconcile;

/**
 * What a reconcile concluded about a resource, in the three kstatus states (plus suspended), with a
 * reason a user can act on. The conditions are derived from it in one place: {@link Conditions}.
 */
public record Health(State state, String reason, String message) {

    public enum State {
        /** The schema is at the target: Ready. */
        CURRENT,
        /** Work is under way or will be retried by itself: Reconciling. */
        PROGRESSING,
        /** Nothing will change until the spec, the source or the database does: Stalled. */
        STALLED,
        /** Migrations are pending but the resource is suspended: neither ready nor reconciling. */
        SUSPENDED
    }

    public static Health current(String message) {
        return new Health(State.CURRENT, Reasons.CURRENT, message);
    }

    public static Health progressing(String reason, String message) {
        return new Health(State.PROGRESSING, reason, message);
    }

    public static Health stalled(String reason, String message) {
        return new Health(State.STALLED, reason, message);
    }

    public static Health suspended(String message) {
        return new Health(State.SUSPENDED, Reasons.SUSPENDED, message);
    }
}
