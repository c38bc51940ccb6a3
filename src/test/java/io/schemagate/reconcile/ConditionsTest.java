package io.schemagate.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Condition;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class ConditionsTest {
    private static final Instant T0 = Instant.parse("2026-11-21T10:00:00Z");
    private static final Instant T1 = Instant.parse("2026-11-21T10:05:00Z");

    @Test
    void eachHealthStateMapsToExactlyOneTrueKstatusCondition() {
        assertThat(trueTypes(Health.current("ok"))).containsExactly("Ready");
        assertThat(trueTypes(Health.progressing(Reasons.MIGRATION_RUNNING, "running")))
                .containsExactly("Reconciling");
        assertThat(trueTypes(Health.stalled("MigrationFailed", "bad"))).containsExactly("Stalled");
        assertThat(trueTypes(Health.suspended("paused"))).isEmpty();
    }

    @Test
    void readyCarriesTheReasonAndMessageWhenNotReady() {
        Condition ready = Conditions.of(Health.stalled(Reasons.CHECKSUM_MISMATCH, "V2 edited"), 4, List.of(), T0)
                .get(0);

        assertThat(ready.getType()).isEqualTo("Ready");
        assertThat(ready.getStatus()).isEqualTo("False");
        assertThat(ready.getReason()).isEqualTo("ChecksumMismatch");
        assertThat(ready.getMessage()).isEqualTo("V2 edited");
        assertThat(ready.getObservedGeneration()).isEqualTo(4);
    }

    @Test
    void transitionTimeMovesOnlyWhenTheStatusChanges() {
        List<Condition> first = Conditions.of(Health.progressing(Reasons.MIGRATION_RUNNING, "a"), 1, List.of(), T0);
        List<Condition> sameState = Conditions.of(Health.progressing(Reasons.RETRY_SCHEDULED, "b"), 2, first, T1);
        List<Condition> ready = Conditions.of(Health.current("done"), 2, sameState, T1);

        assertThat(sameState)
                .allSatisfy(c -> assertThat(c.getLastTransitionTime()).isEqualTo("2026-11-21T10:00:00Z"));
        assertThat(ready.get(0).getLastTransitionTime()).isEqualTo("2026-11-21T10:05:00Z");
        assertThat(ready.get(1).getLastTransitionTime())
                .as("Reconciling went False")
                .isEqualTo("2026-11-21T10:05:00Z");
        assertThat(ready.get(2).getLastTransitionTime())
                .as("Stalled stayed False")
                .isEqualTo("2026-11-21T10:00:00Z");
    }

    private static List<String> trueTypes(Health health) {
        return Conditions.of(health, 1, List.of(), T0).stream()
                .filter(c -> c.getStatus().equals("True"))
                .map(Condition::getType)
                .toList();
    }
}
