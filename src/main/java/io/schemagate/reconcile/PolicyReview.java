package io.schemagate.reconcile;

import io.schemagate.policy.Finding;
import io.schemagate.policy.PolicyAction;
import java.util.List;
import java.util.Optional;

/**
 * What the change policy makes of a run's pending scripts: each finding with the action spec.policy
 * gives its class ({@link PolicyAction#Allow} for one the script accepts itself), or why no review
 * could be made.
 *
 * @param unavailable why the scripts could not be reviewed (the parser could not be loaded); null when they were
 */
public record PolicyReview(List<Judged> findings, String unavailable) {
    public static final PolicyReview NONE = new PolicyReview(List.of(), null);

    /** A finding and its action. */
    public record Judged(Finding finding, PolicyAction action) {}

    public PolicyReview {
        findings = List.copyOf(findings);
    }

    List<Judged> withAction(PolicyAction action) {
        return findings.stream().filter(judged -> judged.action() == action).toList();
    }

    boolean requiresApproval() {
        return !withAction(PolicyAction.RequireApproval).isEmpty();
    }

    Optional<String> unavailableReason() {
        return Optional.ofNullable(unavailable);
    }

    /** {@code V5__cleanup.sql:2 drop-table (DROP TABLE deletes …; instead …)}. */
    static String describe(Judged judged) {
        Finding finding = judged.finding();
        return finding.script() + ":" + finding.line() + " " + finding.rule() + " (" + finding.why() + "; instead, "
                + finding.instead() + ")";
    }
}
