package io.schemagate.reconcile;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import io.schemagate.support.Timestamps;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Builds the Ready, Reconciling and Stalled conditions (kstatus semantics) from a {@link Health}.
 * A condition's lastTransitionTime moves only when its status changes, so watchers and GitOps tools
 * see real transitions, not every reconcile.
 */
public final class Conditions {
    public static final String READY = "Ready";
    public static final String RECONCILING = "Reconciling";
    public static final String STALLED = "Stalled";

    private Conditions() {}

    public static List<Condition> of(Health health, long generation, List<Condition> previous, Instant now) {
        boolean ready = health.state() == Health.State.CURRENT;
        boolean reconciling = health.state() == Health.State.PROGRESSING;
        boolean stalled = health.state() == Health.State.STALLED;
        List<Condition> conditions = new ArrayList<>(3);
        conditions.add(condition(READY, ready, health, generation, previous, now));
        conditions.add(condition(
                RECONCILING, reconciling, reconciling ? health : idle(RECONCILING), generation, previous, now));
        conditions.add(condition(STALLED, stalled, stalled ? health : idle(STALLED), generation, previous, now));
        return conditions;
    }

    public static boolean isTrue(List<Condition> conditions, String type) {
        return conditions != null
                && conditions.stream().anyMatch(c -> type.equals(c.getType()) && "True".equals(c.getStatus()));
    }

    private static Health idle(String type) {
        return new Health(null, "Idle", type.equals(RECONCILING) ? "No work in progress" : "Not stalled");
    }

    private static Condition condition(
            String type, boolean status, Health health, long generation, List<Condition> previous, Instant now) {
        String statusText = status ? "True" : "False";
        String transitionTime = previous == null
                ? null
                : previous.stream()
                        .filter(c -> type.equals(c.getType()) && Objects.equals(statusText, c.getStatus()))
                        .map(Condition::getLastTransitionTime)
                        .findFirst()
                        .orElse(null);
        return new ConditionBuilder()
                .withType(type)
                .withStatus(statusText)
                .withReason(health.reason())
                .withMessage(health.message())
                .withObservedGeneration(generation)
                .withLastTransitionTime(transitionTime != null ? transitionTime : Timestamps.format(now))
                .build();
    }
}
