package io.schemagate.reconcile;

import io.schemagate.api.Approvals;

/**
 * Whether a run waits for a person (spec.approval), the plan digest they approved, and who they are.
 *
 * @param given the value of the annotation {@link Approvals#APPROVE}, or null
 * @param approver who gave it, as the admission webhook recorded them; null when nobody was recorded
 * @param checked whether the admission webhook checks approvals (the verb approve): then an approval
 *     counts only with its approver recorded, since one without was written past the check
 */
public record Approval(boolean required, String given, Approver approver, boolean checked) {
    public static final Approval NOT_REQUIRED = new Approval(false, null, null, false);

    /** An approval where no webhook checks who gives it: anyone who may update the resource may. */
    public Approval(boolean required, String given) {
        this(required, given, null, false);
    }

    /** Whether a run of this plan may start. */
    boolean allows(String planDigest) {
        return !required || (planDigest.equals(given) && (approver != null || !checked));
    }

    /** Whether this plan's digest was written past the webhook's check, so that it does not count. */
    boolean unrecorded(String planDigest) {
        return required && checked && approver == null && planDigest.equals(given);
    }

    /** The same approval, for a run that needs one whatever spec.approval says. */
    Approval demanded() {
        return new Approval(true, given, approver, checked);
    }
}
