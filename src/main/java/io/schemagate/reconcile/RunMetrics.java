package io.schemagate.reconcile;

import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.schemagate.api.DatabaseMigration;
import io.schemagate.api.RunStatus;
import io.schemagate.contract.Outcome;
import io.schemagate.support.Timestamps;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Prometheus metrics of migration runs (served at /q/metrics): runs started, runs ended by outcome
 * and reason, how long they took, and the pods each resource holds.
 */
final class RunMetrics {
    private final MeterRegistry registry;
    private final Map<ResourceID, AtomicInteger> heldPods = new ConcurrentHashMap<>();

    RunMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    void started(String namespace) {
        Counter.builder("schemagate.runs.started")
                .description("Migration runs started")
                .tag("namespace", namespace)
                .register(registry)
                .increment();
    }

    void ended(String namespace, RunStatus run) {
        String outcome =
                Optional.ofNullable(run.getOutcome()).map(Outcome::name).orElse("Unknown");
        Counter.builder("schemagate.runs.ended")
                .description("Migration runs ended, by outcome and reason")
                .tag("namespace", namespace)
                .tag("outcome", outcome)
                .tag("reason", Optional.ofNullable(run.getReason()).orElse("None"))
                .register(registry)
                .increment();
        Instant started = Timestamps.parse(run.getStartedAt());
        Instant finished = Timestamps.parse(run.getFinishedAt());
        if (started != null && finished != null && !finished.isBefore(started)) {
            Timer.builder("schemagate.run.duration")
                    .description("Time from Job creation to its end")
                    .tag("outcome", outcome)
                    .register(registry)
                    .record(Duration.between(started, finished));
        }
    }

    /** The pods a resource holds right now; a gauge per resource, registered on its first count. */
    void heldPods(DatabaseMigration resource, int count) {
        heldPods.computeIfAbsent(
                        ResourceID.fromResource(resource),
                        id -> registry.gauge(
                                "schemagate.gated.pods",
                                Tags.of("namespace", id.getNamespace().orElse(""), "name", id.getName()),
                                new AtomicInteger()))
                .set(count);
    }

    /** A deleted resource's gauge goes with it. */
    void forget(DatabaseMigration resource) {
        ResourceID id = ResourceID.fromResource(resource);
        if (heldPods.remove(id) != null) {
            registry.find("schemagate.gated.pods")
                    .tags("namespace", id.getNamespace().orElse(""), "name", id.getName())
                    .meters()
                    .forEach(registry::remove);
        }
    }
}
