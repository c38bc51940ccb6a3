package io.schemagate.reconcile;

/**
 * Whether a run waits for a person (spec.approval), and the plan digest they approved.
 *
 * @param given the value of the annotation {@link Labels#APPROVE}, or null
 */
public record Approval(boolean required, String given) {
    public static final Approval NOT_REQUIRED = new Approval(false, null);

    /** Whether a run of this plan may start. */
    boolean allows(String planDigest) {
        return !required || planDigest.equals(given);
    }
}
