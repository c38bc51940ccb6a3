package io.schemagate.policy;

/** What a finding of a class does to the run (spec.policy). */
public enum PolicyAction {
    /** Nothing: the finding is not even reported. */
    Allow,
    /** Reported in status and an event; the run goes ahead. */
    Warn,
    /** The run waits for the approval of its plan, as with spec.approval. */
    RequireApproval,
    /** The run does not start: the resource stalls (PolicyViolation) until the script changes. */
    Refuse
}
