package io.schemagate.api;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;

/** Whether a run waits for a person to approve its exact plan. */
public class ApprovalSpec {
    @Default("false")
    @JsonPropertyDescription("When true a run is planned but not started: status.plan shows what would run and "
            + "its digest, and the run starts once the annotation schemagate.io/approve holds that digest "
            + "(kubectl annotate dbm/<name> schemagate.io/approve=<digest>). A change of the scripts, the spec or "
            + "the database's revision makes a new plan, which needs its own approval. Approving needs the verb "
            + "approve on databasemigrations (the built-in admin role has it), checked at admission.")
    private boolean required;

    @Default("false")
    @JsonPropertyDescription("When true the approver must be another user than the one who last created or "
            + "changed the spec (recorded at admission in the annotation schemagate.io/spec-changed-by).")
    private boolean distinctApprover;

    public ApprovalSpec() {}

    public ApprovalSpec(boolean required) {
        this.required = required;
    }

    public boolean isRequired() {
        return required;
    }

    public void setRequired(boolean required) {
        this.required = required;
    }

    public boolean isDistinctApprover() {
        return distinctApprover;
    }

    public void setDistinctApprover(boolean distinctApprover) {
        this.distinctApprover = distinctApprover;
    }
}
