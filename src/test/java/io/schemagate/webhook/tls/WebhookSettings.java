package io.schemagate.webhook.tls;

import io.schemagate.config.SchemaGateConfig;
import java.nio.file.Path;
import java.time.Duration;

/** Webhook settings for tests, with the defaults of {@link SchemaGateConfig.Webhook} unless changed. */
record WebhookSettings(
        boolean enabled,
        int port,
        String configuration,
        String service,
        SchemaGateConfig.CertificateMode certificates,
        String secret,
        String certificateDir,
        Duration caValidity,
        Duration certificateValidity,
        Duration renewBefore,
        Duration renewalCheckInterval,
        Duration filesCheckInterval)
        implements SchemaGateConfig.Webhook {

    static WebhookSettings selfManaged() {
        return new WebhookSettings(
                true,
                8443,
                "schemagate",
                "schemagate-webhook",
                SchemaGateConfig.CertificateMode.SELF_MANAGED,
                "schemagate-webhook-tls",
                "/etc/schemagate/webhook-tls",
                Duration.ofDays(3650),
                Duration.ofDays(365),
                Duration.ofDays(30),
                Duration.ofHours(1),
                Duration.ofMinutes(1));
    }

    static WebhookSettings files(Path directory) {
        return selfManaged().withMode(SchemaGateConfig.CertificateMode.FILES, directory.toString());
    }

    WebhookSettings withMode(SchemaGateConfig.CertificateMode mode, String directory) {
        return new WebhookSettings(
                enabled,
                port,
                configuration,
                service,
                mode,
                secret,
                directory,
                caValidity,
                certificateValidity,
                renewBefore,
                renewalCheckInterval,
                filesCheckInterval);
    }

    WebhookSettings withConfiguration(String name) {
        return new WebhookSettings(
                enabled,
                port,
                name,
                service,
                certificates,
                secret,
                certificateDir,
                caValidity,
                certificateValidity,
                renewBefore,
                renewalCheckInterval,
                filesCheckInterval);
    }

    WebhookSettings withCheckInterval(Duration interval) {
        return new WebhookSettings(
                enabled,
                port,
                configuration,
                service,
                certificates,
                secret,
                certificateDir,
                caValidity,
                certificateValidity,
                renewBefore,
                interval,
                interval);
    }

    WebhookSettings disabled() {
        return new WebhookSettings(
                false,
                port,
                configuration,
                service,
                certificates,
                secret,
                certificateDir,
                caValidity,
                certificateValidity,
                renewBefore,
                renewalCheckInterval,
                filesCheckInterval);
    }
}
