package io.schemagate.webhook;

import io.schemagate.config.SchemaGateConfig;
import jakarta.inject.Singleton;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Ready once the webhook listens and the resources it decides from are loaded: the webhook
 * Service sends admission reviews only to replicas that can answer them.
 */
@Readiness
@Singleton
public class WebhookReadiness implements HealthCheck {
    private final SchemaGateConfig config;
    private final WebhookServer server;

    WebhookReadiness(SchemaGateConfig config, WebhookServer server) {
        this.config = config;
        this.server = server;
    }

    @Override
    public HealthCheckResponse call() {
        boolean ready = !config.webhook().enabled() || server.canDecide();
        return HealthCheckResponse.named("webhook").status(ready).build();
    }
}
