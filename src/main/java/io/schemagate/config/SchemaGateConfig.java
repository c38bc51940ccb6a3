package io.schemagate.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** Every setting of the operator, under the prefix {@code schemagate}. */
@ConfigMapping(prefix = "schemagate")
public interface SchemaGateConfig {

    /** The migration runner the Jobs run: this very artifact, in its container image. */
    Runner runner();

    /** How often the revision is re-read from each database, to notice changes made outside SchemaGate. */
    @WithDefault("60s")
    Duration resyncInterval();

    /** Backoff of transient failures (database unreachable, Secret missing): doubles up to the cap. */
    Retry retry();

    interface Runner {
        /** Image of the runner; by default the operator's own image. */
        @WithDefault("schemagate/schemagate:${quarkus.application.version}")
        String image();

        /** Pull policy of the runner image. */
        @WithDefault("IfNotPresent")
        String imagePullPolicy();

        /** User id the Job's containers run as; the images never need root. */
        @WithDefault("1001")
        long runAsUser();
    }

    interface Retry {
        @WithDefault("5s")
        Duration initialBackoff();

        @WithDefault("5m")
        Duration maxBackoff();
    }
}
