package io.schemagate.reconcile;

import io.schemagate.api.Approvals;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Who approved a plan: the username and groups the API server stated when they annotated the
 * resource, as the admission webhook recorded them ({@link Approvals#APPROVED_BY}).
 */
public record Approver(String name, List<String> groups) {

    /** The approver recorded in these annotations (a resource's or a Job's), if any. */
    static Optional<Approver> of(Map<String, String> annotations) {
        if (annotations == null || annotations.get(Approvals.APPROVED_BY) == null) {
            return Optional.empty();
        }
        return Optional.of(new Approver(
                annotations.get(Approvals.APPROVED_BY),
                Approvals.groupsOf(annotations.get(Approvals.APPROVED_GROUPS))));
    }

    /** The annotations that record this approver on a Job. */
    Map<String, String> annotations() {
        return Map.of(Approvals.APPROVED_BY, name, Approvals.APPROVED_GROUPS, Approvals.groupsAnnotation(groups));
    }

    String describe() {
        return groups.isEmpty() ? name : name + " (groups " + String.join(", ", groups) + ")";
    }
}
