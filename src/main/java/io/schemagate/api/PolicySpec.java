package io.schemagate.api;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.schemagate.policy.PolicyAction;
import io.schemagate.policy.RiskClass;

/** What a risky statement in a pending script does to its run, per class (docs/review.md). */
public class PolicySpec {
    @Default("Warn")
    @JsonPropertyDescription("DROP TABLE/COLUMN/SCHEMA/TYPE, TRUNCATE, DELETE or UPDATE without WHERE: Allow, Warn "
            + "(status and an event), RequireApproval (the run waits for its plan's approval) or Refuse (the "
            + "resource stalls with PolicyViolation).")
    private PolicyAction destructive = PolicyAction.Warn;

    @Default("Warn")
    @JsonPropertyDescription("Changes that break pods running the current code: RENAME of a table or column, ALTER "
            + "COLUMN ... TYPE, DROP DEFAULT. Allow, Warn, RequireApproval or Refuse.")
    private PolicyAction breaking = PolicyAction.Warn;

    @Default("Warn")
    @JsonPropertyDescription("Changes that lock or rewrite a live table: CREATE INDEX without CONCURRENTLY, ADD "
            + "COLUMN ... NOT NULL without a default, SET NOT NULL, ADD FOREIGN KEY or CHECK without NOT VALID, a "
            + "column type change that rewrites. Tables the same plan creates are exempt. Allow, Warn, "
            + "RequireApproval or Refuse.")
    private PolicyAction locking = PolicyAction.Warn;

    /** The action for a class. */
    public PolicyAction actionFor(RiskClass riskClass) {
        return switch (riskClass) {
            case destructive -> destructive;
            case breaking -> breaking;
            case locking -> locking;
        };
    }

    public PolicyAction getDestructive() {
        return destructive;
    }

    public void setDestructive(PolicyAction destructive) {
        this.destructive = destructive;
    }

    public PolicyAction getBreaking() {
        return breaking;
    }

    public void setBreaking(PolicyAction breaking) {
        this.breaking = breaking;
    }

    public PolicyAction getLocking() {
        return locking;
    }

    public void setLocking(PolicyAction locking) {
        this.locking = locking;
    }
}
