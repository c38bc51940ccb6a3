package io.schemagate.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class ApprovalsTest {

    @Test
    void groupsReadBackAsWritten() {
        List<String> groups = List.of("system:authenticated", "team, with a comma");

        assertThat(Approvals.groupsOf(Approvals.groupsAnnotation(groups))).isEqualTo(groups);
    }

    /** A value edited by hand records no groups rather than wrong ones. */
    @Test
    void aValueThatIsNotAnArrayOfStringsRecordsNoGroups() {
        assertThat(Approvals.groupsOf(null)).isEmpty();
        assertThat(Approvals.groupsOf("dba,ops")).isEmpty();
        assertThat(Approvals.groupsOf("[\"dba\",null]")).isEmpty();
        assertThat(Approvals.groupsOf("null")).isEmpty();
    }
}
