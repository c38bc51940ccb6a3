package io.schemagate.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.schemagate.support.Json;
import java.util.Arrays;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The annotations of an approval (spec.approval) and the verb that gives one. The person writes
 * {@link #APPROVE}; SchemaGate's admission webhook writes the others, from what the API server says of
 * the request, and replaces any value a request gives them.
 */
public final class Approvals {
    /** Written by the approver: the digest of the plan they approve. */
    public static final String APPROVE = "schemagate.io/approve";
    /** Written at admission: the username of who set {@link #APPROVE} to its value. */
    public static final String APPROVED_BY = "schemagate.io/approved-by";
    /** Written at admission: that user's groups, as a JSON array. */
    public static final String APPROVED_GROUPS = "schemagate.io/approved-groups";
    /** Written at admission: the username of who last created or changed the spec. */
    public static final String SPEC_CHANGED_BY = "schemagate.io/spec-changed-by";
    /** The custom verb on databasemigrations that approving needs, as approve on certificatesigningrequests. */
    public static final String VERB = "approve";

    private Approvals() {}

    /** The value of {@link #APPROVED_GROUPS} for these groups. */
    public static String groupsAnnotation(List<String> groups) {
        return Json.write(groups);
    }

    /** The groups {@link #APPROVED_GROUPS} holds; none for a value that is not a JSON array of strings. */
    public static List<String> groupsOf(@Nullable String annotation) {
        if (annotation == null) {
            return List.of();
        }
        try {
            String[] groups = Json.read(annotation, String[].class);
            return groups == null || Arrays.asList(groups).contains(null) ? List.of() : List.of(groups);
        } catch (JsonProcessingException unreadable) {
            return List.of();
        }
    }
}
