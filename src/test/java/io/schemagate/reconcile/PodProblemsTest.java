package io.schemagate.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import java.util.List;
import org.junit.jupiter.api.Test;

class PodProblemsTest {

    @Test
    void aPodTheSchedulerCannotPlaceSaysWhy() {
        Pod pod = new PodBuilder()
                .withNewMetadata()
                .withName("orders-abc-1-x")
                .endMetadata()
                .withNewStatus()
                .addNewCondition()
                .withType("PodScheduled")
                .withStatus("False")
                .withReason("Unschedulable")
                .withMessage("0/1 nodes are available: 1 Insufficient memory.")
                .endCondition()
                .endStatus()
                .build();

        assertThat(PodProblems.describe(List.of(pod)))
                .hasValue("pod orders-abc-1-x cannot be scheduled: 0/1 nodes are available: 1 Insufficient memory.");
    }

    @Test
    void aJobWithoutPodSaysWhyFromItsNewestWarning() {
        Event older = warning("FailedCreate", "pods is forbidden: exceeded quota: pods", "2026-12-01T10:00:00Z");
        Event newer = warning("FailedCreate", "pods \"x\" is forbidden: violates PodSecurity", "2026-12-01T10:05:00Z");

        assertThat(PodProblems.creationFailure(List.of(newer, older)))
                .hasValue("no pod could be created: FailedCreate (pods \"x\" is forbidden: violates PodSecurity)");
        assertThat(PodProblems.creationFailure(List.of())).isEmpty();
    }

    private static Event warning(String reason, String message, String at) {
        return new EventBuilder()
                .withReason(reason)
                .withMessage(message)
                .withType("Warning")
                .withLastTimestamp(at)
                .build();
    }
}
