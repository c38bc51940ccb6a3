package io.schemagate.config;

import io.javaoperatorsdk.operator.api.monitoring.Metrics;
import io.javaoperatorsdk.operator.monitoring.micrometer.MicrometerMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/**
 * The operator SDK's metrics per controller, not per resource. Per resource they are a dozen series
 * for each DatabaseMigration, kept five minutes past its deletion: thousands of series in a fleet,
 * and memory a deleted resource leaves behind. SchemaGate's own per-resource figure (held pods)
 * goes with its resource.
 */
@Singleton
public class OperatorMetrics {

    @Produces
    @Singleton
    Metrics metrics(MeterRegistry registry) {
        return MicrometerMetrics.withoutPerResourceMetrics(registry);
    }
}
